// Publishes scheduled stories on time: once at start (catching up on anything that fell due
// while the server was down) and then every second. Each tick also records what time alone
// changed for readers (embargoes lifting, banners expiring), for the page cache.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { publishDue } from '../newsroom/workflow/commands.ts';
import { recordTimedChanges } from '../newsroom/changes.ts';

export interface Scheduler {
  /** Runs one pass now; resolves to the ids published. */
  tick(): Promise<number[]>;
  stop(): Promise<void>;
}

export function startScheduler(
  db: Kysely<Database>,
  onPublished: (ids: number[]) => void,
  onError: (error: unknown) => void,
  intervalMs = 1000,
): Scheduler {
  let running: Promise<number[]> = Promise.resolve([]);
  let stopped = false;
  let since = new Date();
  const tick = () => {
    running = running.then(async () => {
      if (stopped) return [];
      try {
        const now = new Date();
        const ids = await db.transaction().execute(async (trx) => {
          const published = await publishDue(trx, now);
          await recordTimedChanges(trx, since, now);
          return published;
        });
        since = now;
        if (ids.length > 0) onPublished(ids);
        return ids;
      } catch (error) {
        onError(error);
        return [];
      }
    });
    return running;
  };
  void tick();
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
