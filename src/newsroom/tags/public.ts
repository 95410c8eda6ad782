// Tags as readers may see them: only tags on at least one published story, with how many.
// A tag that so far sits only on drafts would tell readers what the newsroom is working on.
import type { Queryable } from '../db.ts';
import { toCount } from '../db.ts';
import { onlyPublic } from '../articles/visibility.ts';
import type { Tag } from './repository.ts';

export interface PublicTag extends Tag {
  /** Published stories with this tag. */
  articleCount: number;
}

function publicTags(db: Queryable, now: Date) {
  return db
    .selectFrom('tags')
    .innerJoin('article_tags', 'article_tags.tag_id', 'tags.id')
    .innerJoin('articles', 'articles.id', 'article_tags.article_id')
    .select(['tags.id', 'tags.slug', 'tags.name', (eb) => eb.fn.countAll<number | string>().as('article_count')])
    .where((eb) => onlyPublic(eb, now))
    .groupBy(['tags.id', 'tags.slug', 'tags.name']);
}

const toPublicTag = (row: { id: number; slug: string; name: string; article_count: number | string }): PublicTag => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  articleCount: toCount(row.article_count),
});

/** Public tags in slug order, `limit` at a time after the slug `after`; `next` is the last slug when more exist. */
export async function listPublicTags(db: Queryable, q: { limit: number; after?: string }, now = new Date()): Promise<{ items: PublicTag[]; next: string | null }> {
  let query = publicTags(db, now);
  if (q.after !== undefined) query = query.where('tags.slug', '>', q.after);
  const rows = await query.orderBy('tags.slug').limit(q.limit + 1).execute();
  const page = rows.slice(0, q.limit).map(toPublicTag);
  return { items: page, next: rows.length > q.limit ? (page.at(-1)?.slug ?? null) : null };
}

/** The tag with this slug when a reader may see it. */
export async function findPublicTag(db: Queryable, slug: string, now = new Date()): Promise<PublicTag | undefined> {
  const row = await publicTags(db, now).where('tags.slug', '=', slug).executeTakeFirst();
  return row && toPublicTag(row);
}
