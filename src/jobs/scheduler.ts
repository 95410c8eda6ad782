// Publishes scheduled stories on time: once at start (catching up on anything that fell due
// while the server was down) and then every second.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { publishDue } from '../newsroom/workflow/commands.ts';

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
  const tick = () => {
    running = running.then(async () => {
      if (stopped) return [];
      try {
        const ids = await db.transaction().execute((trx) => publishDue(trx));
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
