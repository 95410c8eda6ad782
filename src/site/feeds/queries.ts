// What feeds show of many stories beyond the public list's teasers: bodies, languages and tags,
// each read once for the whole feed (issue #6: no query per story). These belong in
// newsroom/articles/repository.ts; they live here until its owner takes them in.
import type { Queryable } from '../../newsroom/db.ts';
import { onlyPublic } from '../../newsroom/articles/visibility.ts';
import type { Tag } from '../../newsroom/tags/repository.ts';

/** Body and language of each of these stories readers may still see (one unpublished meanwhile is left out). */
export async function publicBodies(db: Queryable, ids: number[], now: Date): Promise<Map<number, { bodyHtml: string; language: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('articles')
    .select(['articles.id', 'articles.body_html', 'articles.language'])
    .where('articles.id', 'in', ids)
    .where((eb) => onlyPublic(eb, now))
    .execute();
  return new Map(rows.map((r) => [r.id, { bodyHtml: r.body_html, language: r.language }]));
}

/** The tags of each of these stories, in the story's order. */
export async function tagsByStory(db: Queryable, ids: number[]): Promise<Map<number, Tag[]>> {
  const out = new Map<number, Tag[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('article_tags')
    .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
    .select(['article_tags.article_id', 'tags.id', 'tags.slug', 'tags.name'])
    .where('article_tags.article_id', 'in', ids)
    .orderBy('article_tags.article_id')
    .orderBy('article_tags.position')
    .execute();
  for (const { article_id: articleId, ...tag } of rows) out.set(articleId, [...(out.get(articleId) ?? []), tag]);
  return out;
}
