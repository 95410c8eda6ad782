// Bulk import of the JSON Lines corpus: one published story per line,
// {slug,title,kicker,section,authors[],tags[],publishedAt,updatedAt,excerpt,bodyHtml}.
// Idempotent by slug, so a failed or repeated run can simply be run again. Lines are written in
// batches, one transaction each, the batch's new stories together at its end (createArticles);
// a story the newsroom refuses rolls back alone, through a savepoint, and leaves neither half an
// article nor a desk or person made for it behind.
import type { ControlledTransaction, Kysely, Selectable } from 'kysely';
import type { ArticlesTable } from '../../db/schema.ts';
import {
  cleanArticleInput,
  createArticles,
  updateCleanArticleContent,
  type ArticleInput,
  type CleanInput,
  type NewArticle,
} from '../articles/commands.ts';
import { LIMITS, type LeadImage } from '../articles/types.ts';
import type { Database, Queryable } from '../db.ts';
import { createDesk, listDesks } from '../desks/repository.ts';
import { NewsroomError } from '../errors.ts';
import { createPerson, findPersonByName, findPersonBySlug } from '../people/repository.ts';
import { tagSlugs } from '../tags/repository.ts';
import { shortenSlug, slugify } from '../text.ts';
import { iso } from '../time.ts';
import { recordChange, TAGS } from '../changes.ts';

export interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  skipped: Array<{ line: number; reason: string }>;
  /**
   * Stories kept under a shorter slug than their line gave: a slug may hold at most
   * LIMITS.slug characters. The given slug stays a former slug of the story (it answers 301, and
   * a re-import finds the story by it).
   */
  shortened: Array<{ line: number; from: string; to: string }>;
  desksCreated: number;
  peopleCreated: number;
}

export interface ImportOptions {
  /** Called after every line with the number of lines handled so far, skipped ones included. */
  onProgress?(done: number): void;
  /** The time written as created/modified; defaults to the clock at each batch. */
  now?: Date;
  batchSize?: number;
}

/** Big enough that commits cost little, small enough that a batch's slug lookup stays one query. */
export const DEFAULT_BATCH_SIZE = 500;

/** One line of the corpus, checked and normalised. */
export interface CorpusStory {
  slug: string;
  title: string;
  kicker: string;
  section: string;
  authors: string[];
  tags: string[];
  publishedAt: Date;
  /** Null when the story was never updated after publication. */
  updatedAt: Date | null;
  excerpt: string;
  bodyHtml: string;
}

class BadLine extends Error {}

type Outcome = 'created' | 'updated' | 'unchanged';

export async function importJsonl(
  db: Kysely<Database>,
  lines: AsyncIterable<string> | Iterable<string>,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const summary: ImportSummary = { created: 0, updated: 0, unchanged: 0, skipped: [], shortened: [], desksCreated: 0, peopleCreated: 0 };
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  let reported = 0;
  const run: Run = {
    directory: new Directory(),
    now: new Date(),
    // A batch written a second time must not move the progress backwards.
    progress(done) {
      if (done <= reported) return;
      reported = done;
      options.onProgress?.(done);
    },
    careful: false,
    refusals: 0,
  };
  let batch: Parsed[] = [];
  let lineNumber = 0;
  const flush = async () => {
    run.now = options.now ?? new Date();
    addCounts(summary, await importBatch(db, batch, run));
    batch = [];
  };
  for await (const text of lines) {
    // Files saved by some Windows tools start with a byte-order mark JSON.parse refuses.
    // Parsed at once, so the line's text is garbage before the next: a batch's texts kept until
    // it was written were copied around by the garbage collector for nothing.
    batch.push(parseLine({ line: ++lineNumber, text: lineNumber === 1 ? text.replace(/^\uFEFF/, '') : text }));
    if (batch.length >= batchSize) await flush();
  }
  if (batch.length > 0) await flush();
  // One change for the whole run: readers may see any page differently now.
  if (summary.created + summary.updated > 0) await recordChange(db, [TAGS.site], options.now ?? new Date());
  summary.desksCreated = run.directory.desksCreated;
  summary.peopleCreated = run.directory.peopleCreated;
  return summary;
}

type Counts = Pick<ImportSummary, 'created' | 'updated' | 'unchanged' | 'skipped' | 'shortened'>;

function addCounts(summary: ImportSummary, counts: Counts): void {
  summary.created += counts.created;
  summary.updated += counts.updated;
  summary.unchanged += counts.unchanged;
  summary.skipped.push(...counts.skipped);
  summary.shortened.push(...counts.shortened);
}

