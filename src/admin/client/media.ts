// The media library inside the image dialog: search it, pick an image, or upload one, through
// the newsroom media API (src/api/newsroom/media.ts). If that API is not there (404), the
// dialog is the plain "address + alt + caption + credit" form.
import type { DialogControls } from './dialog.ts';

const API = '/api/newsroom/v1/media';

interface LibraryImage {
  id: number;
  url: string;
  thumbnailUrl: string;
  filename: string;
  alt: string;
  caption: string;
  credit: string;
}

/** What the body's <img> gets from the library: the responsive attributes too. */
export interface PickedImage {
  src: string;
  width: number | null;
  height: number | null;
  srcset: string | null;
  sizes: string | null;
}

const csrf = () => document.querySelector<HTMLInputElement>('#story-form input[name="_csrf"]')?.value ?? '';

/** The <img> attributes of the library's ready-made body figure for one image. */
async function pickedFrom(id: number, fallbackUrl: string): Promise<PickedImage> {
  const picked: PickedImage = { src: fallbackUrl, width: null, height: null, srcset: null, sizes: null };
  const response = await fetch(`${API}/${id}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!response.ok) return picked;
  const data = (await response.json()) as { bodyHtml?: string };
  const template = document.createElement('template');
  template.innerHTML = data.bodyHtml ?? '';
  const img = template.content.querySelector('img');
  if (!img) return picked;
  const n = (v: string | null) => (v && /^\d{1,5}$/.test(v) ? Number(v) : null);
  return { src: img.getAttribute('src') || fallbackUrl, width: n(img.getAttribute('width')), height: n(img.getAttribute('height')), srcset: img.getAttribute('srcset'), sizes: img.getAttribute('sizes') };
}

/**
 * The library panel. `onPick` gets the chosen image's attributes (null when the writer types
 * another address); the dialog's own fields (src, alt, caption, credit) are filled in.
 */
export function mediaLibrary(fields: DialogControls, onPick: (picked: PickedImage | null) => void): HTMLElement {
  const section = document.createElement('section');
  section.className = 'media-library';
  section.setAttribute('aria-labelledby', 'media-library-title');
  section.hidden = true;
  section.innerHTML =
    '<h3 id="media-library-title">From the media library</h3>' +
    '<div class="field"><label for="media-search">Search images</label><input id="media-search" type="search" autocomplete="off"></div>' +
    '<ul class="media-results" aria-label="Images"></ul>' +
    '<div class="field"><label for="media-upload">Or upload an image (JPEG, PNG, WebP or AVIF)</label><input id="media-upload" type="file" accept="image/jpeg,image/png,image/webp,image/avif"></div>' +
    '<p class="media-status" role="status"></p>';
  const search = section.querySelector<HTMLInputElement>('#media-search')!;
  const results = section.querySelector<HTMLUListElement>('.media-results')!;
  const upload = section.querySelector<HTMLInputElement>('#media-upload')!;
  const status = section.querySelector<HTMLElement>('.media-status')!;
  let picked: PickedImage | null = null;

  const choose = async (image: LibraryImage) => {
    status.textContent = 'Loading the image…';
    picked = await pickedFrom(image.id, image.url).catch(() => ({ src: image.url, width: null, height: null, srcset: null, sizes: null }));
    fields.set('src', picked.src);
    fields.set('alt', image.alt);
    fields.set('caption', image.caption);
    fields.set('credit', image.credit);
    onPick(picked);
    for (const b of Array.from(results.querySelectorAll('button'))) b.setAttribute('aria-pressed', String(b.dataset.id === String(image.id)));
    status.textContent = `Chosen: ${image.alt || image.filename}. Check the alt text, caption and credit below.`;
  };

  const list = async (q: string) => {
    const response = await fetch(`${API}?limit=12${q ? `&q=${encodeURIComponent(q)}` : ''}`, { credentials: 'same-origin', headers: { accept: 'application/json' } }).catch(() => null);
    if (!response || !response.ok) return false;
    const data = (await response.json()) as { media?: LibraryImage[] };
    results.replaceChildren();
    for (const image of data.media ?? []) {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.id = String(image.id);
      button.setAttribute('aria-pressed', 'false');
      const img = document.createElement('img');
      img.src = image.thumbnailUrl;
      img.alt = '';
      const name = document.createElement('span');
      name.textContent = image.alt || image.filename;
      button.append(img, name);
      button.addEventListener('click', () => void choose(image));
      li.append(button);
      results.append(li);
    }
    if (!data.media?.length) status.textContent = q ? `No images match “${q}”.` : 'The library is empty: upload the first image.';
    return true;
  };

  let typing: number | undefined;
  search.addEventListener('input', () => {
    window.clearTimeout(typing);
    typing = window.setTimeout(() => void list(search.value.trim()), 250);
  });
  // Enter in the search box searches; it must not submit the dialog.
  search.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      void list(search.value.trim());
    }
  });
  upload.addEventListener('change', async () => {
    const file = upload.files?.[0];
    if (!file) return;
    const body = new FormData();
    body.append('alt', fields.get('alt'));
    body.append('caption', fields.get('caption'));
    body.append('credit', fields.get('credit'));
    body.append('file', file);
    status.textContent = `Uploading ${file.name}…`;
    const response = await fetch(API, { method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json', 'x-csrf-token': csrf() }, body }).catch(() => null);
    const data = response ? ((await response.json().catch(() => ({}))) as { media?: LibraryImage; error?: { message?: string } }) : {};
    if (!response || !response.ok || !data.media) {
      status.textContent = `Not uploaded: ${data.error?.message ?? 'the connection failed. Try again.'}`;
      return;
    }
    await choose({ ...data.media, alt: data.media.alt || fields.get('alt'), caption: data.media.caption || fields.get('caption'), credit: data.media.credit || fields.get('credit') });
    void list('');
  });

  // Shown only if the library answers.
  void list('').then((ok) => {
    section.hidden = !ok;
  });
  return section;
}
