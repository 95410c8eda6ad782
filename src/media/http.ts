// Serving media files: `/media/<key>/<name>`, streamed from storage. Names are content
// addressed, so every answer may be cached for a year and never revalidated. The key and
// the name are checked against strict patterns before storage is asked: no path can leave it.
import type { FastifyInstance } from 'fastify';
import { notFound } from '../newsroom/errors.ts';
import { MEDIA_PATH } from './picture.ts';
import { isMediaFileName, isMediaKey, type MediaStorage } from './storage.ts';

export const IMMUTABLE = 'public, max-age=31536000, immutable';

export function mediaFileRoutes(app: FastifyInstance, storage: MediaStorage): void {
  app.get<{ Params: { key: string; name: string } }>(`${MEDIA_PATH}/:key/:name`, async (request, reply) => {
    const { key, name } = request.params;
    if (!isMediaKey(key) || !isMediaFileName(name)) throw notFound('That image');
    const file = await storage.get(key, name);
    if (!file) throw notFound('That image');
    const etag = `"${key}/${name}"`;
    reply
      .header('cache-control', IMMUTABLE)
      .header('x-content-type-options', 'nosniff')
      // Feed readers, other sites and apps may show the site's images.
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('etag', etag);
    if (request.headers['if-none-match'] === etag) {
      file.stream.destroy();
      return reply.code(304).send();
    }
    return reply.type(file.contentType).header('content-length', file.size).send(file.stream);
  });
}
