// Follows the change log (cache_changes, written by src/newsroom/changes.ts in the transaction of
// each change) and drops the cached pages the changes touch. Every instance follows it; the
// instance that made a change follows it before answering, the others within a poll.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { iso } from '../newsroom/time.ts';

/** How long change rows are kept: long enough for any instance to have read them. */
const KEEP_MS = 60 * 60 * 1000;

export interface ChangeFeedOptions {
  /** Called with the tags of each new change, in order. */
  apply: (tags: string[]) => void;
  /** A CDN purge for the tags of changes no instance has purged yet. */
  purge?: (tags: string[]) => Promise<void>;
  onError?: (error: unknown) => void;
  pollMs?: number;
}

export class ChangeFeed {
  private lastId = 0;
  private reading: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastPrune = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: ChangeFeedOptions,
  ) {}

  /** Starts from the newest change: the cache is empty, nothing older concerns it. */
  async start(): Promise<void> {
    const newest = await this.db.selectFrom('cache_changes').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
    this.lastId = Number(newest?.id ?? 0);
    const pollMs = this.options.pollMs ?? 250;
    this.timer = setInterval(() => void this.sync().catch((error: unknown) => this.options.onError?.(error)), pollMs);
    this.timer.unref();
  }

  stop(): Promise<void> {
    clearInterval(this.timer);
    return this.reading ?? Promise.resolve();
  }

  /** Reads and applies every change not seen yet; concurrent callers share one read. */
  sync(): Promise<void> {
    if (this.reading) return this.reading.then(() => this.sync());
    this.reading = this.read().finally(() => (this.reading = undefined));
    return this.reading;
  }

  private async read(): Promise<void> {
    const rows = await this.db.selectFrom('cache_changes').select(['id', 'tags']).where('id', '>', this.lastId).orderBy('id').limit(1000).execute();
    if (rows.length === 0) return this.prune();
    const tags = new Set<string>();
    for (const row of rows) for (const tag of row.tags.split(' ')) if (tag) tags.add(tag);
    this.lastId = Number(rows[rows.length - 1]!.id);
    this.options.apply([...tags]);
    if (this.options.purge) await this.purge(rows.map((r) => Number(r.id)));
    if (rows.length === 1000) return this.read();
  }

  /** Claims the rows no instance purged yet (one instance wins each), then purges their tags. */
  private async purge(ids: number[]): Promise<void> {
    const claimed = await this.db
      .updateTable('cache_changes')
      .set({ purged_at: iso(new Date()) })
      .where('id', 'in', ids)
      .where('purged_at', 'is', null)
      .returning('tags')
      .execute();
    const tags = [...new Set(claimed.flatMap((r) => r.tags.split(' ')).filter(Boolean))];
    if (tags.length > 0) await this.options.purge!(tags).catch((error: unknown) => this.options.onError?.(error));
  }

  private async prune(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPrune < 60_000) return;
    this.lastPrune = now;
    await this.db.deleteFrom('cache_changes').where('at', '<', iso(new Date(now - KEEP_MS))).execute();
  }
}
