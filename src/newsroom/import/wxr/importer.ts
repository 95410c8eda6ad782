// `dateline import wxr`: a WordPress export into the newsroom, in two reads of the file.
//
// The first read (scan.ts) parses all of it: a file that is not well-formed XML, not a WXR
// export, or of an unknown version is refused there, before anything is written. The second
// read writes: authors and desks first, in one transaction; then items in batches, one
// transaction each. Every item is keyed by its WordPress post id (import_keys), so a second run
// updates what changed and leaves the rest, and a run stopped half-way is finished by running
// it again: committed batches are found and kept, the rest is written.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Kysely, Transaction } from 'kysely';
import { cleanArticleInput, createArticles, updateArticleContent, type ArticleInput } from '../../articles/commands.ts';
import { LIMITS, STATUSES, type LeadImage, type Status } from '../../articles/types.ts';
import { sanitizeBody } from '../../body.ts';
import type { Database, Queryable } from '../../db.ts';
import { createDesk, findDeskBySlug } from '../../desks/repository.ts';
import { RESERVED_SLUGS } from '../../desks/types.ts';
import { NewsroomError } from '../../errors.ts';
import { FRONT_PAGE_SLOTS } from '../../frontpage.ts';
import { createPage, findPageByPath, normalizePath, setRedirect, updatePage, type PageInput, type RedirectTarget } from '../../legacy/repository.ts';
import { createPerson, findPersonBySlug } from '../../people/repository.ts';
import { readSetting, writeSetting } from '../../settings/repository.ts';
import { excerpt as cutExcerpt, slugify } from '../../text.ts';
import { iso, zonedInstant } from '../../time.ts';
import { createUser, normaliseEmail } from '../../users.ts';
import { convertBody, plainText, type AttachmentInfo } from './body.ts';
import { readWxr, type WxrItem } from './reader.ts';
import { DATELINE_META, metaText, seoOf, STATUSES_OF, YOAST_META } from './meta.ts';
import { GUEST_AUTHOR, IMPORTED_TYPES, primaryTerm, scanWxr, termsOf, utcOf, wpTime, type AttachmentRecord, type DesksFrom, type Scan } from './scan.ts';
import { recordChange, TAGS } from '../../changes.ts';
import { lookupTable } from '../../lookup.ts';

/** Bump when the mapping changes: every item is then written again on the next run. */
const MAPPING_VERSION = '2';

export const DEFAULT_WXR_BATCH = 250;

/** Brings a file from --media-dir into the media library; see the CLI for the real one. */
export interface MediaImporter {
  /** `file` is relative to the uploads folder ("2020/01/cat.jpg"). */
  importImage(file: string, text: { alt: string; caption: string; credit: string }): Promise<{ id: number; url: string } | { refused: string }>;
}

export interface WxrImportOptions {
  desksFrom?: DesksFrom;
  /** Read and check everything, write nothing: the whole import runs in one transaction that is rolled back. */
  dryRun?: boolean;
  /** Zone for WordPress times that have no GMT twin, when the export does not tell its offset. */
  timeZone?: string;
  media?: MediaImporter;
  batchSize?: number;
  now?: Date;
  /** During the first read: items parsed so far. */
  onScan?(items: number): void;
  /** During the second read: items handled so far, of `total`. */
  onProgress?(done: number, total: number): void;
}

export interface ItemIssue {
  line: number;
  id: string;
  title: string;
  reason: string;
}

export interface Counts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface WxrImportSummary {
  version: string;
  site: string;
  items: number;
  posts: Counts;
  pages: Counts;
  skipped: ItemIssue[];
  /** Imported, but with something left behind (an unknown shortcode, a missing image …). */
  notes: ItemIssue[];
  people: number;
  users: number;
  desks: number;
  redirects: number;
  frontPage: number;
  media: { imported: number; remote: number; missing: number };
  /** How times without a GMT twin were read. */
  dates: string;
  controlCharacters: number;
  dryRun: boolean;
}

class DryRunDone extends Error {}

export async function importWxr(db: Kysely<Database>, open: () => Readable, options: WxrImportOptions = {}): Promise<WxrImportSummary> {
  const desksFrom = options.desksFrom ?? 'categories';
  const scan = await scanWxr(open, desksFrom, options.onScan);
  const summary: WxrImportSummary = {
    version: scan.channel.version,
    site: scan.channel.baseSiteUrl || scan.channel.link,
    items: scan.items,
    posts: { created: 0, updated: 0, unchanged: 0 },
    pages: { created: 0, updated: 0, unchanged: 0 },
    skipped: [],
    notes: [],
    people: 0,
    users: 0,
    desks: 0,
    redirects: 0,
    frontPage: 0,
    media: { imported: 0, remote: 0, missing: 0 },
    dates: describeDates(scan, options.timeZone ?? 'UTC'),
    controlCharacters: scan.stats.controlCharacters,
    dryRun: options.dryRun ?? false,
  };
  const run = new Run(scan, summary, { ...options, desksFrom }, open);
  if (!options.dryRun) {
    await run.write(db);
    // One change for the whole run: readers may see any page differently now.
    await recordChange(db, [TAGS.site]);
    return summary;
  }
  // A dry run does all the work in one transaction and takes it back.
  try {
    await db.transaction().execute(async (trx) => {
      await run.write(trx);
      throw new DryRunDone();
    });
  } catch (error) {
    if (!(error instanceof DryRunDone)) throw error;
  }
  return summary;
}

