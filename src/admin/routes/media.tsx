// The media library page: a plain multipart form (works without JavaScript; a file dropped on
// the picker is taken by the browser itself), search and reuse. Uploads go through the same
// domain command as the API.
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { Database } from '../../newsroom/db.ts';
import { NewsroomError } from '../../newsroom/errors.ts';
import { formatBytes, uploadImage } from '../../media/commands.ts';
import { searchMedia } from '../../media/queries.ts';
import { mediaUrl, variantName, variantSizes } from '../../media/picture.ts';
import type { MediaStorage } from '../../media/storage.ts';
import { readUpload } from '../../api/newsroom/media.ts';
import { CSRF_EXPIRED, csrfTokenValid } from '../../http/csrf.ts';
import { adminChrome, sendAdminPage } from '../chrome.ts';
import { MediaLibraryPage, type MediaLibraryView } from '../views/media.tsx';
import type { AdminChrome } from '../views/layout.tsx';

const PAGE = 24;
const FORM_FIELDS: ReadonlySet<string> = new Set(['alt', 'caption', 'credit', '_csrf']);

export function mediaAdminRoutes(app: FastifyInstance, db: Kysely<Database>, config: Config, storage: MediaStorage): void {
  const show = async (chrome: AdminChrome, q: string, page: number, extra: Partial<MediaLibraryView>, status = 200, reply: Parameters<typeof sendAdminPage>[0]) => {
    const result = await searchMedia(db, { q: q || undefined, limit: PAGE, offset: (page - 1) * PAGE });
    const items = result.items.map((media) => ({
      media,
      url: mediaUrl(media),
      thumbnailUrl: storage.url(media.key, variantName(variantSizes(media.width, media.height)[0]!, media.fallback)),
    }));
    const view: MediaLibraryView = {
      items,
      q,
      page,
      more: result.more,
      form: { alt: '', caption: '', credit: '' },
      errors: {},
      maxBytesLabel: formatBytes(config.mediaMaxBytes),
      ...extra,
    };
    return sendAdminPage(reply, MediaLibraryPage({ chrome, view }), status);
  };

  app.get('/admin/media', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    const query = request.query as Record<string, string | undefined>;
    const q = (query.q ?? '').slice(0, 200);
    const page = query.page && /^[1-9]\d{0,4}$/.test(query.page) ? Number(query.page) : 1;
    const uploaded = query.uploaded && /^\d{1,12}$/.test(query.uploaded) ? Number(query.uploaded) : undefined;
    const notice = uploaded ? { kind: 'ok' as const, text: 'Uploaded. Its variants are ready to use.' } : undefined;
    return show(chrome, q, page, { notice, highlight: uploaded }, 200, reply);
  });

  app.post('/admin/media', { config: { rateLimit: { max: 60, timeWindow: '1 minute' } } }, async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    let upload: Awaited<ReturnType<typeof readUpload>>;
    try {
      upload = await readUpload(request, config.mediaMaxBytes, FORM_FIELDS);
    } catch (error) {
      if (error instanceof NewsroomError && (error.code === 'invalid_input' || error.code === 'payload_too_large')) {
        return show(chrome, '', 1, { errors: { file: error.message, ...error.fields }, notice: { kind: 'error', text: error.message } }, error.code === 'payload_too_large' ? 413 : 400, reply);
      }
      throw error;
    }
    const form = { alt: upload.text.alt ?? '', caption: upload.text.caption ?? '', credit: upload.text.credit ?? '' };
    if (!csrfTokenValid(request, reply, upload.text._csrf ?? '')) {
      return show(chrome, '', 1, { form, notice: { kind: 'error', text: `${CSRF_EXPIRED} Choose the file again.` } }, 403, reply);
    }
    try {
      const media = await uploadImage(db, storage, chrome.actor, { bytes: upload.bytes, filename: upload.filename, ...form }, { maxBytes: config.mediaMaxBytes });
      return reply.redirect(`/admin/media?uploaded=${media.id}#media-${media.id}`, 303);
    } catch (error) {
      if (error instanceof NewsroomError && (error.code === 'invalid_input' || error.code === 'payload_too_large')) {
        const text = `${error.message}${error.fields.file ? '' : ' Choose the file again.'}`;
        return show(chrome, '', 1, { form, errors: error.fields, notice: { kind: 'error', text } }, error.code === 'payload_too_large' ? 413 : 400, reply);
      }
      throw error;
    }
  });
}
