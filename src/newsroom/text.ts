// Plain text from body HTML, excerpts and slugs: the small text rules every surface shares.
import { decodeHTML } from 'entities';

/** The readable text of an HTML fragment, with block boundaries as spaces. */
export function textFromHtml(html: string): string {
  const withoutTags = html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<\/?(p|div|h[1-6]|li|blockquote|figure|figcaption|br|hr|tr|td|th)\b[^>]*>/gi, ' ')
    .replace(/<[^>]*>/g, '');
  return decodeHTML(withoutTags).replace(/\s+/g, ' ').trim();
}

export const EXCERPT_MAX_WORDS = 15;
export const EXCERPT_MAX_CHARS = 110;

/**
 * The first words of a text, cut at a word boundary and ending in "…" when cut: at most
 * 15 words and about 100 characters, as the reference page's Recent Posts show them.
 */
export function excerpt(text: string, maxWords = EXCERPT_MAX_WORDS, maxChars = EXCERPT_MAX_CHARS): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  const words = clean.split(' ').filter(Boolean);
  let out = '';
  let count = 0;
  for (const word of words) {
    const next = out ? `${out} ${word}` : word;
    if (count === maxWords || next.length > maxChars) break;
    out = next;
    count++;
  }
  if (out.length === clean.length) return clean;
  if (out === '') out = clean.slice(0, maxChars - 1); // one giant "word": cut it anyway
  return out.replace(/[\s,;:.!?–—-]+$/u, '') + '…';
}

/** URL slug: lower-case letters and digits of any script, joined by single hyphens. */
export function slugify(input: string, maxLength = 80): string {
  const slug = input
    // Fold Latin diacritics (é → e) but leave other scripts' marks alone: آ must stay آ.
    .replace(/[\u00C0-\u024F\u1E00-\u1EFF]/g, (c) => c.normalize('NFKD').replace(/\p{M}+/gu, ''))
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return shortenSlug(slug, maxLength);
}

/**
 * A slug cut to at most `maxLength` characters at its last hyphen that fits, so no word is cut;
 * mid-word only when that would lose more than half of it (slugify's rule).
 */
export function shortenSlug(slug: string, maxLength: number): string {
  if (slug.length <= maxLength) return slug;
  const cut = slug.slice(0, maxLength);
  const boundary = cut.lastIndexOf('-');
  return (boundary > maxLength / 2 ? cut.slice(0, boundary) : cut).replace(/-+$/, '');
}

export const isSlug = (value: string): boolean => /^[\p{Ll}\p{Lo}\p{N}]+(-[\p{Ll}\p{Lo}\p{N}]+)*$/u.test(value) && value.length <= 200;
