// The transactional outbox. Workflow commands call recordWorkflowEvent inside their own
// transaction, so an event exists exactly when the change that caused it was committed: a crash
// before the commit loses both, a crash after it loses neither, and the dispatcher delivers
// whatever is pending when it next runs.
//
// The event keeps a snapshot of what readers can see of the story at that moment (never a
// draft's text, never newsroom-only fields); it is what every delivery and retry sends.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db.ts';
import { loadArticle } from '../articles/repository.ts';
import type { Article, Status } from '../articles/types.ts';
import { iso } from '../time.ts';
import { subscribersOf, type EventType } from './subscriptions.ts';

/** The article as readers see it: no status, version, embargo or SEO fields. */
export type PublicArticle = Omit<Article, 'status' | 'embargoUntil' | 'version' | 'seoTitle' | 'seoDescription'>;

/** Enough to name a story that is no longer public. */
export interface ArticleRef {
  id: number;
  slug: string;
  desk: { slug: string; name: string };
}

/** What the outbox stores as an event's payload. */
export interface StoredPayload {
  ref: ArticleRef;
  /** The public article; null for article.unpublished. */
  article: PublicArticle | null;
  /** The public note of an update or correction. */
  note: string | null;
}

export interface WebhookEvent {
  id: string;
  type: EventType;
  occurredAt: string;
  payload: StoredPayload;
}

const WORKFLOW_EVENTS: Partial<Record<string, EventType>> = {
  publish: 'article.published',
  update: 'article.updated',
  correct: 'article.corrected',
  unpublish: 'article.unpublished',
};

function publicFields(a: Article): PublicArticle {
  return {
    id: a.id,
    slug: a.slug,
    desk: a.desk,
    kicker: a.kicker,
    headline: a.headline,
    dek: a.dek,
    excerpt: a.excerpt,
    leadImage: a.leadImage,
    publishedAt: a.publishedAt,
    updatedAt: a.updatedAt,
    bodyHtml: a.bodyHtml,
    language: a.language,
    bylines: a.bylines,
    tags: a.tags,
    events: a.events,
  };
}

/**
 * Records the webhook event of a workflow command, if it has one, for every active subscription
 * that wants it. `from` is the status the story had before the command. Call it in the command's
 * transaction, after its writes.
 */
export async function recordWorkflowEvent(db: Queryable, command: string, from: Status, articleId: number, note: string, now: Date): Promise<WebhookEvent | undefined> {
  const type = WORKFLOW_EVENTS[command];
  if (!type) return undefined;
  // Unpublishing a scheduled story takes back nothing readers saw.
  if (type === 'article.unpublished' && from !== 'published') return undefined;
  return recordArticleEvent(db, type, articleId, now, note || null);
}

/** Writes one event to the outbox with a pending delivery per subscriber; nothing when none subscribes. */
export async function recordArticleEvent(db: Queryable, type: EventType, articleId: number, now: Date, note: string | null = null): Promise<WebhookEvent | undefined> {
  const times = await db.selectFrom('articles').select(['published_at', 'embargo_until']).where('id', '=', articleId).executeTakeFirst();
  if (!times) return undefined;
  // Readers see the story only from its publication time and after its embargo: so do receivers.
  const visibleFrom = [iso(now), times.published_at ?? '', times.embargo_until ?? ''].sort().at(-1) as string;
  if (type === 'article.unpublished' && visibleFrom > iso(now)) {
    // Taken back before anyone could see it: what was waiting for the embargo is not sent either.
    await cancelPending(db, articleId, now);
    return undefined;
  }
  const subscribers = await subscribersOf(db, type);
  if (subscribers.length === 0) return undefined;
  const article = await loadArticle(db, articleId, now);
  if (!article) return undefined;
  const ref: ArticleRef = { id: article.id, slug: article.slug, desk: { slug: article.desk.slug, name: article.desk.name } };
  const payload: StoredPayload = { ref, article: type === 'article.unpublished' ? null : publicFields(article), note };
  const event: WebhookEvent = { id: `evt_${randomUUID()}`, type, occurredAt: iso(now), payload };
  await db.insertInto('webhook_events').values({ id: event.id, type, article_id: articleId, payload: JSON.stringify(payload), occurred_at: event.occurredAt }).execute();
  await db
    .insertInto('webhook_deliveries')
    .values(subscribers.map((webhook_id) => ({ event_id: event.id, webhook_id, status: 'pending' as const, next_attempt_at: type === 'article.unpublished' ? iso(now) : visibleFrom, created_at: iso(now) })))
    .execute();
  return event;
}

async function cancelPending(db: Queryable, articleId: number, now: Date): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ status: 'cancelled', claim_token: null, last_error: `cancelled ${iso(now)}: the story was unpublished before readers could see it` })
    .where('status', '=', 'pending')
    .where('event_id', 'in', (eb) => eb.selectFrom('webhook_events').select('webhook_events.id').where('webhook_events.article_id', '=', articleId))
    .execute();
}

export const parseEvent = (row: { id: string; type: string; occurred_at: string; payload: string }): WebhookEvent => ({
  id: row.id,
  type: row.type as EventType,
  occurredAt: row.occurred_at,
  payload: JSON.parse(row.payload) as StoredPayload,
});
