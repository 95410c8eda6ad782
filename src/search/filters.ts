// The reader-visibility rule and the filters as one SQL condition on `articles`, shared by both
// engines: visibility is onlyPublic itself, not a copy of it.
import { expressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { Database } from '../db/schema.ts';
import { onlyPublic } from '../newsroom/articles/visibility.ts';
import { iso } from '../newsroom/time.ts';
import type { SearchFilters } from './types.ts';

export function visibleWhere(filters: SearchFilters, now: Date): Expression<SqlBool> {
  const eb = expressionBuilder<Database, 'articles'>();
  const conditions: Expression<SqlBool>[] = [onlyPublic(eb, now)];
  if (filters.deskId !== undefined) conditions.push(eb('articles.desk_id', '=', filters.deskId));
  if (filters.from) conditions.push(eb('articles.published_at', '>=', iso(filters.from)));
  if (filters.to) conditions.push(eb('articles.published_at', '<', iso(filters.to)));
  if (filters.personId !== undefined) {
    const personId = filters.personId;
    conditions.push(
      eb('articles.id', 'in', eb.selectFrom('article_bylines').select('article_bylines.article_id').where('article_bylines.person_id', '=', personId)),
    );
  }
  return eb.and(conditions);
}