function describeDates(scan: Scan, timeZone: string): string {
  if (scan.offsetMinutes === undefined) return `times without GMT read in ${timeZone}`;
  const m = Math.abs(scan.offsetMinutes);
  const sign = scan.offsetMinutes < 0 ? '−' : '+';
  return `times without GMT read at UTC${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}, the offset of the export's other times`;
}

interface Key {
  targetId: number | null;
  checksum: string;
}

interface ExistingArticle {
  id: number;
  slug: string;
  dek: string;
  kicker: string;
  language: string;
}

interface NewPost {
  item: WxrItem;
  checksum: string;
  clean: ReturnType<typeof cleanArticleInput>;
  status: Status;
  publishedAt: Date | null;
  createdAt: Date;
  notes: string[];
}

const redirectColumns = (target: RedirectTarget) => ({
  article_id: 'articleId' in target ? target.articleId : null,
  page_id: 'pageId' in target ? target.pageId : null,
  desk_id: 'deskId' in target ? target.deskId : null,
  location: 'location' in target ? target.location : null,
});

type Plan =
  | { kind: 'skip'; reason: string }
  | { kind: 'post'; item: WxrItem; checksum: string }
  | { kind: 'page'; item: WxrItem; checksum: string };

/** One import: the scan, the options, and what the first writes made (people, desks). */
class Run {
  private readonly desksFrom: DesksFrom;
  private readonly timeZone: string;
  private readonly people = new Map<string, number>();
  private readonly desks = new Map<string, number>();
  private fallbackDesk: number | undefined;
  private readonly sticky: number[] = [];
  private readonly mediaUrls = new Map<string, string>();
  /** New URL by upload path ("2026/11/cat.jpg"), for images in bodies. */
  private readonly fileUrls = new Map<string, string>();
  private readonly deskSlugs = new Map<number, string>();
  /** Rows of the batch being written, flushed at its end. */
  private keys: Array<{ kind: string; key: string; targetId: number; guid: string; checksum: string }> = [];
  private redirects = new Map<string, RedirectTarget>();
  private done = 0;

  constructor(
    private readonly scan: Scan,
    private readonly summary: WxrImportSummary,
    private readonly options: WxrImportOptions & { desksFrom: DesksFrom },
    private readonly open: () => Readable,
  ) {
    this.desksFrom = options.desksFrom;
    this.timeZone = options.timeZone ?? 'UTC';
  }

  private get now(): Date {
    return this.options.now ?? new Date();
  }

  async write(db: Kysely<Database> | Transaction<Database>): Promise<void> {
    await inTransaction(db, async (trx) => {
      await this.writeSiteName(trx);
      await this.writeAuthors(trx);
      await this.writeDesks(trx);
      await this.writeTermRedirects(trx);
    });
    await this.importAttachments(db);
    const batchSize = this.options.batchSize ?? DEFAULT_WXR_BATCH;
    let batch: WxrItem[] = [];
    for await (const record of readWxr(this.open())) {
      if (record.type !== 'item') continue;
      batch.push(record.item);
      if (batch.length >= batchSize) {
        await this.writeBatch(db, batch);
        batch = [];
      }
    }
    if (batch.length > 0) await this.writeBatch(db, batch);
    await inTransaction(db, (trx) => this.placeSticky(trx));
  }

  /** A new newsroom takes the site's name and tagline; one that has its own keeps them. */
  private async writeSiteName(db: Queryable): Promise<void> {
    const { title, description } = this.scan.channel;
    for (const [key, value] of [['site_name', plainText(title)], ['tagline', plainText(description)]] as const) {
      if (value && (await readSetting(db, key)) === undefined) await writeSetting(db, key, value.slice(0, 200));
    }
  }

  // ---- Authors → people (and users without a password: no login until invited) ----

  private async writeAuthors(db: Queryable): Promise<void> {
    const known = await keysOf(db, this.scan.source, 'author');
    const authors = [
      ...this.scan.authors,
      ...[...this.scan.creators].map((login) => ({ id: '', login, email: '', displayName: login, firstName: '', lastName: '' })),
    ];
    for (const author of authors) {
      if (!author.login) continue;
      const existing = known.get(author.login);
      if (existing?.targetId != null && (await db.selectFrom('people').select('id').where('id', '=', existing.targetId).executeTakeFirst())) {
        this.people.set(author.login, existing.targetId);
        continue;
      }
      const name = plainText(author.displayName) || plainText(`${author.firstName} ${author.lastName}`) || author.login;
      const kind = /\b(staff|desk|team)$/i.test(name) ? 'collective' : 'person';
      const person = await createPerson(db, { name, slug: await freeSlug(db, name || author.login, 'person'), kind, title: '' }, this.now);
      this.summary.people++;
      this.people.set(author.login, person.id);
      await putKey(db, this.scan.source, 'author', author.login, person.id, '', this.now);
      // A guest author is a byline without an account; it stays one.
      if (!this.scan.guests.has(author.login)) await this.writeUser(db, author.email, person.id, author.login);
      // WordPress's author archive, /author/<login>, leads to the person's page.
      if (slugify(author.login) !== person.slug) {
        if (await setRedirect(db, `/author/${author.login}`, { location: `/author/${person.slug}` }, this.now)) this.summary.redirects++;
      }
    }
  }

