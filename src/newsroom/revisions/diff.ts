// A readable, word-level comparison of two revisions, field by field.
import { diffWords } from 'diff';
import { textFromHtml } from '../text.ts';
import type { Snapshot } from './repository.ts';

export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

export interface FieldDiff {
  field: string;
  changed: boolean;
  parts: DiffPart[];
}

const LABELS: Record<keyof Snapshot, string> = {
  headline: 'Headline',
  kicker: 'Kicker',
  dek: 'Dek',
  slug: 'Slug',
  deskId: 'Desk',
  bodyHtml: 'Body',
  excerpt: 'Excerpt',
  leadImage: 'Lead image',
  language: 'Language',
  bylineIds: 'Bylines',
  tags: 'Tags',
  seoTitle: 'SEO title',
  seoDescription: 'SEO description',
};

/** Text a person compares: the body as paragraphs of text, lists joined, images by their fields. */
function readable(field: keyof Snapshot, value: Snapshot[keyof Snapshot], names: (field: keyof Snapshot, value: unknown) => string | undefined): string {
  const named = names(field, value);
  if (named !== undefined) return named;
  if (field === 'bodyHtml') return String(value ?? '').split(/<\/(?:p|h[2-4]|li|blockquote|figcaption)>/).map(textFromHtml).filter(Boolean).join('\n');
  if (field === 'leadImage') {
    const image = value as Snapshot['leadImage'];
    return image ? `${image.url}\nAlt: ${image.alt}\nCaption: ${image.caption}\nCredit: ${image.credit}` : '';
  }
  if (Array.isArray(value)) return value.join(', ');
  return value === null || value === undefined ? '' : String(value);
}

export function diffSnapshots(
  before: Snapshot,
  after: Snapshot,
  names: (field: keyof Snapshot, value: unknown) => string | undefined = () => undefined,
): FieldDiff[] {
  return (Object.keys(LABELS) as Array<keyof Snapshot>).map((field) => {
    const a = readable(field, before[field], names);
    const b = readable(field, after[field], names);
    const parts: DiffPart[] = diffWords(a, b).map((c) => ({ kind: c.added ? 'added' : c.removed ? 'removed' : 'same', text: c.value }));
    return { field: LABELS[field], changed: a !== b, parts };
  });
}