interface NumberedLine {
  line: number;
  text: string;
}

type Parsed = { line: number; story: CorpusStory } | { line: number; reason: string } | { line: number; blank: true };

function parseLine({ line, text }: NumberedLine): Parsed {
  if (text.trim() === '') return { line, blank: true };
  try {
    return { line, story: parseStory(text) };
  } catch (error) {
    if (error instanceof BadLine) return { line, reason: error.message };
    throw error;
  }
}

/** The state of one import, carried from batch to batch. */
interface Run {
  directory: Directory;
  /** The time of the batch being written. */
  now: Date;
  progress(done: number): void;
  /** Whether the next batch goes straight to savepoints. */
  careful: boolean;
  /** Stories the newsroom refused so far. */
  refusals: number;
}

/** One batch being written: its transaction, and its new stories, created together at its end. */
interface Batch {
  trx: ControlledTransaction<Database>;
  run: Run;
  created: NewArticle[];
  /** The line being written. */
  line: number;
  /** Stories given a shorter slug, the given one kept as a former slug once the story exists. */
  shortened: Array<{ line: number; from: string; to: string }>;
  /** Of those, the ones whose story is still only queued in `created`. */
  formerSlugs: Array<{ from: string; to: string }>;
}

type StoryWriter = (batch: Batch, story: CorpusStory, existing: Existing | undefined) => Promise<Outcome | { reason: string }>;

/**
 * Savepoints cost two statements a story (about an eighth of the time on SQLite) and most
 * batches hold no story the newsroom refuses: write a batch without them, and only when a story
 * is refused write it again with a savepoint around each. A file with one refusal tends to have
 * more, so batches stay careful until one passes without.
 */
async function importBatch(db: Kysely<Database>, parsed: Parsed[], run: Run): Promise<Counts> {
  if (!run.careful) {
    try {
      return await writeBatch(db, parsed, run, importStory);
    } catch (error) {
      if (!(error instanceof NewsroomError)) throw error;
    }
  }
  const refusedBefore = run.refusals;
  const counts = await writeBatch(db, parsed, run, importInSavepoint);
  run.careful = run.refusals > refusedBefore;
  return counts;
}

async function writeBatch(db: Kysely<Database>, parsed: Parsed[], run: Run, write: StoryWriter): Promise<Counts> {
  const counts: Counts = { created: 0, updated: 0, unchanged: 0, skipped: [], shortened: [] };
  const mark = run.directory.mark();
  const trx = await db.startTransaction().execute();
  const batch: Batch = { trx, run, created: [], line: 0, shortened: [], formerSlugs: [] };
  try {
    const existing = await loadExisting(trx, parsed.flatMap((p) => ('story' in p ? [p.story.slug] : [])));
    const written = new Set<string>();
    for (const item of parsed) {
      if ('reason' in item) counts.skipped.push({ line: item.line, reason: item.reason });
      if ('story' in item) {
        const { slug } = item.story;
        batch.line = item.line;
        const outcome = await write(batch, item.story, written.has(slug) ? await reload(batch, slug) : existing.get(slug));
        if (typeof outcome === 'string') counts[outcome]++;
        else counts.skipped.push({ line: item.line, reason: outcome.reason });
        written.add(slug);
      }
      run.progress(item.line);
    }
    await createStories(batch);
    await trx.commit().execute();
    counts.shortened = batch.shortened;
    return counts;
  } catch (error) {
    await trx.rollback().execute().catch(() => undefined);
    run.directory.undo(mark);
    throw error;
  }
}

/** A slug repeated within the batch must see what its first line wrote: that is written first. */
async function reload(batch: Batch, slug: string): Promise<Existing | undefined> {
  await createStories(batch);
  return (await loadExisting(batch.trx, [slug])).get(slug);
}

/** The batch's new stories so far, in a few statements for all of them. */
async function createStories(batch: Batch): Promise<void> {
  if (batch.created.length === 0) return;
  const ids = await createArticles(batch.trx, batch.created);
  if (batch.formerSlugs.length > 0) {
    const idOf = new Map(batch.created.map((a, i) => [a.clean.slug, ids[i]!]));
    await batch.trx
      .insertInto('article_slugs')
      .values(batch.formerSlugs.map(({ from, to }) => ({ slug: from, article_id: idOf.get(to)! })))
      .execute();
  }
  batch.created = [];
  batch.formerSlugs = [];
}

/**
 * Only the newsroom's own refusals (NewsroomError) skip a story; anything else stops the import.
 * A refusal comes before the story is queued for creation, so rolling back to the savepoint takes
 * away all it left: an update, a desk or person made for it.
 */
