// Revisions: every save of an article keeps a copy of its editable fields.
import type { Queryable } from '../db.ts';
import type { ArticleInput } from '../articles/commands.ts';
import { notFound } from '../errors.ts';
import { iso } from '../time.ts';

/** The editable fields of an article, as saved in a revision. */
export type Snapshot = Required<Omit<ArticleInput, 'leadImage'>> & { leadImage: ArticleInput['leadImage'] | null };

export interface Revision {
  version: number;
  userId: number | null;
  at: string;
  fields: Snapshot;
}

/** Reads an article's current editable fields from the database. */
export async function snapshotOf(db: Queryable, articleId: number): Promise<Snapshot> {
  const row = await db.selectFrom('articles').selectAll().where('id', '=', articleId).executeTakeFirst();
  if (!row) throw notFound('That story');
  const [bylines, tags] = await Promise.all([
    db.selectFrom('article_bylines').select('person_id').where('article_id', '=', articleId).orderBy('position').execute(),
    db
      .selectFrom('article_tags')
      .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
      .select('tags.name')
      .where('article_tags.article_id', '=', articleId)
      .orderBy('article_tags.position')
      .execute(),
  ]);
  return {
    headline: row.headline,
    slug: row.slug,
    deskId: row.desk_id,
    kicker: row.kicker,
    dek: row.dek,
    bodyHtml: row.body_html,
    excerpt: row.excerpt,
    leadImage: row.lead_image_url
      ? { url: row.lead_image_url, alt: row.lead_image_alt, caption: row.lead_image_caption, credit: row.lead_image_credit }
      : null,
    language: row.language,
    bylineIds: bylines.map((b) => b.person_id),
    tags: tags.map((t) => t.name),
    seoTitle: row.seo_title,
    seoDescription: row.seo_description,
  };
}

export async function writeRevision(db: Queryable, articleId: number, version: number, userId: number | null, now: Date): Promise<void> {
  const fields = await snapshotOf(db, articleId);
  await db
    .insertInto('revisions')
    .values({ article_id: articleId, version, user_id: userId, at: iso(now), fields: JSON.stringify(fields) })
    .execute();
}

export async function listRevisions(db: Queryable, articleId: number): Promise<Array<Omit<Revision, 'fields'> & { userEmail: string | null }>> {
  const rows = await db
    .selectFrom('revisions')
    .leftJoin('users', 'users.id', 'revisions.user_id')
    .select(['revisions.version', 'revisions.user_id', 'revisions.at', 'users.email'])
    .where('revisions.article_id', '=', articleId)
    .orderBy('revisions.version', 'desc')
    .execute();
  return rows.map((r) => ({ version: r.version, userId: r.user_id, at: r.at, userEmail: r.email }));
}

export async function getRevision(db: Queryable, articleId: number, version: number): Promise<Revision> {
  const row = await db
    .selectFrom('revisions')
    .selectAll()
    .where('article_id', '=', articleId)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) throw notFound(`Revision ${version}`);
  // Revisions written before the SEO fields existed lack them.
  const fields = { seoTitle: '', seoDescription: '', ...(JSON.parse(row.fields) as Partial<Snapshot>) } as Snapshot;
  return { version: row.version, userId: row.user_id, at: row.at, fields };
}
