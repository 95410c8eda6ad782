// The lead image's four fields, filled from the media library: a button beside them opens the
// library dialog (search, pick or upload) and writes the chosen image's address, alt text,
// caption and credit into the form, where autosave and Save take them as typed.
import { askFields } from './dialog.ts';
import { mediaLibrary } from './media.ts';
import { safeMediaUrl } from './urls.ts';

const FIELDS = [
  ['src', 'leadImageUrl'],
  ['alt', 'leadImageAlt'],
  ['caption', 'leadImageCaption'],
  ['credit', 'leadImageCredit'],
] as const;

export function enhanceLeadImage(form: HTMLFormElement): void {
  const inputs = FIELDS.map(([, id]) => form.querySelector<HTMLInputElement>(`#${id}`));
  if (inputs.some((input) => !input || input.disabled || input.readOnly)) return;
  const [url, alt, caption, credit] = inputs as HTMLInputElement[];
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'button secondary small';
  button.textContent = url!.value ? 'Change from the library…' : 'Choose from the library…';
  // What the image is, at a glance: the library's smallest variant is enough.
  const preview = document.createElement('img');
  preview.className = 'lead-preview';
  preview.alt = 'The lead image as chosen';
  const showPreview = () => {
    const src = safeMediaUrl(url!.value.trim());
    preview.hidden = !src;
    if (src) preview.src = src;
  };
  showPreview();
  url!.addEventListener('change', showPreview);
  url!.closest('.field')?.before(preview, button);

  button.addEventListener('click', async () => {
    const values = await askFields({
      restoreFocus: () => button.focus(),
      title: 'Lead image',
      submitLabel: 'Use this image',
      before: (controls) => mediaLibrary(controls, () => undefined),
      fields: [
        {
          name: 'src',
          label: 'Image address',
          value: url!.value,
          required: true,
          inputMode: 'url',
          hint: 'From the media library (/media/…) or an https:// address.',
          check: (v) => (safeMediaUrl(v) ? null : 'Use an http(s) address or a path on this site.'),
        },
        { name: 'alt', label: 'Alt text', value: alt!.value, required: true, hint: 'What the image shows, for readers who cannot see it.' },
        { name: 'caption', label: 'Caption', value: caption!.value },
        { name: 'credit', label: 'Credit', value: credit!.value, hint: 'Who made the image, e.g. “Photo: Sara Ahmadi/IFP”.' },
      ],
    });
    if (!values) return;
    for (const [key, id] of FIELDS) {
      const input = form.querySelector<HTMLInputElement>(`#${id}`)!;
      input.value = values[key] ?? '';
    }
    // One event for the whole change: the form's autosave listens to input events.
    url!.dispatchEvent(new Event('input', { bubbles: true }));
    url!.closest('details')?.setAttribute('open', '');
    showPreview();
    button.textContent = 'Change from the library…';
  });
}
