// The media library over JSON, for the newsroom UI (picker, drag and drop) and for scripts.
// Uploads are multipart/form-data; everything else is JSON. Handlers validate, authenticate,
// call the media domain and present.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart';
import type { Kysely } from 'kysely';
import { apiWriter, requireActor } from '../../http/auth.ts';
import type { Database } from '../../newsroom/db.ts';
import { invalid, NewsroomError } from '../../newsroom/errors.ts';
import { deleteMedia, tooLarge, updateMediaText, uploadImage, type DeleteResult } from '../../media/commands.ts';
import { bodyFigureHtml, BODY_IMAGE_SIZES, LEAD_IMAGE_SIZES, mediaUrl, pictureForMedia, variantSizes, variantName } from '../../media/picture.ts';
import { getMedia, mediaUses, searchMedia, type MediaUse } from '../../media/queries.ts';
import type { MediaStorage } from '../../media/storage.ts';
import type { Media } from '../../media/types.ts';

const API = '/api/newsroom/v1';

const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,12}$' }) });
const Sizes = Type.String({ minLength: 1, maxLength: 500, pattern: '^[^<>"]*$' });

const ListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    mine: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
    offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,7}$' })),
  },
  { additionalProperties: false },
);
type ListQueryType = Static<typeof ListQuery>;

const ReadQuery = Type.Object({ sizes: Type.Optional(Sizes) }, { additionalProperties: false });
type ReadQueryType = Static<typeof ReadQuery>;

const PatchBody = Type.Object(
  {
    alt: Type.Optional(Type.String({ maxLength: 5000 })),
    caption: Type.Optional(Type.String({ maxLength: 10_000 })),
    credit: Type.Optional(Type.String({ maxLength: 5000 })),
  },
  { additionalProperties: false },
);
type PatchBodyType = Static<typeof PatchBody>;

const DeleteQuery = Type.Object({ force: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])) }, { additionalProperties: false });
type DeleteQueryType = Static<typeof DeleteQuery>;

/** Text fields an upload may carry beside its file. */
const TEXT_FIELDS = new Set(['alt', 'caption', 'credit']);

/** The JSON shape of a library image. */
export function presentMedia(media: Media, storage: MediaStorage) {
  const sizes = variantSizes(media.width, media.height);
  const url = mediaUrl(media);
  return {
    id: media.id,
    key: media.key,
    /** The largest fallback variant: what a story's lead image or a body image points at. */
    url,
    originalUrl: storage.url(media.key, media.files.find((f) => f.original)?.name ?? `original.${media.fallback === 'png' ? 'png' : 'jpg'}`),
    /** The smallest fallback variant, for the library's grid. */
    thumbnailUrl: storage.url(media.key, variantName(sizes[0]!, media.fallback)),
    filename: media.originalName,
    mime: media.mime,
    width: media.width,
    height: media.height,
    bytes: media.bytes,
    alt: media.alt,
    caption: media.caption,
    credit: media.credit,
    fallback: media.fallback,
    uploadedBy: media.uploadedBy,
    createdAt: media.createdAt,
    updatedAt: media.updatedAt,
    files: media.files.map((f) => ({ name: f.name, format: f.format, width: f.width, height: f.height, bytes: f.bytes, original: f.original === true, url: storage.url(media.key, f.name) })),
    /** Ready for a story's `leadImage` field. */
    leadImage: { url, alt: media.alt, caption: media.caption, credit: media.credit },
  };
}

const presentUse = (u: MediaUse) => ({ articleId: u.articleId, headline: u.headline, status: u.status, as: u.as });

interface MultipartFailure extends Error {
  code?: string;
}

/** Reads the upload's parts: one file (field `file`) and the text fields (a form adds `_csrf`). */
export async function readUpload(
  request: FastifyRequest,
  maxBytes: number,
  textFields: ReadonlySet<string> = TEXT_FIELDS,
): Promise<{ bytes: Buffer; filename: string; text: Record<string, string> }> {
  if (!request.isMultipart()) {
    throw invalid({ file: 'Send the image as multipart/form-data: the file in a field named "file", and the fields alt, caption and credit.' });
  }
  let bytes: Buffer = Buffer.alloc(0);
  let filename = '';
  const text: Record<string, string> = {};
  try {
    // Field values are at most a few thousand bytes even in scripts that need four bytes a letter.
    for await (const part of request.parts({ limits: { fileSize: maxBytes, files: 1, fields: 10, parts: 12, fieldSize: 16 * 1024 } })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          part.file.resume();
          throw invalid({ file: `Send the image in a field named "file" (not "${part.fieldname}").` });
        }
        bytes = await part.toBuffer();
        filename = part.filename;
      } else if (textFields.has(part.fieldname)) {
        if (part.valueTruncated) throw invalid({ [part.fieldname]: `The ${part.fieldname} is far too long.` });
        text[part.fieldname] = String(part.value);
      }
      // Other fields (say, a form's _csrf) are ignored.
    }
  } catch (error) {
    if (error instanceof NewsroomError) throw error;
    const code = (error as MultipartFailure).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(maxBytes);
    if (code === 'FST_FILES_LIMIT') throw invalid({ file: 'Send one image at a time.' });
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') throw invalid({ file: 'Too many fields: send only file, alt, caption and credit.' });
    throw invalid({ file: 'The upload was cut short or malformed; please send it again.' });
  }
  return { bytes, filename, text };
}

