// The editorial workflow as named commands. Each one checks the policy and the story's status,
// writes, and records an audit row; run each inside one transaction (the caller opens it).
// Routes never set a status themselves.
import type { Queryable } from '../db.ts';
import { createArticle, updateArticleContent, type ArticleInput } from '../articles/commands.ts';
import type { Status } from '../articles/types.ts';
import { invalid, NewsroomError, notFound } from '../errors.ts';
import { getRevision, snapshotOf, writeRevision, type Snapshot } from '../revisions/repository.ts';
import { iso } from '../time.ts';
import { recordWorkflowEvent } from '../webhooks/events.ts';
import { writeAudit } from './audit.ts';
import { changingStory, recordChange, storyChangeTags, storyFootprint, TAGS } from '../changes.ts';
import { allowed, FROM, TO, type Actor, type Command, type StoryContext } from './policy.ts';

const VERBS: Record<Command, string> = {
  create: 'create',
  edit: 'edit',
  submit: 'submit',
  request_changes: 'request changes to',
  approve: 'approve',
  schedule: 'schedule',
  publish: 'publish',
  update: 'update',
  correct: 'correct',
  unpublish: 'unpublish',
  restore: 'restore',
};

const STATUS_NAMES: Record<Status, string> = {
  draft: 'a draft',
  submitted: 'a submitted story',
  changes_requested: 'a story with changes requested',
  approved: 'an approved story',
  scheduled: 'a scheduled story',
  published: 'a published story',
  unpublished: 'an unpublished story',
};

interface StoryRow {
  id: number;
  status: Status;
  version: number;
  published_at: string | null;
}

/** The story and what the actor is to it: its writer, its desk's editor, or neither. */
export async function storyContext(db: Queryable, actor: Actor, articleId: number): Promise<{ row: StoryRow; context: StoryContext }> {
  // Ids beyond a 32-bit integer cannot exist (and PostgreSQL would refuse to compare them).
  if (!Number.isSafeInteger(articleId) || articleId < 1 || articleId > 2_147_483_647) throw notFound('That story');
  const row = await db
    .selectFrom('articles')
    .select(['id', 'status', 'version', 'published_at', 'desk_id', 'created_by'])
    .where('id', '=', articleId)
    .executeTakeFirst();
  if (!row) throw notFound('That story');
  const personId = actor.personId;
  const [byline, deskEditor] = personId === null
    ? [undefined, undefined]
    : await Promise.all([
        db.selectFrom('article_bylines').select('person_id').where('article_id', '=', articleId).where('person_id', '=', personId).executeTakeFirst(),
        db.selectFrom('desk_editors').select('person_id').where('desk_id', '=', row.desk_id).where('person_id', '=', personId).executeTakeFirst(),
      ]);
  return {
    row,
    context: { status: row.status, own: row.created_by === actor.userId || byline !== undefined, editsDesk: deskEditor !== undefined },
  };
}

function authorize(actor: Actor, command: Command, context: StoryContext): void {
  if (!allowed(actor, command, context)) throw new NewsroomError('forbidden', `You may not ${VERBS[command]} this story.`);
  if (!FROM[command].includes(context.status)) {
    throw new NewsroomError('conflict', `You cannot ${VERBS[command]} ${STATUS_NAMES[context.status]}.`);
  }
}

export async function createStory(db: Queryable, actor: Actor, input: ArticleInput, now = new Date()): Promise<{ id: number; version: number }> {
  const bylineIds = input.bylineIds?.length ? input.bylineIds : actor.personId !== null ? [actor.personId] : [];
  const id = await createArticle(db, { ...input, bylineIds }, { status: 'draft', now });
  await db.updateTable('articles').set({ created_by: actor.userId }).where('id', '=', id).execute();
  await writeRevision(db, id, 1, actor.userId, now);
  await writeAudit(db, { articleId: id, userId: actor.userId, action: 'create', to: 'draft', at: now });
  return { id, version: 1 };
}

export interface ConflictDetails {
  yourVersion: number;
  currentVersion: number;
  yours: ArticleInput;
  theirs: Snapshot;
}

/** Writes new content over `baseVersion`; refuses, returning both texts, if someone saved since. */
async function writeContent(db: Queryable, actor: Actor, row: StoryRow, input: ArticleInput, baseVersion: number, now: Date): Promise<number> {
  if (row.version !== baseVersion) {
    const details: ConflictDetails = { yourVersion: baseVersion, currentVersion: row.version, yours: input, theirs: await snapshotOf(db, row.id) };
    throw new NewsroomError(
      'conflict',
      `Someone else saved this story (version ${row.version}) after you opened version ${baseVersion}. Nothing was overwritten: compare the two texts and save again.`,
      {},
      details,
    );
  }
  const version = await updateArticleContent(db, row.id, input, now);
  await writeRevision(db, row.id, version, actor.userId, now);
  return version;
}

/** Saves a story's content (autosave included) while it is not published. */
export async function saveStory(db: Queryable, actor: Actor, articleId: number, input: ArticleInput, baseVersion: number, now = new Date()): Promise<{ version: number }> {
  const { row, context } = await storyContext(db, actor, articleId);
  authorize(actor, 'edit', context);
  const version = await writeContent(db, actor, row, input, baseVersion, now);
  await writeAudit(db, { articleId, userId: actor.userId, action: 'save', note: `version ${version}`, at: now });
  return { version };
}

