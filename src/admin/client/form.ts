// The story form as the newsroom API's story fields, and back: the same mapping the form's own
// POST handler makes (src/admin/routes/stories.tsx, inputFromForm), so an autosave stores exactly
// what pressing Save would.

export interface LeadImage {
  url: string;
  alt: string;
  caption: string;
  credit: string;
}

/** The API's StoryFields (src/api/newsroom/schemas.ts). */
export interface StoryFields {
  headline: string;
  deskId: number;
  slug?: string;
  kicker: string;
  dek: string;
  bodyHtml: string;
  excerpt: string;
  leadImage: LeadImage | null;
  language: string;
  bylineIds: number[];
  tags: string[];
  seoTitle: string;
  seoDescription: string;
}

const control = (form: HTMLFormElement, name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement | RadioNodeList | null;

function value(form: HTMLFormElement, name: string): string {
  const el = control(form, name);
  if (!el) return '';
  return 'value' in el ? el.value : '';
}

function setValue(form: HTMLFormElement, name: string, v: string): void {
  const el = control(form, name);
  if (el && !(el instanceof RadioNodeList)) el.value = v;
}

const bylineSelects = (form: HTMLFormElement) => Array.from(form.querySelectorAll<HTMLSelectElement>('select[name="bylineIds"]'));

export function readFields(form: HTMLFormElement, bodyHtml: string): StoryFields {
  const desk = value(form, 'deskId');
  const slug = value(form, 'slug').trim();
  const url = value(form, 'leadImageUrl').trim();
  const fields: StoryFields = {
    headline: value(form, 'headline'),
    deskId: /^\d{1,12}$/.test(desk) ? Number(desk) : 0,
    kicker: value(form, 'kicker'),
    dek: value(form, 'dek'),
    bodyHtml,
    excerpt: value(form, 'excerpt'),
    leadImage: url ? { url, alt: value(form, 'leadImageAlt'), caption: value(form, 'leadImageCaption'), credit: value(form, 'leadImageCredit') } : null,
    language: value(form, 'language') || 'en',
    bylineIds: bylineSelects(form)
      .map((s) => s.value)
      .filter((v) => /^\d{1,12}$/.test(v))
      .map(Number),
    tags: value(form, 'tags')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    seoTitle: value(form, 'seoTitle'),
    seoDescription: value(form, 'seoDescription'),
  };
  if (slug) fields.slug = slug;
  return fields;
}

/** Puts saved fields (theirs, or an emergency copy) into the form; the body goes to the editor. */
export function writeFields(form: HTMLFormElement, fields: Partial<StoryFields>): void {
  if (fields.headline !== undefined) setValue(form, 'headline', fields.headline);
  if (fields.kicker !== undefined) setValue(form, 'kicker', fields.kicker);
  if (fields.dek !== undefined) setValue(form, 'dek', fields.dek);
  if (fields.slug !== undefined) setValue(form, 'slug', fields.slug);
  if (fields.deskId !== undefined) setValue(form, 'deskId', fields.deskId ? String(fields.deskId) : '');
  if (fields.excerpt !== undefined) setValue(form, 'excerpt', fields.excerpt);
  if (fields.language !== undefined) setValue(form, 'language', fields.language);
  if (fields.tags !== undefined) setValue(form, 'tags', fields.tags.join(', '));
  if (fields.seoTitle !== undefined) setValue(form, 'seoTitle', fields.seoTitle);
  if (fields.seoDescription !== undefined) setValue(form, 'seoDescription', fields.seoDescription);
  if (fields.leadImage !== undefined) {
    const image = fields.leadImage;
    setValue(form, 'leadImageUrl', image?.url ?? '');
    setValue(form, 'leadImageAlt', image?.alt ?? '');
    setValue(form, 'leadImageCaption', image?.caption ?? '');
    setValue(form, 'leadImageCredit', image?.credit ?? '');
  }
  if (fields.bylineIds !== undefined) {
    bylineSelects(form).forEach((select, i) => {
      const id = fields.bylineIds?.[i];
      select.value = id === undefined ? '' : String(id);
    });
  }
}

/** The words a writer would mind losing, normalised: equal means nothing would be lost. */
export function wordsOf(fields: StoryFields): string {
  const norm = (s: string | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
  return JSON.stringify([
    norm(fields.headline),
    norm(fields.kicker),
    norm(fields.dek),
    norm(fields.excerpt),
    fields.bodyHtml.replace(/\s+/g, ' ').trim(),
    fields.tags.map(norm),
    norm(fields.leadImage?.url),
    norm(fields.leadImage?.alt),
    norm(fields.leadImage?.caption),
    norm(fields.leadImage?.credit),
    norm(fields.seoTitle),
    norm(fields.seoDescription),
  ]);
}