export function mediaApiRoutes(app: FastifyInstance, db: Kysely<Database>, storage: MediaStorage, options: { maxBytes: number }): void {
  // A signed-in user may send 60 images a minute: each costs seconds of CPU to process.
  const uploadLimit = { config: { rateLimit: { max: 60, timeWindow: '1 minute' } } };
  const uploadDoc = {
    summary: 'Upload an image to the media library',
    description:
      'multipart/form-data with one file in the field `file` (JPEG, PNG, WebP or AVIF, judged by its bytes; at most MEDIA_MAX_BYTES) and the text fields `alt` (required, at most 300 characters), `caption` (at most 1000) and `credit` (at most 200). A browser session sends its CSRF token in `x-csrf-token`. 201 with `{media}`; 400 with `fields.file` / `fields.alt` …; 413 when the file is too large.',
    consumes: ['multipart/form-data'],
  };

  app.post(`${API}/media`, { ...uploadLimit, schema: uploadDoc }, async (request, reply) => {
    // Authenticate before reading a byte of the body: anonymous uploads are never processed.
    const actor = apiWriter(request, reply);
    const upload = await readUpload(request, options.maxBytes);
    const media = await uploadImage(db, storage, actor, { bytes: upload.bytes, filename: upload.filename, ...upload.text }, { maxBytes: options.maxBytes });
    return reply.code(201).header('location', `${API}/media/${media.id}`).send({ media: presentMedia(media, storage) });
  });

  app.get<{ Querystring: ListQueryType }>(`${API}/media`, { schema: { summary: 'Search the media library (alt text, caption, credit, file name), newest first', querystring: ListQuery } }, async (request) => {
    const actor = requireActor(request);
    const q = request.query;
    const page = await searchMedia(db, {
      q: q.q,
      limit: q.limit === undefined ? undefined : Number(q.limit),
      offset: q.offset === undefined ? undefined : Number(q.offset),
      uploadedBy: q.mine === 'true' ? actor.userId : undefined,
    });
    return { media: page.items.map((m) => presentMedia(m, storage)), total: page.total, more: page.more };
  });

  app.get<{ Params: { id: string }; Querystring: ReadQueryType }>(`${API}/media/:id`, { schema: { summary: 'One image, with <picture> data and a body figure for `sizes`, and the stories that use it', params: IdParams, querystring: ReadQuery } }, async (request) => {
    requireActor(request);
    const media = await getMedia(db, Number(request.params.id));
    const sizes = request.query.sizes;
    return {
      media: presentMedia(media, storage),
      /** For `<picture>`: AVIF and WebP sources, the fallback img, srcset and sizes. */
      picture: pictureForMedia(media, sizes ?? LEAD_IMAGE_SIZES),
      /** A `<figure class="image">` for a story's body, as the body allowlist keeps it. */
      bodyHtml: bodyFigureHtml(media, sizes ?? BODY_IMAGE_SIZES),
      usedBy: (await mediaUses(db, media)).map(presentUse),
    };
  });

  app.patch<{ Params: { id: string }; Body: PatchBodyType }>(`${API}/media/:id`, { schema: { summary: "Change an image's alt text, caption or credit (the uploader or an editor)", params: IdParams, body: PatchBody } }, async (request, reply) => {
    const actor = apiWriter(request, reply);
    const media = await updateMediaText(db, actor, Number(request.params.id), request.body);
    return { media: presentMedia(media, storage) };
  });

  app.delete<{ Params: { id: string }; Querystring: DeleteQueryType }>(`${API}/media/:id`, { schema: { summary: 'Delete an image (editors); 409 while a story uses it unless force=true', params: IdParams, querystring: DeleteQuery } }, async (request, reply) => {
    const actor = apiWriter(request, reply);
    const id = Number(request.params.id);
    const result: DeleteResult = await deleteMedia(db, storage, actor, id, { force: request.query.force === 'true' });
    return { deleted: { id, filesRemoved: result.filesRemoved, usedBy: result.usedBy.map(presentUse) } };
  });
}