export interface TransitionOptions {
  /** Reason or public note: required to request changes and to correct. */
  note?: string;
  /** Publication time, for schedule. */
  at?: Date;
  /** Keeps the story invisible everywhere until then. */
  embargoUntil?: Date | null;
  /** New content for update and correct, saved over baseVersion. */
  content?: { input: ArticleInput; baseVersion: number };
}

export interface TransitionResult {
  status: Status;
  version: number;
}

function requireNote(command: Command, note: string | undefined): string {
  const clean = (note ?? '').trim();
  if ((command === 'request_changes' || command === 'correct') && !clean) {
    throw invalid({ note: command === 'correct' ? 'A correction needs a public note saying what was wrong.' : 'Tell the writer what to change.' });
  }
  if (clean.length > 2000) throw invalid({ note: 'The note is longer than 2,000 characters.' });
  return clean;
}

/** Runs one workflow command (everything but create and edit), and records what readers see change. */
export async function transition(db: Queryable, actor: Actor, articleId: number, command: Exclude<Command, 'create' | 'edit'>, options: TransitionOptions = {}, now = new Date()): Promise<TransitionResult> {
  const corrects = () => (command === 'correct' ? [TAGS.corrections] : []);
  return changingStory(db, articleId, () => runTransition(db, actor, articleId, command, options, now), corrects, now);
}

async function runTransition(db: Queryable, actor: Actor, articleId: number, command: Exclude<Command, 'create' | 'edit'>, options: TransitionOptions, now: Date): Promise<TransitionResult> {
  const { row, context } = await storyContext(db, actor, articleId);
  authorize(actor, command, context);
  const note = requireNote(command, options.note);
  const to = TO[command] ?? row.status;
  let version = row.version;
  if (options.content) {
    if (command !== 'update' && command !== 'correct') throw invalid({ content: 'Only an update or a correction changes the text of a published story.' });
    version = await writeContent(db, actor, row, options.content.input, options.content.baseVersion, now);
  }
  const changes: { status: Status; published_at?: string; updated_at?: string; embargo_until?: string | null; modified_at: string } = { status: to, modified_at: iso(now) };
  if (command === 'schedule') {
    if (!options.at || options.at.getTime() <= now.getTime()) throw invalid({ at: 'Choose a publication time in the future.' });
    changes.published_at = iso(options.at);
  }
  if (command === 'publish') {
    // A story published before (then unpublished and restored) keeps its first date.
    const keep = row.published_at !== null && row.status !== 'scheduled' && row.published_at <= iso(now);
    changes.published_at = keep ? (row.published_at as string) : iso(now);
  }
  if (command === 'update' || command === 'correct') changes.updated_at = iso(now);
  if (options.embargoUntil !== undefined && (command === 'schedule' || command === 'publish' || command === 'approve')) {
    changes.embargo_until = options.embargoUntil ? iso(options.embargoUntil) : null;
  }
  await db.updateTable('articles').set(changes).where('id', '=', articleId).execute();
  if ((command === 'update' && note) || command === 'correct') {
    await db
      .insertInto('article_events')
      .values({ article_id: articleId, kind: command === 'correct' ? 'correction' : 'update', note, at: iso(now), user_id: actor.userId })
      .execute();
  }
  const auditNote = command === 'schedule' && options.at ? [note, `for ${iso(options.at)}`].filter(Boolean).join(' ') : note;
  await writeAudit(db, { articleId, userId: actor.userId, action: command, from: row.status, to, note: auditNote, at: now });
  await recordWorkflowEvent(db, command, row.status, articleId, note, now);
  return { status: to, version };
}

/**
 * Publishes every scheduled story whose time has come. Safe with several instances: each
 * story is claimed by a conditional update, and only the instance that changed it logs it.
 */
export async function publishDue(db: Queryable, now = new Date()): Promise<number[]> {
  const due = await db
    .selectFrom('articles')
    .select('id')
    .where('status', '=', 'scheduled')
    .where('published_at', '<=', iso(now))
    .orderBy('published_at')
    .limit(100)
    .execute();
  const published: number[] = [];
  for (const { id } of due) {
    const result = await db
      .updateTable('articles')
      .set({ status: 'published', modified_at: iso(now) })
      .where('id', '=', id)
      .where('status', '=', 'scheduled')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) continue;
    await writeAudit(db, { articleId: id, userId: null, action: 'publish', from: 'scheduled', to: 'published', note: 'at its scheduled time', at: now });
    await recordWorkflowEvent(db, 'publish', 'scheduled', id, '', now);
    await recordChange(db, storyChangeTags(null, await storyFootprint(db, id, now)), now);
    published.push(id);
  }
  return published;
}

/** Brings back an earlier revision's text as a new revision; nothing in between is lost. */
export async function restoreRevision(db: Queryable, actor: Actor, articleId: number, revision: number, baseVersion: number, now = new Date()): Promise<{ version: number }> {
  const { fields } = await getRevision(db, articleId, revision);
  const { row } = await storyContext(db, actor, articleId);
  if (row.status === 'published') {
    const result = await transition(db, actor, articleId, 'update', { content: { input: fields, baseVersion } }, now);
    return { version: result.version };
  }
  return saveStory(db, actor, articleId, fields, baseVersion, now);
}
