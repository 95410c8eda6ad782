// What the WXR export reads, in the shapes it writes. Stories come a page at a time (with their
// bylines and tags in two queries a page), so memory stays flat however large the newsroom.
import type { Queryable } from '../../db.ts';
import type { Status } from '../../articles/types.ts';
import { tagsByArticle } from '../../articles/repository.ts';
import { listPages, type StaticPage } from '../../legacy/repository.ts';
import { toPerson } from '../../people/repository.ts';
import { readSiteSettings } from '../../settings/repository.ts';
import { findMediaByKey, searchMediaRows } from '../../../media/repository.ts';
import type { Media } from '../../../media/types.ts';
import { mediaUrl } from '../../../media/picture.ts';

export interface ExportPerson {
  id: number;
  /** Our slug: the WordPress login, so /author/<login> is the same address. */
  slug: string;
  name: string;
  email: string;
}

export interface ExportDesk {
  id: number;
  slug: string;
  name: string;
  description: string;
}

export interface ExportTag {
  id: number;
  slug: string;
  name: string;
}

export interface ExportArticle {
  id: number;
  slug: string;
  desk: ExportDesk;
  kicker: string;
  headline: string;
  dek: string;
  bodyHtml: string;
  excerpt: string;
  leadImage: { url: string; alt: string; caption: string; credit: string } | null;
  language: string;
  status: Status;
  publishedAt: string | null;
  embargoUntil: string | null;
  createdAt: string;
  modifiedAt: string;
  seoTitle: string;
  seoDescription: string;
  /** Person ids, in byline order. */
  bylines: number[];
  tags: ExportTag[];
  onFrontPage: boolean;
}

export interface ExportMedia {
  id: number;
  /** Site path of the largest fallback file: what a story's lead image stores. */
  path: string;
  name: string;
  mime: string;
  alt: string;
  caption: string;
  credit: string;
  createdAt: string;
}

export async function siteTitle(db: Queryable): Promise<{ title: string; tagline: string }> {
  const settings = await readSiteSettings(db);
  return { title: settings.siteName, tagline: settings.tagline };
}

/** Everyone with a profile; the email is the public contact address, else the linked account's. */
export async function exportPeople(db: Queryable): Promise<ExportPerson[]> {
  const rows = await db.selectFrom('people').selectAll().orderBy('id').execute();
  const users = await db.selectFrom('users').select(['person_id', 'email']).where('person_id', 'is not', null).orderBy('id').execute();
  const accountEmail = new Map<number, string>();
  for (const u of users) if (u.person_id !== null && !accountEmail.has(u.person_id)) accountEmail.set(u.person_id, u.email);
  return rows.map((row) => {
    const person = toPerson(row);
    const contact = person.contacts.find((c) => c.kind === 'email')?.value;
    return { id: person.id, slug: person.slug, name: person.name, email: contact ?? accountEmail.get(person.id) ?? '' };
  });
}

export async function exportDesks(db: Queryable): Promise<ExportDesk[]> {
  return db.selectFrom('desks').select(['id', 'slug', 'name', 'description']).orderBy('position').orderBy('name').execute();
}

export async function exportTags(db: Queryable): Promise<ExportTag[]> {
  return db.selectFrom('tags').select(['id', 'slug', 'name']).orderBy('id').execute();
}

export async function exportPages(db: Queryable): Promise<StaticPage[]> {
  return listPages(db);
}

/** The highest id of each table, to lay out WordPress's single id space. */
export async function maxIds(db: Queryable): Promise<{ articles: number; pages: number; media: number; desks: number; tags: number }> {
  const max = async (table: 'articles' | 'static_pages' | 'media' | 'desks' | 'tags') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0);
  return { articles: await max('articles'), pages: await max('static_pages'), media: await max('media'), desks: await max('desks'), tags: await max('tags') };
}

const toExportMedia = (m: Media): ExportMedia => ({
  id: m.id,
  path: mediaUrl(m),
  name: m.originalName,
  mime: m.mime,
  alt: m.alt,
  caption: m.caption,
  credit: m.credit,
  createdAt: m.createdAt,
});

/** The media library, a page at a time. */
export async function* exportMedia(db: Queryable, page = 200): AsyncGenerator<ExportMedia> {
  for (let offset = 0; ; offset += page) {
    const { items } = await searchMediaRows(db, { limit: page, offset });
    for (const m of items) yield toExportMedia(m);
    if (items.length < page) return;
  }
}

/** The library image a stored lead-image URL shows, if it is one of ours. */
export async function mediaOfUrl(db: Queryable, url: string, cache: Map<string, ExportMedia | null>): Promise<ExportMedia | null> {
  const key = /^\/media\/([0-9a-f]{32})\//.exec(url)?.[1];
  if (!key) return null;
  if (!cache.has(key)) {
    const found = await findMediaByKey(db, key);
    cache.set(key, found ? toExportMedia(found) : null);
  }
  return cache.get(key) ?? null;
}

/** Every story, oldest id first, a page at a time. */
export async function* exportArticles(db: Queryable, page = 200): AsyncGenerator<ExportArticle> {
  const front = new Set((await db.selectFrom('front_page').select('article_id').execute()).map((r) => r.article_id));
  for (let after = 0; ; ) {
    const rows = await db
      .selectFrom('articles')
      .innerJoin('desks', 'desks.id', 'articles.desk_id')
      .selectAll('articles')
      .select(['desks.slug as desk_slug', 'desks.name as desk_name', 'desks.description as desk_description'])
      .where('articles.id', '>', after)
      .orderBy('articles.id')
      .limit(page)
      .execute();
    if (rows.length === 0) return;
    const ids = rows.map((r) => r.id);
    const bylines = await db.selectFrom('article_bylines').select(['article_id', 'person_id']).where('article_id', 'in', ids).orderBy('article_id').orderBy('position').execute();
    const tags = await tagsByArticle(db, ids);
    for (const row of rows) {
      yield {
        id: row.id,
        slug: row.slug,
        desk: { id: row.desk_id, slug: row.desk_slug, name: row.desk_name, description: row.desk_description },
        kicker: row.kicker,
        headline: row.headline,
        dek: row.dek,
        bodyHtml: row.body_html,
        excerpt: row.excerpt,
        leadImage: row.lead_image_url ? { url: row.lead_image_url, alt: row.lead_image_alt, caption: row.lead_image_caption, credit: row.lead_image_credit } : null,
        language: row.language,
        status: row.status,
        publishedAt: row.published_at,
        embargoUntil: row.embargo_until,
        createdAt: row.created_at,
        modifiedAt: row.modified_at,
        seoTitle: row.seo_title,
        seoDescription: row.seo_description,
        bylines: bylines.filter((b) => b.article_id === row.id).map((b) => b.person_id),
        tags: tags.get(row.id) ?? [],
        onFrontPage: front.has(row.id),
      };
    }
    after = rows[rows.length - 1]?.id ?? after;
    if (rows.length < page) return;
  }
}
