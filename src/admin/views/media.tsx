// The media library: upload (file picker, or drop a file on it), search, reuse.
import type { Media } from '../../media/types.ts';
import { MEDIA_LIMITS } from '../../media/types.ts';
import { AdminLayout, formatWhen, type AdminChrome } from './layout.tsx';

export interface MediaItem {
  media: Media;
  url: string;
  thumbnailUrl: string;
}

export interface MediaLibraryView {
  items: MediaItem[];
  q: string;
  page: number;
  more: boolean;
  form: { alt: string; caption: string; credit: string };
  errors: Record<string, string>;
  notice?: { kind: 'ok' | 'error'; text: string };
  highlight?: number;
  maxBytesLabel: string;
}

function ErrorText({ id, error }: { id: string; error: string | undefined }) {
  return error ? (
    <p class="error" id={id}>
      {error}
    </p>
  ) : null;
}

function UploadForm({ chrome, view }: { chrome: AdminChrome; view: MediaLibraryView }) {
  const e = view.errors;
  return (
    <section class="panel" aria-labelledby="upload-title">
      <h2 id="upload-title">Upload an image</h2>
      <form method="post" action="/admin/media" enctype="multipart/form-data">
        <input type="hidden" name="_csrf" value={chrome.csrf} />
        <div class="field">
          <label for="file">Image file</label>
          <input
            class="dropzone"
            id="file"
            name="file"
            type="file"
            required
            accept="image/jpeg,image/png,image/webp,image/avif"
            aria-describedby={`file-hint${e.file ? ' file-error' : ''}`}
            aria-invalid={e.file ? 'true' : undefined}
          />
          <p class="hint" id="file-hint">
            Choose a file or drop it here. JPEG, PNG, WebP or AVIF, up to {view.maxBytesLabel}. Location and camera data are removed.
          </p>
          <ErrorText id="file-error" error={e.file} />
        </div>
        <div class="field">
          <label for="alt">Alt text (required)</label>
          <input id="alt" name="alt" type="text" required maxLength={MEDIA_LIMITS.alt} value={view.form.alt} aria-describedby={`alt-hint${e.alt ? ' alt-error' : ''}`} aria-invalid={e.alt ? 'true' : undefined} />
          <p class="hint" id="alt-hint">
            What the image shows, for readers who cannot see it.
          </p>
          <ErrorText id="alt-error" error={e.alt} />
        </div>
        <div class="grid two">
          <div class="field">
            <label for="caption">Caption</label>
            <input id="caption" name="caption" type="text" maxLength={MEDIA_LIMITS.caption} value={view.form.caption} aria-invalid={e.caption ? 'true' : undefined} />
            <ErrorText id="caption-error" error={e.caption} />
          </div>
          <div class="field">
            <label for="credit">Credit</label>
            <input id="credit" name="credit" type="text" maxLength={MEDIA_LIMITS.credit} value={view.form.credit} aria-invalid={e.credit ? 'true' : undefined} />
            <ErrorText id="credit-error" error={e.credit} />
          </div>
        </div>
        <button class="button" type="submit">
          Upload
        </button>
      </form>
    </section>
  );
}

export function MediaLibraryPage({ chrome, view }: { chrome: AdminChrome; view: MediaLibraryView }) {
  const pageHref = (page: number) => `/admin/media?${new URLSearchParams({ ...(view.q ? { q: view.q } : {}), ...(page > 1 ? { page: String(page) } : {}) }).toString()}`;
  return (
    <AdminLayout chrome={chrome} title="Media" section="media">
      <div class="page-head">
        <h1>Media library</h1>
      </div>
      {view.notice ? (
        <p class={`notice ${view.notice.kind === 'ok' ? 'ok' : ''}`} role={view.notice.kind === 'ok' ? 'status' : 'alert'}>
          {view.notice.text}
        </p>
      ) : null}
      <UploadForm chrome={chrome} view={view} />
      <section class="panel" aria-labelledby="library-title" style="margin-top:1rem">
        <h2 id="library-title">Library</h2>
        <form class="filters" method="get" action="/admin/media" role="search" aria-label="Search the library">
          <div class="field">
            <label for="q">Search alt text, captions, credits and file names</label>
            <input id="q" name="q" type="search" value={view.q} maxLength={200} />
          </div>
          <div class="field">
            <button class="button secondary" type="submit">
              Search
            </button>
          </div>
        </form>
        {view.items.length === 0 ? (
          <p class="empty">{view.q ? 'No image matches.' : 'No images yet. Upload the first one above.'}</p>
        ) : (
          <ul class="media-grid">
            {view.items.map(({ media, url, thumbnailUrl }) => (
              <li key={media.id} id={`media-${media.id}`} class={view.highlight === media.id ? 'highlight' : undefined}>
                <img src={thumbnailUrl} alt={media.alt} width={320} height={Math.round((320 * media.height) / media.width)} loading="lazy" decoding="async" />
                <div>
                  <p>
                    <strong>{media.alt}</strong>
                  </p>
                  {media.caption ? <p>{media.caption}</p> : null}
                  <p class="meta">
                    {media.credit ? `${media.credit} · ` : ''}
                    {media.width}×{media.height} · {formatWhen(media.createdAt, chrome)}
                  </p>
                  <label class="meta" for={`url-${media.id}`}>
                    Address to use as a lead image
                  </label>
                  <input id={`url-${media.id}`} type="text" readOnly value={url} />
                </div>
              </li>
            ))}
          </ul>
        )}
        <nav class="filters" aria-label="Pages">
          {view.page > 1 ? <a href={pageHref(view.page - 1)}>← Newer</a> : null}
          {view.more ? <a href={pageHref(view.page + 1)}>Older →</a> : null}
        </nav>
      </section>
    </AdminLayout>
  );
}
