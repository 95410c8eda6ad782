// The one rule of what a reader may see: published, its time come, its embargo passed.
// Every public query goes through onlyPublic; nothing else decides visibility.
import type { ExpressionBuilder, Expression, SqlBool } from 'kysely';
import type { Database } from '../db.ts';
import { iso } from '../time.ts';

export function onlyPublic(eb: ExpressionBuilder<Database, 'articles'>, now: Date): Expression<SqlBool> {
  const at = iso(now);
  return eb.and([
    eb('articles.status', '=', 'published'),
    eb('articles.published_at', '<=', at),
    eb.or([eb('articles.embargo_until', 'is', null), eb('articles.embargo_until', '<=', at)]),
  ]);
}
