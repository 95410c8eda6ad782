import type { Queryable } from '../db.ts';
import { slugify } from '../text.ts';

export interface Tag {
  id: number;
  slug: string;
  name: string;
}

export async function findTagBySlug(db: Queryable, slug: string): Promise<Tag | undefined> {
  return db.selectFrom('tags').select(['id', 'slug', 'name']).where('slug', '=', slug).executeTakeFirst();
}

/** A tag name as stored: trimmed, inner whitespace collapsed. */
const tagName = (name: string): string => name.trim().replace(/\s+/g, ' ');

/** The slugs of the tags ensureTags gives these names, in its order. */
export const tagSlugs = (names: string[]): string[] => [...new Set(names.map((name) => slugify(tagName(name))).filter(Boolean))];

/** The tags with these names, created when missing; same order as the names, duplicates dropped. */
export async function ensureTags(db: Queryable, names: string[]): Promise<Tag[]> {
  const wanted = new Map<string, string>();
  for (const name of names) {
    const clean = tagName(name);
    const slug = slugify(clean);
    if (slug && !wanted.has(slug)) wanted.set(slug, clean);
  }
  if (wanted.size === 0) return [];
  const slugs = [...wanted.keys()];
  const existing = await db.selectFrom('tags').select(['id', 'slug', 'name']).where('slug', 'in', slugs).execute();
  const bySlug = new Map(existing.map((t) => [t.slug, t]));
  const missing = slugs.filter((s) => !bySlug.has(s));
  if (missing.length > 0) {
    const created = await db
      .insertInto('tags')
      .values(missing.map((slug) => ({ slug, name: wanted.get(slug) ?? slug })))
      .onConflict((oc) => oc.column('slug').doNothing())
      .returning(['id', 'slug', 'name'])
      .execute();
    for (const t of created) bySlug.set(t.slug, t);
    if (created.length < missing.length) {
      // Someone else created a few at the same moment: read those back.
      const rest = await db.selectFrom('tags').select(['id', 'slug', 'name']).where('slug', 'in', missing).execute();
      for (const t of rest) bySlug.set(t.slug, t);
    }
  }
  return slugs.map((s) => bySlug.get(s)).filter((t): t is Tag => t !== undefined);
}
