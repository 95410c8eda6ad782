// The public record of corrections: every correction note on a story readers can see.
import type { Queryable } from '../db.ts';
import { iso } from '../time.ts';
import { onlyPublic } from './visibility.ts';

export interface CorrectionEntry {
  note: string;
  at: string;
  article: { id: number; slug: string; headline: string; desk: { slug: string; name: string } };
}

export async function listCorrections(db: Queryable, q: { limit: number; offset?: number }, now = new Date()): Promise<{ items: CorrectionEntry[]; more: boolean }> {
  const rows = await db
    .selectFrom('article_events')
    .innerJoin('articles', 'articles.id', 'article_events.article_id')
    .innerJoin('desks', 'desks.id', 'articles.desk_id')
    .select(['article_events.note', 'article_events.at', 'articles.id', 'articles.slug', 'articles.headline', 'desks.slug as desk_slug', 'desks.name as desk_name'])
    .where('article_events.kind', '=', 'correction')
    .where('article_events.at', '<=', iso(now))
    .where((eb) => onlyPublic(eb, now))
    .orderBy('article_events.at', 'desc')
    .orderBy('article_events.id', 'desc')
    .limit(q.limit + 1)
    .offset(q.offset ?? 0)
    .execute();
  return {
    items: rows.slice(0, q.limit).map((r) => ({
      note: r.note,
      at: r.at,
      article: { id: r.id, slug: r.slug, headline: r.headline, desk: { slug: r.desk_slug, name: r.desk_name } },
    })),
    more: rows.length > q.limit,
  };
}