  private async writeUser(db: Queryable, email: string, personId: number, login: string): Promise<void> {
    if (!email) return;
    let clean: string;
    try {
      clean = normaliseEmail(email);
    } catch {
      this.summary.notes.push({ line: 0, id: login, title: `author ${login}`, reason: `"${email}" is not an email address; no account made` });
      return;
    }
    const user = await db.selectFrom('users').select(['id', 'person_id']).where('email', '=', clean).executeTakeFirst();
    if (user) {
      if (user.person_id === null) await db.updateTable('users').set({ person_id: personId }).where('id', '=', user.id).execute();
      return;
    }
    await createUser(db, { email: clean, role: 'contributor', personId }, this.now);
    this.summary.users++;
  }

  // ---- Categories (or tags) → desks ----

  private async writeDesks(db: Queryable): Promise<void> {
    const kind = this.desksFrom === 'categories' ? 'category' : 'tag-desk';
    const known = await keysOf(db, this.scan.source, kind);
    const names = new Map<string, number>();
    for (const { name } of this.scan.deskTerms.values()) names.set(plainText(name).toLowerCase(), (names.get(plainText(name).toLowerCase()) ?? 0) + 1);
    for (const [slug, term] of this.scan.deskTerms) {
      const mapped = known.get(slug);
      if (mapped?.targetId != null && (await db.selectFrom('desks').select('id').where('id', '=', mapped.targetId).executeTakeFirst())) {
        this.desks.set(slug, mapped.targetId);
        continue;
      }
      let name = plainText(term.name) || slug;
      // Two categories called "Foo" (one under "Bar"): the child says whose it is.
      if ((names.get(name.toLowerCase()) ?? 0) > 1 && term.parent) {
        const parent = this.scan.categories.get(term.parent);
        name = `${name} (${plainText(parent?.name ?? term.parent)})`;
      }
      const id = await this.deskFor(db, name, slug);
      this.desks.set(slug, id);
      await putKey(db, this.scan.source, kind, slug, id, '', this.now);
    }
  }

  /** The desk with this slug when one exists (an existing newsroom's Politics), else a new one. */
  private async deskFor(db: Queryable, name: string, wpSlug: string): Promise<number> {
    let slug = slugify(safeDecode(wpSlug)) || slugify(name) || 'desk';
    if (RESERVED_SLUGS.has(slug)) slug = `${slug}-desk`;
    const existing = await findDeskBySlug(db, slug);
    if (existing) return existing.id;
    const desk = await createDesk(db, { name: name.slice(0, 100), slug }, this.now);
    this.summary.desks++;
    return desk.id;
  }

  private async deskOf(db: Queryable, item: WxrItem): Promise<number> {
    const term = primaryTerm(item, this.desksFrom, this.scan.categories);
    const id = term && this.desks.get(term.slug);
    if (id !== undefined) return id;
    if (this.fallbackDesk === undefined) this.fallbackDesk = await this.deskFor(db, 'Uncategorized', 'uncategorized');
    return this.fallbackDesk;
  }

  /** /category/<path> of every desk category leads to the desk. */
  private async writeTermRedirects(db: Queryable): Promise<void> {
    if (this.desksFrom !== 'categories') return;
    for (const [slug, deskId] of this.desks) {
      const path = categoryPath(slug, this.scan);
      if (await setRedirect(db, path, { deskId }, this.now)) this.summary.redirects++;
    }
  }

  // ---- Attachments ----

  /** Images named by posts (featured or in a gallery) come into the media library when they can. */
  private async importAttachments(db: Queryable): Promise<void> {
    const known = await keysOf(db, this.scan.source, 'attachment');
    for (const attachment of this.scan.attachments.values()) {
      const key = known.get(attachment.id);
      if (key && key.targetId !== null) {
        const url = (await db.selectFrom('import_keys').select('url').where('source', '=', this.scan.source).where('kind', '=', 'attachment').where('key', '=', attachment.id).executeTakeFirst())?.url;
        if (url) {
          this.mediaUrls.set(attachment.id, url);
          this.fileUrls.set(attachment.file, url);
        }
        continue;
      }
      // A dry run writes no files: images would be uploaded outside its transaction.
      const media = this.options.dryRun ? undefined : this.options.media;
      if (!media || !attachment.file) {
        this.summary.media.remote++;
        continue;
      }
      const text = { alt: attachment.alt || attachment.caption || attachment.title, caption: attachment.caption, credit: '' };
      const result = await media.importImage(attachment.file, text);
      if ('refused' in result) {
        this.summary.media.missing++;
        this.summary.notes.push({ line: attachment.line, id: attachment.id, title: attachment.title || attachment.file, reason: `image kept at its old URL: ${result.refused}` });
        continue;
      }
      this.summary.media.imported++;
      this.mediaUrls.set(attachment.id, result.url);
      this.fileUrls.set(attachment.file, result.url);
      await putKey(db, this.scan.source, 'attachment', attachment.id, result.id, attachment.url, this.now, result.url);
    }
  }