async function importInSavepoint(batch: Batch, story: CorpusStory, existing: Existing | undefined): Promise<Outcome | { reason: string }> {
  const { trx, run } = batch;
  const savepoint = await trx.savepoint('story').execute();
  const mark = run.directory.mark();
  try {
    const outcome = await writeStory(savepoint, batch, story, existing);
    await savepoint.releaseSavepoint('story').execute();
    return outcome;
  } catch (error) {
    if (!(error instanceof NewsroomError)) throw error;
    await savepoint.rollbackToSavepoint('story').execute();
    run.directory.undo(mark);
    run.refusals++;
    return { reason: reasonOf(error) };
  }
}

const reasonOf = (error: NewsroomError): string => {
  const fields = Object.values(error.fields);
  return fields.length > 0 ? fields.join(' ') : error.message;
};

function importStory(batch: Batch, story: CorpusStory, existing: Existing | undefined): Promise<Outcome> {
  return writeStory(batch.trx, batch, story, existing);
}

/**
 * Checks a story and writes it through `db` (the batch's transaction or a savepoint in it), except
 * that a new story is only queued: the batch creates its new stories together (createStories).
 */
async function writeStory(db: Queryable, batch: Batch, story: CorpusStory, existing: Existing | undefined): Promise<Outcome> {
  const { directory, now } = batch.run;
  const deskId = await directory.deskId(db, story.section, now);
  const bylineIds = await directory.personIds(db, story.authors, now);
  const slug = !existing && story.slug.length > LIMITS.slug ? await shorterFreeSlug(db, batch, story.slug) : story.slug;
  const clean = cleanArticleInput(articleInput({ ...story, slug }, deskId, bylineIds, existing));
  if (!existing) {
    batch.created.push({ clean, status: 'published', publishedAt: story.publishedAt, updatedAt: story.updatedAt, createdAt: now });
    if (slug !== story.slug) {
      batch.shortened.push({ line: batch.line, from: story.slug, to: slug });
      batch.formerSlugs.push({ from: story.slug, to: slug });
    }
    return 'created';
  }
  if (sameContent(existing, clean, story)) return 'unchanged';
  await updateCleanArticleContent(db, existing.id, clean, now);
  await setPublicationTimes(db, existing, story);
  return 'updated';
}

/**
 * A slug over the limit (the newsroom's editor refuses one; an archive may hold them), cut at a
 * hyphen to fit, with "-2", "-3" … when a story, a former slug or a story queued in this batch
 * has it already. Only an invalid slug stays refused.
 */
async function shorterFreeSlug(db: Queryable, batch: Batch, given: string): Promise<string> {
  const queued = new Set(batch.created.map((a) => a.clean.slug));
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '' : `-${n}`;
    const slug = shortenSlug(given, LIMITS.slug - suffix.length) + suffix;
    if (queued.has(slug)) continue;
    const story = await db.selectFrom('articles').select('id').where('slug', '=', slug).executeTakeFirst();
    const former = story ? undefined : await db.selectFrom('article_slugs').select('article_id').where('slug', '=', slug).executeTakeFirst();
    if (!story && !former) return slug;
  }
}

/**
 * The corpus owns only the fields it carries; the dek, lead image and language an editor gave
 * an imported story survive a re-import, and so does a slug the newsroom has since changed.
 */
function articleInput(story: CorpusStory, deskId: number, bylineIds: number[], existing: Existing | undefined): ArticleInput {
  return {
    headline: story.title,
    deskId,
    slug: existing?.slug ?? story.slug,
    kicker: story.kicker,
    bodyHtml: story.bodyHtml,
    excerpt: story.excerpt,
    bylineIds,
    tags: story.tags,
    dek: existing?.dek,
    leadImage: existing?.leadImage,
    language: existing?.language,
  };
}

function sameContent(existing: Existing, clean: CleanInput, story: CorpusStory): boolean {
  return (
    existing.deskId === clean.deskId &&
    existing.headline === clean.headline &&
    existing.kicker === clean.kicker &&
    existing.excerpt === clean.excerpt &&
    existing.bodyHtml === clean.bodyHtml &&
    sameList(existing.bylineIds, clean.bylineIds) &&
    sameList(existing.tagSlugs, tagSlugs(clean.tags)) &&
    existing.publishedAt === iso(story.publishedAt) &&
    existing.updatedAt === (story.updatedAt && iso(story.updatedAt))
  );
}

