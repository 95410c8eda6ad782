// What a newsroom member sees first: their own work, what waits for them, and the day's output.
import type { Queryable } from './db.ts';
import { iso } from './time.ts';
import { listStoriesFor, type StoryListItem } from './workflow/queries.ts';
import { hasEditorialAuthority, type Actor } from './workflow/policy.ts';
import { dateTimeFormat } from './intl.ts';

export interface DeskDay {
  deskId: number;
  deskName: string;
  /** Published stories per day, oldest first, for the last `days` days. */
  counts: number[];
}

export interface Dashboard {
  myDrafts: StoryListItem[];
  changesRequested: StoryListItem[];
  reviewQueue: StoryListItem[] | null;
  scheduled: StoryListItem[];
  recentlyPublished: StoryListItem[];
  days: string[];
  perDesk: DeskDay[];
}

const dayKey = (at: string | Date, timeZone: string) =>
  dateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(at));

export async function loadDashboard(db: Queryable, actor: Actor, timeZone: string, now = new Date(), days = 7): Promise<Dashboard> {
  const editor = hasEditorialAuthority(actor, { editsDesk: actor.role === 'desk_editor' });
  const [myDrafts, changesRequested, reviewQueue, scheduled, recentlyPublished] = await Promise.all([
    listStoriesFor(db, actor, { mine: true, status: 'draft', limit: 8 }),
    listStoriesFor(db, actor, { mine: true, status: 'changes_requested', limit: 8 }),
    editor ? listStoriesFor(db, actor, { status: 'submitted', editorialOnly: true, limit: 10 }) : null,
    listStoriesFor(db, actor, { status: 'scheduled', editorialOnly: editor, mine: !editor, limit: 8 }),
    listStoriesFor(db, actor, { status: 'published', editorialOnly: editor, mine: !editor, limit: 8 }),
  ]);
  const dayList = Array.from({ length: days }, (_, i) => dayKey(new Date(now.getTime() - (days - 1 - i) * 86_400_000), timeZone));
  const since = new Date(now.getTime() - days * 86_400_000);
  const rows = await db
    .selectFrom('articles')
    .innerJoin('desks', 'desks.id', 'articles.desk_id')
    .select(['articles.desk_id', 'desks.name', 'desks.position', 'articles.published_at'])
    .where('articles.status', '=', 'published')
    .where('articles.published_at', '>=', iso(since))
    .where('articles.published_at', '<=', iso(now))
    .execute();
  const perDesk = new Map<number, DeskDay & { position: number }>();
  for (const row of rows) {
    const index = dayList.indexOf(dayKey(row.published_at ?? '', timeZone));
    if (index === -1) continue;
    const entry = perDesk.get(row.desk_id) ?? { deskId: row.desk_id, deskName: row.name, position: row.position, counts: dayList.map(() => 0) };
    entry.counts[index] = (entry.counts[index] ?? 0) + 1;
    perDesk.set(row.desk_id, entry);
  }
  return {
    myDrafts: myDrafts.items,
    changesRequested: changesRequested.items,
    reviewQueue: reviewQueue?.items ?? null,
    scheduled: scheduled.items,
    recentlyPublished: recentlyPublished.items,
    days: dayList,
    perDesk: [...perDesk.values()].sort((a, b) => a.position - b.position).map(({ position: _position, ...d }) => d),
  };
}
