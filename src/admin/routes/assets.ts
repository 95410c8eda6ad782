// Serves the newsroom's browser bundle at its hashed, immutable path (see src/admin/bundle.ts).
import type { FastifyInstance } from 'fastify';
import { adminBundle, type AdminBundle } from '../bundle.ts';

export async function adminAssetRoutes(app: FastifyInstance): Promise<void> {
  let bundle: AdminBundle;
  try {
    bundle = await adminBundle();
  } catch (error) {
    // The editor page falls back to its plain textarea; say why once, loudly.
    app.log.error({ err: error }, 'the story editor bundle did not build');
    return;
  }
  const { editor } = bundle;
  app.get(editor.path, async (request, reply) => {
    reply.type(editor.type).header('cache-control', 'public, max-age=31536000, immutable').header('vary', 'accept-encoding');
    if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return reply.header('content-encoding', 'gzip').send(editor.gzip);
    return reply.send(editor.body);
  });
}