const sameList = <T>(a: T[], b: T[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** updateArticleContent leaves the public times alone; a re-imported story brings its own. */
async function setPublicationTimes(db: Queryable, existing: Existing, story: CorpusStory): Promise<void> {
  const publishedAt = iso(story.publishedAt);
  const updatedAt = story.updatedAt && iso(story.updatedAt);
  if (existing.publishedAt === publishedAt && existing.updatedAt === updatedAt) return;
  await db.updateTable('articles').set({ published_at: publishedAt, updated_at: updatedAt }).where('id', '=', existing.id).execute();
}

// ---- Parsing a line ----

/** Reads one corpus line; throws BadLine with a reader-facing reason. */
export function parseStory(text: string): CorpusStory {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BadLine(`not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BadLine('not a JSON object');
  const record = value as Record<string, unknown>;
  const title = requiredText(record, 'title');
  const section = requiredText(record, 'section');
  const publishedAt = date(record, 'publishedAt');
  if (!publishedAt) throw new BadLine('missing publishedAt');
  const updatedAt = date(record, 'updatedAt');
  return {
    slug: optionalText(record, 'slug').trim() || slugify(title),
    title,
    kicker: optionalText(record, 'kicker'),
    section,
    authors: names(record, 'authors'),
    tags: names(record, 'tags'),
    publishedAt,
    // A story never touched after publication carries its publication time here.
    updatedAt: updatedAt && updatedAt.getTime() > publishedAt.getTime() ? updatedAt : null,
    excerpt: optionalText(record, 'excerpt'),
    bodyHtml: optionalText(record, 'bodyHtml'),
  };
}

/** PostgreSQL cannot store NUL in text; refusing it on both databases keeps them alike. */
function checked(key: string, value: string): string {
  if (value.includes('\u0000')) throw new BadLine(`${key} contains a NUL character`);
  return value;
}

function optionalText(record: Record<string, unknown>, key: string): string {
  const value = record[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new BadLine(`${key} must be a string`);
  return checked(key, value);
}

function requiredText(record: Record<string, unknown>, key: string): string {
  const value = optionalText(record, key).trim();
  if (!value) throw new BadLine(`missing ${key}`);
  return value;
}

/** A list of names, trimmed, blanks dropped. */
function names(record: Record<string, unknown>, key: string): string[] {
  const value = record[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new BadLine(`${key} must be a list of strings`);
  return value.map((v: string) => checked(key, v).trim().replace(/\s+/g, ' ')).filter(Boolean);
}

/**
 * Only ISO 8601, and a time only with its zone: other formats parse differently from one engine
 * to the next, and a zoneless time would be read in the importing machine's zone.
 */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

function date(record: Record<string, unknown>, key: string): Date | null {
  const value = optionalText(record, key).trim();
  if (!value) return null;
  const parsed = new Date(value);
  if (!ISO_DATE.test(value) || Number.isNaN(parsed.getTime())) {
    throw new BadLine(`${key} is not an ISO 8601 date with a time zone: "${value.slice(0, 40)}"`);
  }
  return parsed;
}

// ---- What the database holds already ----

interface Existing {
  id: number;
  slug: string;
  deskId: number;
  kicker: string;
  headline: string;
  dek: string;
  bodyHtml: string;
  excerpt: string;
  leadImage: LeadImage | null;
  language: string;
  publishedAt: string | null;
  updatedAt: string | null;
  bylineIds: number[];
  tagSlugs: string[];
}

const EXISTING_COLUMNS = [
  'id', 'slug', 'desk_id', 'kicker', 'headline', 'dek', 'body_html', 'excerpt', 'lead_image_url', 'lead_image_alt',
  'lead_image_caption', 'lead_image_credit', 'language', 'published_at', 'updated_at',
] as const;

type ExistingRow = Pick<Selectable<ArticlesTable>, (typeof EXISTING_COLUMNS)[number]>;

/**
 * The stored stories these slugs name, current or former, keyed by the slug asked for: five
 * queries per batch instead of a few per story, which is what keeps a re-run fast.
 */
async function loadExisting(db: Queryable, slugs: string[]): Promise<Map<string, Existing>> {
  const out = new Map<string, Existing>();
  const unique = [...new Set(slugs)];
  if (unique.length === 0) return out;
  const current = await db.selectFrom('articles').select(['id', 'slug as asked']).where('slug', 'in', unique).execute();
  const former = await db.selectFrom('article_slugs').select(['article_id as id', 'slug as asked']).where('slug', 'in', unique).execute();
  const matches = [...current, ...former];
  if (matches.length === 0) return out;
  const ids = [...new Set(matches.map((m) => m.id))];
  const rows = await db.selectFrom('articles').select(EXISTING_COLUMNS).where('id', 'in', ids).execute();
  const bylines = await db
    .selectFrom('article_bylines')
    .select(['article_id', 'person_id'])
    .where('article_id', 'in', ids)
    .orderBy('article_id')
    .orderBy('position')
    .execute();
  const tags = await db
    .selectFrom('article_tags')
    .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
    .select(['article_tags.article_id', 'tags.slug'])
    .where('article_tags.article_id', 'in', ids)
    .orderBy('article_tags.article_id')
    .orderBy('article_tags.position')
    .execute();
  const byId = new Map(rows.map((r) => [r.id, toExisting(r)]));
  for (const b of bylines) byId.get(b.article_id)?.bylineIds.push(b.person_id);
  for (const t of tags) byId.get(t.article_id)?.tagSlugs.push(t.slug);
  // A current slug wins over the same slug kept as another story's redirect.
  for (const m of [...former, ...current]) {
    const found = byId.get(m.id);
    if (found) out.set(m.asked, found);
  }
  return out;
}

function toExisting(row: ExistingRow): Existing {
  return {
    id: row.id,
    slug: row.slug,
    deskId: row.desk_id,
    kicker: row.kicker,
    headline: row.headline,
    dek: row.dek,
    bodyHtml: row.body_html,
    excerpt: row.excerpt,
    leadImage: row.lead_image_url
      ? { url: row.lead_image_url, alt: row.lead_image_alt, caption: row.lead_image_caption, credit: row.lead_image_credit }
      : null,
    language: row.language,
    publishedAt: row.published_at,
    updatedAt: row.updated_at,
    bylineIds: [],
    tagSlugs: [],
  };
}

// ---- Desks and people, found or created once per import ----

/**
 * Desk and person ids by name, remembered across lines. A rollback may take away desks or people
 * created since the mark, so undo() forgets every id and later lines look them up again; rollbacks
 * are rare, so that costs little.
 */
class Directory {
  desksCreated = 0;
  peopleCreated = 0;
  private desksByName = new Map<string, number>();
  private desksBySlug = new Map<string, number>();
  private desksLoaded = false;
  private people = new Map<string, number>();

  mark(): { desks: number; people: number } {
    return { desks: this.desksCreated, people: this.peopleCreated };
  }

  undo(mark: { desks: number; people: number }): void {
    this.desksCreated = mark.desks;
    this.peopleCreated = mark.people;
    this.desksByName.clear();
    this.desksBySlug.clear();
    this.desksLoaded = false;
    this.people.clear();
  }

  /** The desk named `section` (any case) or with it as slug, created when there is none. */
  async deskId(db: Queryable, section: string, now: Date): Promise<number> {
    const known = this.findDesk(section);
    if (known !== undefined) return known;
    if (!this.desksLoaded) {
      for (const desk of await listDesks(db)) this.rememberDesk(desk);
      this.desksLoaded = true;
      const loaded = this.findDesk(section);
      if (loaded !== undefined) return loaded;
    }
    const desk = await createDesk(db, { name: section }, now);
    this.desksCreated++;
    this.rememberDesk(desk);
    return desk.id;
  }

  async personIds(db: Queryable, names: string[], now: Date): Promise<number[]> {
    const ids: number[] = [];
    for (const name of names) ids.push(await this.personId(db, name, now));
    return ids;
  }

  private findDesk(section: string): number | undefined {
    return this.desksByName.get(section.toLowerCase()) ?? this.desksBySlug.get(slugify(section));
  }

  private rememberDesk(desk: { id: number; name: string; slug: string }): void {
    this.desksByName.set(desk.name.toLowerCase(), desk.id);
    this.desksBySlug.set(desk.slug, desk.id);
  }

  private async personId(db: Queryable, name: string, now: Date): Promise<number> {
    let id = this.people.get(name) ?? (await findPersonByName(db, name))?.id;
    if (id === undefined) {
      const kind = /\b(staff|desk)$/i.test(name) ? 'collective' : 'person';
      const person = await createPerson(db, { name, slug: await freePersonSlug(db, name), kind, title: 'journalist' }, now);
      this.peopleCreated++;
      id = person.id;
    }
    this.people.set(name, id);
    return id;
  }
}

/** Two different names can share a slug ("Reza Ahmadi", "Reza Ahmadí"): the second gets "-2". */
async function freePersonSlug(db: Queryable, name: string): Promise<string | undefined> {
  const base = slugify(name);
  if (!base) return undefined; // createPerson refuses the name with its own message
  for (let n = 1; ; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    if (!(await findPersonBySlug(db, slug))) return slug;
  }
}