  /** Image addresses under wp-content/uploads (any size WordPress made) that are now in the library. */
  private localImages(content: string): string {
    if (this.fileUrls.size === 0) return content;
    return content.replace(/(\b(?:src|href)=["'])([^"']*\/wp-content\/uploads\/([^"'?#]+))(["'])/g, (match, open: string, _url: string, file: string, close: string) => {
      const original = safeDecode(file).replace(/-\d+x\d+(?=\.\w+$)/, '');
      const url = this.fileUrls.get(original);
      return url ? `${open}${url}${close}` : match;
    });
  }

  private attachmentInfo = (id: string): AttachmentInfo | undefined => {
    const a = this.scan.attachments.get(id);
    if (!a) return undefined;
    return { url: this.mediaUrls.get(id) ?? a.url, alt: a.alt || a.caption || a.title, caption: a.caption };
  };

  // ---- Items ----

  private async writeBatch(db: Kysely<Database> | Transaction<Database>, items: WxrItem[]): Promise<void> {
    const plans = items.map((item) => this.plan(item));
    await inTransaction(db, async (trx) => {
      const postIds = plans.flatMap((p) => (p.kind === 'post' ? [p.item.postId] : []));
      const postKeys = await keysOf(trx, this.scan.source, 'post', postIds);
      const pageKeys = await keysOf(trx, this.scan.source, 'page', plans.flatMap((p) => (p.kind === 'page' ? [p.item.postId] : [])));
      const targets = [...postKeys.values()].flatMap((k) => (k.targetId === null ? [] : [k.targetId]));
      const existing = new Map<number, ExistingArticle>();
      if (targets.length > 0) {
        for (const row of await trx.selectFrom('articles').select(['id', 'slug', 'dek', 'kicker', 'language']).where('id', 'in', targets).execute()) existing.set(row.id, row);
      }
      // Slugs the batch's new stories would like, taken already: one query, not one a story.
      const taken = await this.takenSlugs(trx, plans);
      const created: NewPost[] = [];
      for (const plan of plans) {
        if (plan.kind === 'post') {
          const key = postKeys.get(plan.item.postId);
          const found = key?.targetId != null ? existing.get(key.targetId) : undefined;
          const post = await this.preparePost(trx, plan.item, plan.checksum, key, found, taken);
          if (post) created.push(post);
        } else if (plan.kind === 'page') await this.writePage(trx, plan.item, plan.checksum, pageKeys.get(plan.item.postId));
      }
      await this.createPosts(trx, created);
      await this.flushBatchRows(trx);
    });
    // Counted once the batch is in: a failed batch is not reported as written.
    for (const [i, plan] of plans.entries()) {
      if (plan.kind === 'skip') {
        const item = items[i] as WxrItem;
        this.summary.skipped.push({ line: item.line, id: item.postId, title: plainText(item.title), reason: plan.reason });
      }
    }
    this.done += items.length;
    this.options.onProgress?.(this.done, this.scan.items);
  }

  private plan(item: WxrItem): Plan {
    const type = item.postType || 'post';
    if (!IMPORTED_TYPES.has(type)) {
      const reason =
        type === 'attachment' ? 'attachment (imported with the posts that show it)' : type === GUEST_AUTHOR ? 'a Co-Authors Plus guest author (imported as a person)' : `post type "${type}" is not imported`;
      return { kind: 'skip', reason };
    }
    if (!/^\d+$/.test(item.postId)) return { kind: 'skip', reason: 'no wp:post_id' };
    if (item.status === 'auto-draft') return { kind: 'skip', reason: 'an auto-draft (never saved by its author)' };
    if (item.status === 'trash') return { kind: 'skip', reason: 'in the trash' };
    if (item.status === 'inherit') return { kind: 'skip', reason: 'a revision' };
    if (type === 'post' && !POST_STATUS[item.status]) return { kind: 'skip', reason: `unknown status "${item.status}"` };
    if (item.postPassword) return { kind: 'skip', reason: 'password-protected in WordPress (we have no such thing; publish it by hand if meant)' };
    return { kind: type as 'post' | 'page', item, checksum: checksumOf(item, this.desksFrom) };
  }

  private note(item: WxrItem, reason: string): void {
    this.summary.notes.push({ line: item.line, id: item.postId, title: plainText(item.title), reason });
  }

  private skip(item: WxrItem, reason: string): void {
    this.summary.skipped.push({ line: item.line, id: item.postId, title: plainText(item.title), reason });
  }

  /** The instant of a WordPress time: its GMT twin, else the local time at the site's offset. */
  private dateOf(item: WxrItem): Date | undefined {
    const gmt = wpTime(item.postDateGmt);
    if (gmt) return new Date(utcOf(gmt));
    const local = wpTime(item.postDate);
    if (!local) return undefined;
    if (this.scan.offsetMinutes !== undefined) return new Date(utcOf(local) - this.scan.offsetMinutes * 60_000);
    return new Date(zonedInstant(local.y, local.mo, local.d, local.h, local.mi, this.timeZone).getTime() + local.s * 1000);
  }

  /**
   * Works out what a post becomes. An unchanged one is counted and left; a changed one is
   * updated here (rare: through the newsroom's own command); a new one is returned, to be
   * written with the rest of its batch in a few statements.
   */
  private async preparePost(db: Transaction<Database>, item: WxrItem, checksum: string, key: Key | undefined, existing: ExistingArticle | undefined, taken: Set<string>): Promise<NewPost | undefined> {
    if (existing && key?.checksum === checksum) {
      this.summary.posts.unchanged++;
      if (item.isSticky === '1') this.sticky.push(existing.id);
      return undefined;
    }
    const notes: string[] = [];
    const headline = this.headlineOf(item, notes);
    if (!headline) return void this.skip(item, 'no title and no text');
    const body = convertBody(this.localImages(item.content), { postId: item.postId, attachment: this.attachmentInfo, childAttachments: (id) => this.scan.children.get(id) ?? [] });
    notes.push(...body.notes);
    const { date, status: wpStatus } = this.statusOf(item, notes);
    let status = wpStatus;
    const deskId = await this.deskOf(db, item);
    const bylineIds = this.bylinesOf(item, notes);
    const seo = seoOf(item, notes);
    const slug = existing?.slug ?? (await this.freeArticleSlug(db, item, headline, taken));
    if (!existing && slugify(safeDecode(item.postName), Infinity).length > LIMITS.slug) {
      notes.push(`its slug is over ${LIMITS.slug} characters: shortened to "${slug}" (its old addresses redirect there)`);
    }
    const input: ArticleInput = {
      headline,
      deskId,
      slug,
      // Our own export carries these; a WordPress file does not, and an editor's stay.
      kicker: metaText(item, DATELINE_META.kicker, LIMITS.kicker, 'kicker', notes) ?? existing?.kicker,
      dek: metaText(item, DATELINE_META.dek, LIMITS.dek, 'dek', notes) ?? existing?.dek,
      language: metaText(item, DATELINE_META.language, 35, 'language', notes) ?? existing?.language,
      seoTitle: seo.title,
      seoDescription: seo.description,
      bodyHtml: body.html,
      excerpt: this.excerptOf(item, notes),
      bylineIds,
      tags: this.tagsOf(item, notes),
      leadImage: this.leadImageOf(item, notes),
    };
    let clean: ReturnType<typeof cleanArticleInput>;
    try {
      clean = cleanArticleInput(input);
    } catch (error) {
      if (!(error instanceof NewsroomError)) throw error;
      return void this.skip(item, Object.values(error.fields).join(' ') || error.message);
    }
    if (status === 'scheduled' && date && date.getTime() <= this.now.getTime()) status = 'published';
    const publishedAt = status === 'published' || status === 'scheduled' || status === 'unpublished' ? (date ?? this.now) : null;
    const createdAt = date && date.getTime() < this.now.getTime() ? date : this.now;
    const post: NewPost = { item, checksum, clean, status, publishedAt, createdAt, notes };
    if (!existing) {
      taken.add(clean.slug);
      return post;
    }
    await updateArticleContent(db, existing.id, input, this.now);
    await db.updateTable('articles').set({ status, published_at: publishedAt ? iso(publishedAt) : null }).where('id', '=', existing.id).execute();
    this.summary.posts.updated++;
    await this.finishPost(db, post, existing.id);
    return undefined;
  }

  /** What every written post gets: its key, its old addresses, its place among sticky posts. */
  private async finishPost(db: Queryable, post: NewPost, id: number): Promise<void> {
    const { item } = post;
    this.keys.push({ kind: 'post', key: item.postId, targetId: id, guid: item.guid, checksum: post.checksum });
    const newPath = `/${await this.deskSlug(db, post.clean.deskId)}/${post.clean.slug}`;
    for (const path of this.oldPaths(item, 'p')) if (path !== newPath) this.redirects.set(path, { articleId: id });
    if (item.isSticky === '1') this.sticky.push(id);
    for (const note of post.notes) this.note(item, note);
  }

  /**
   * New stories of a batch in a handful of statements instead of a dozen each (createArticles).
   * The content was checked and sanitized by cleanArticleInput, the newsroom's own rules, exactly
   * as createArticle does.
   */
  private async createPosts(db: Transaction<Database>, posts: NewPost[]): Promise<void> {
    if (posts.length === 0) return;
    const ids = await createArticles(
      db,
      posts.map(({ clean, status, publishedAt, createdAt }) => ({ clean, status, publishedAt, updatedAt: null, createdAt })),
    );
    for (const [i, post] of posts.entries()) {
      this.summary.posts.created++;
      await this.finishPost(db, post, ids[i] as number);
    }
  }

  /** Import keys and redirects of a batch, each in one statement; only real changes are counted. */
  private async flushBatchRows(db: Queryable): Promise<void> {
    const now = iso(this.now);
    for (let i = 0; i < this.keys.length; i += 500) {
      const values = this.keys.slice(i, i + 500).map((k) => ({ source: this.scan.source, kind: k.kind, key: k.key, target_id: k.targetId, guid: k.guid, url: null, checksum: k.checksum, imported_at: now }));
      await db
        .insertInto('import_keys')
        .values(values)
        .onConflict((oc) =>
          oc.columns(['source', 'kind', 'key']).doUpdateSet((eb) => ({
            target_id: eb.ref('excluded.target_id'),
            guid: eb.ref('excluded.guid'),
            checksum: eb.ref('excluded.checksum'),
            imported_at: eb.ref('excluded.imported_at'),
          })),
        )
        .execute();
    }
    this.keys = [];
    const wanted = [...this.redirects.entries()];
    this.redirects = new Map();
    for (let i = 0; i < wanted.length; i += 500) {
      const chunk = wanted.slice(i, i + 500);
      const current = await db.selectFrom('legacy_redirects').select(['path', 'article_id', 'page_id', 'desk_id', 'location']).where('path', 'in', chunk.map(([path]) => path)).execute();
      const byPath = new Map(current.map((r) => [r.path, r]));
      const changed = chunk.filter(([path, target]) => {
        const row = byPath.get(path);
        const want = redirectColumns(target);
        return !row || row.article_id !== want.article_id || row.page_id !== want.page_id || row.desk_id !== want.desk_id || row.location !== want.location;
      });
      if (changed.length === 0) continue;
      await db
        .insertInto('legacy_redirects')
        .values(changed.map(([path, target]) => ({ path, ...redirectColumns(target), created_at: now })))
        .onConflict((oc) =>
          oc.column('path').doUpdateSet((eb) => ({
            article_id: eb.ref('excluded.article_id'),
            page_id: eb.ref('excluded.page_id'),
            desk_id: eb.ref('excluded.desk_id'),
            location: eb.ref('excluded.location'),
          })),
        )
        .execute();
      this.summary.redirects += changed.length;
    }
  }

  private headlineOf(item: WxrItem, notes: string[]): string {
    let headline = plainText(item.title);
    if (!headline) {
      headline = cutExcerpt(plainText(item.content.replace(/<!--[\s\S]*?-->/g, ' ')), 12, 120);
      if (headline) notes.push('had no title; the first words of its text stand in');
    }
    if (headline.length > LIMITS.headline) {
      notes.push(`title cut to ${LIMITS.headline} characters`);
      headline = cutExcerpt(headline, 1000, LIMITS.headline);
    }
    return headline;
  }

  private excerptOf(item: WxrItem, notes: string[]): string {
    const text = plainText(item.excerpt);
    if (text.length <= LIMITS.excerpt) return text;
    notes.push(`excerpt cut to ${LIMITS.excerpt} characters`);
    return cutExcerpt(text, 1000, LIMITS.excerpt);
  }

  private statusOf(item: WxrItem, notes: string[]): { status: Status; date: Date | undefined } {
    const date = this.dateOf(item);
    let status = POST_STATUS[item.status] ?? 'draft';
    // A Dateline export says which of our statuses the WordPress one stands for.
    const ours = item.meta.get(DATELINE_META.status)?.trim() as Status | undefined;
    if (ours && (STATUSES as readonly string[]).includes(ours) && STATUSES_OF[item.status]?.includes(ours)) status = ours;
    else if (item.status === 'private') notes.push('private in WordPress: kept as a draft');
    if (status === 'scheduled' && !date) {
      notes.push('scheduled without a date: kept as a draft');
      status = 'draft';
    }
    return { status, date };
  }

  /** Tags, and the categories that did not become the desk (nothing the author chose is lost). */
  private tagsOf(item: WxrItem, notes: string[]): string[] {
    const desk = primaryTerm(item, this.desksFrom, this.scan.categories)?.slug;
    const tags = termsOf(item, 'post_tag').filter((t) => !(this.desksFrom === 'tags' && (t.nicename || t.name) === desk));
    const cats = termsOf(item, 'category').filter((c) => c.nicename !== 'uncategorized' && !(this.desksFrom === 'categories' && c.nicename === desk));
    const names = [...new Set([...tags, ...cats].map((t) => plainText(t.name)).filter(Boolean))];
    if (names.length > LIMITS.tags) {
      notes.push(`${names.length} tags and categories: the first ${LIMITS.tags} kept`);
      return names.slice(0, LIMITS.tags);
    }
    return names;
  }

  private leadImageOf(item: WxrItem, notes: string[]): LeadImage | null {
    const id = item.meta.get('_thumbnail_id')?.trim();
    if (!id) return null;
    const attachment = this.scan.attachments.get(id);
    if (!attachment) {
      notes.push(`featured image ${id} is not in the export`);
      return null;
    }
    const alt = attachment.alt || attachment.caption || (/\s/.test(attachment.title) ? attachment.title : '');
    if (!alt) {
      notes.push(`featured image ${id} has no alt text; left out`);
      return null;
    }
    const url = this.mediaUrls.get(id) ?? attachment.url;
    if (!/^(https?:\/\/|\/)/.test(url)) {
      notes.push(`featured image ${id} has no usable URL`);
      return null;
    }
    return { url, alt: alt.slice(0, 300), caption: attachment.caption, credit: creditOf(attachment) };
  }

  /**
   * The author (dc:creator), then the extra bylines Co-Authors Plus lists as "author" terms
   * (each named by login, its slug "cap-<nicename>"), in their order, each once.
   */
  private bylinesOf(item: WxrItem, notes: string[]): number[] {
    const ids: number[] = [];
    const add = (id: number | undefined) => {
      if (id !== undefined && !ids.includes(id)) ids.push(id);
    };
    if (item.creator) add(this.people.get(item.creator));
    for (const term of termsOf(item, 'author')) {
      const id = this.people.get(term.name) ?? this.people.get(safeDecode(term.nicename.replace(/^cap-/, '')));
      if (id === undefined) notes.push(`co-author "${term.name || term.nicename}" is not among the export's authors; left out`);
      add(id);
    }
    if (ids.length > LIMITS.bylines) {
      notes.push(`${ids.length} bylines: the first ${LIMITS.bylines} kept`);
      return ids.slice(0, LIMITS.bylines);
    }
    return ids;
  }

  private baseSlug(item: WxrItem, headline: string): string {
    // As long as a slug of ours may be: a shorter cut would move a story from its address.
    return slugify(safeDecode(item.postName), LIMITS.slug) || slugify(headline) || `post-${item.postId}`;
  }

  private async takenSlugs(db: Queryable, plans: Plan[]): Promise<Set<string>> {
    const wanted = plans.flatMap((p) => (p.kind === 'post' ? [this.baseSlug(p.item, plainText(p.item.title))] : []));
    if (wanted.length === 0) return new Set();
    const rows = await db.selectFrom('articles').select('slug').where('slug', 'in', [...new Set(wanted)]).execute();
    return new Set(rows.map((r) => r.slug));
  }

  /** The post's slug, or with "-2", "-3" … when another story has it (asked of the database only then). */
  private async freeArticleSlug(db: Queryable, item: WxrItem, headline: string, taken: Set<string>): Promise<string> {
    const base = this.baseSlug(item, headline);
    for (let n = 1; ; n++) {
      const slug = n === 1 ? base : `${base.slice(0, LIMITS.slug - 6)}-${n}`;
      if (taken.has(slug)) continue;
      if (n > 1 && (await db.selectFrom('articles').select('id').where('slug', '=', slug).executeTakeFirst())) {
        taken.add(slug);
        continue;
      }
      return slug;
    }
  }

  // ---- Pages ----

  private async writePage(db: Transaction<Database>, item: WxrItem, checksum: string, key: Key | undefined): Promise<void> {
    const existing = key?.targetId != null ? await db.selectFrom('static_pages').select(['id', 'path']).where('id', '=', key.targetId).executeTakeFirst() : undefined;
    if (existing && key?.checksum === checksum) {
      this.summary.pages.unchanged++;
      return;
    }
    const notes: string[] = [];
    const title = this.headlineOf(item, notes);
    if (!title) return this.skip(item, 'no title and no text');
    let path = existing?.path ?? pagePath(item.postId, this.scan);
    if (!path && slugify(title)) {
      // A draft page never got its slug; its title gives one.
      path = `/${slugify(title)}`;
      notes.push(`had no slug; it lives at ${path}`);
    }
    if (!path) return this.skip(item, 'no address: the page has no slug');
    const taken = await this.pathTaken(db, path, existing?.id);
    if (taken) return this.skip(item, taken);
    const body = convertBody(this.localImages(item.content), { postId: item.postId, attachment: this.attachmentInfo, childAttachments: (id) => this.scan.children.get(id) ?? [] });
    notes.push(...body.notes);
    const date = this.dateOf(item);
    if (item.status !== 'publish') notes.push(`${item.status || 'no'} status in WordPress: kept as a draft page`);
    const input: PageInput = {
      path,
      title,
      bodyHtml: sanitizeBody(body.html),
      excerpt: this.excerptOf(item, notes),
      status: item.status === 'publish' ? 'published' : 'draft',
      authorId: (item.creator && this.people.get(item.creator)) || null,
      position: Number(item.menuOrder) || 0,
      publishedAt: item.status === 'publish' ? iso(date ?? this.now) : null,
    };
    let id: number;
    if (existing) {
      await updatePage(db, existing.id, input, this.now);
      id = existing.id;
      this.summary.pages.updated++;
    } else {
      id = await createPage(db, input, date && date.getTime() < this.now.getTime() ? date : this.now);
      this.summary.pages.created++;
    }
    await putKey(db, this.scan.source, 'page', item.postId, id, item.guid, this.now, null, checksum);
    for (const old of this.oldPaths(item, 'page_id')) await this.redirect(db, old, { pageId: id }, path);
    for (const note of notes) this.note(item, note);
  }

  /** Why a page cannot live at `path`, if it cannot. */
  private async pathTaken(db: Queryable, path: string, selfId: number | undefined): Promise<string | undefined> {
    const first = path.split('/')[1] ?? '';
    // "about" is kept from desks so that an About page can live there.
    if ((RESERVED_SLUGS.has(first) && first !== 'about') || first === '') return `its address ${path} belongs to the site itself`;
    if (path.split('/').length === 2 && (await findDeskBySlug(db, first))) return `its address ${path} is the ${first} desk's page`;
    const other = await findPageByPath(db, path);
    if (other && other.id !== selfId) return `another page already lives at ${path}`;
    return undefined;
  }

  // ---- Redirects ----

  /** The item's permalink path and its "/?p=ID" (or "/?page_id=ID") address. */
  private oldPaths(item: WxrItem, query: 'p' | 'page_id'): string[] {
    const paths = new Set<string>([`/?p=${item.postId}`]);
    if (query === 'page_id') paths.add(`/?page_id=${item.postId}`);
    const siteHost = parseUrl(this.scan.channel.baseSiteUrl || this.scan.channel.link)?.host;
    for (const [value, isGuid] of [[item.link, false], [item.guid, true]] as const) {
      const url = parseUrl(value);
      // The query forms ("/?p=12") are added above; a GUID counts only when it was an address of this site.
      if (!url || url.pathname === '/' || (isGuid && url.host !== siteHost)) continue;
      const path = normalizePath(url.pathname);
      if (path && path !== '/') paths.add(path);
    }
    return [...paths];
  }

  private async redirect(db: Queryable, path: string, target: RedirectTarget, newPath: string): Promise<void> {
    // A permalink that is already the new address needs no redirect (it would loop).
    if (path === newPath) return;
    if (await setRedirect(db, path, target, this.now)) this.summary.redirects++;
  }

  private async deskSlug(db: Queryable, deskId: number): Promise<string> {
    let slug = this.deskSlugs.get(deskId);
    if (slug === undefined) {
      slug = (await db.selectFrom('desks').select('slug').where('id', '=', deskId).executeTakeFirstOrThrow()).slug;
      this.deskSlugs.set(deskId, slug);
    }
    return slug;
  }

  // ---- Sticky posts → the front page ----

  /** Sticky posts join the front page's curated stories, in free slots only (editors' choices stay). */
  private async placeSticky(db: Queryable): Promise<void> {
    if (this.sticky.length === 0) return;
    const current = await db.selectFrom('front_page').select(['position', 'article_id']).orderBy('position').execute();
    const onPage = new Set(current.map((r) => r.article_id));
    let next = current.length > 0 ? Math.max(...current.map((r) => r.position)) + 1 : 0;
    const published = await db.selectFrom('articles').select('id').where('id', 'in', this.sticky).where('status', '=', 'published').orderBy('published_at', 'desc').execute();
    let placed = 0;
    for (const { id } of published) {
      if (onPage.has(id)) continue;
      if (onPage.size >= FRONT_PAGE_SLOTS) break;
      await db.insertInto('front_page').values({ position: next++, article_id: id }).execute();
      onPage.add(id);
      placed++;
    }
    this.summary.frontPage += placed;
  }
}

const POST_STATUS = lookupTable<Status>({
  publish: 'published',
  future: 'scheduled',
  draft: 'draft',
  pending: 'submitted',
  private: 'draft',
});

/** The post meta the import reads: a change in one of them writes the story again. */
const CHECKED_META = ['_thumbnail_id', '_yoast_wpseo_primary_category', ...Object.values(DATELINE_META), ...Object.values(YOAST_META)];

function checksumOf(item: WxrItem, desksFrom: DesksFrom): string {
  const hash = createHash('sha1');
  hash.update(MAPPING_VERSION).update('\u0000').update(desksFrom);
  for (const value of [item.title, item.link, item.content, item.excerpt, item.postDate, item.postDateGmt, item.postName, item.status, item.postParent, item.menuOrder, item.postType, item.isSticky, item.creator]) {
    hash.update('\u0000').update(value);
  }
  for (const t of item.terms) hash.update('\u0000').update(`${t.domain}:${t.nicename}:${t.name}`);
  for (const key of CHECKED_META) hash.update('\u0000').update(item.meta.get(key) ?? '');
  return hash.digest('hex');
}

function creditOf(attachment: AttachmentRecord): string {
  // WordPress has no credit field; IPTC credit lands in the description of some plugins.
  const m = /(?:credit|photo|©)\s*:?\s*([^\n]{1,120})/i.exec(attachment.description);
  return m?.[1]?.trim() ?? '';
}

/** /category/parent/child, as WordPress builds a nested category's archive address. */
function categoryPath(slug: string, scan: Scan): string {
  const parts = [safeDecode(slug)];
  const seen = new Set([slug]);
  let parent = scan.categories.get(slug)?.parent;
  while (parent && !seen.has(parent)) {
    seen.add(parent);
    parts.unshift(safeDecode(parent));
    parent = scan.categories.get(parent)?.parent;
  }
  return `/category/${parts.join('/')}`;
}

/**
 * Where a page lives: the path of its permalink when the site had pretty permalinks, else the
 * chain of its ancestors' slugs, as WordPress would have built it ("/parent-page/child-page").
 */
function pagePath(id: string, scan: Scan): string | undefined {
  const node = scan.pages.get(id);
  if (!node) return undefined;
  const url = parseUrl(node.link);
  if (url && url.pathname !== '/' && !url.searchParams.has('page_id')) {
    const path = normalizePath(url.pathname);
    if (path && path !== '/') return path;
  }
  const parts: string[] = [];
  const seen = new Set<string>();
  let current: string | undefined = id;
  while (current && current !== '0' && !seen.has(current)) {
    seen.add(current);
    const page = scan.pages.get(current);
    if (!page) break;
    const slug = slugify(safeDecode(page.postName));
    if (!slug) return undefined;
    parts.unshift(slug);
    current = page.parent;
  }
  return parts.length > 0 ? `/${parts.join('/')}` : undefined;
}

function parseUrl(value: string): URL | undefined {
  if (!value) return undefined;
  try {
    return new URL(value.trim(), 'http://unknown.invalid');
  } catch {
    return undefined;
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

async function freeSlug(db: Queryable, name: string, _table: 'person'): Promise<string | undefined> {
  const base = slugify(name);
  if (!base) return undefined;
  for (let n = 1; ; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    if (!(await findPersonBySlug(db, slug))) return slug;
  }
}

async function keysOf(db: Queryable, source: string, kind: string, keys?: string[]): Promise<Map<string, Key>> {
  if (keys && keys.length === 0) return new Map();
  let query = db.selectFrom('import_keys').select(['key', 'target_id', 'checksum']).where('source', '=', source).where('kind', '=', kind);
  if (keys) query = query.where('key', 'in', [...new Set(keys)]);
  const rows = await query.execute();
  return new Map(rows.map((r) => [r.key, { targetId: r.target_id, checksum: r.checksum }]));
}

async function putKey(db: Queryable, source: string, kind: string, key: string, targetId: number | null, guid: string, now: Date, url: string | null = null, checksum = ''): Promise<void> {
  const values = { target_id: targetId, guid, url, checksum, imported_at: iso(now) };
  await db
    .insertInto('import_keys')
    .values({ source, kind, key, ...values })
    .onConflict((oc) => oc.columns(['source', 'kind', 'key']).doUpdateSet(values))
    .execute();
}

/** A transaction of its own, or the caller's when already in one (a dry run). */
async function inTransaction<T>(db: Kysely<Database> | Transaction<Database>, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db as Transaction<Database>);
  return db.transaction().execute(work);
}
