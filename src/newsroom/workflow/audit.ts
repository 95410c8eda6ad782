// The audit log: who did what to which story, when, from which status to which, and why.
import type { Queryable } from '../db.ts';
import { iso } from '../time.ts';

export interface AuditEntry {
  id: number;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  note: string;
  at: string;
  userId: number | null;
  userEmail: string | null;
}

export async function writeAudit(
  db: Queryable,
  entry: { articleId: number; userId: number | null; action: string; from?: string | null; to?: string | null; note?: string; at: Date },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      article_id: entry.articleId,
      user_id: entry.userId,
      action: entry.action,
      from_status: entry.from ?? null,
      to_status: entry.to ?? null,
      note: entry.note ?? '',
      at: iso(entry.at),
    })
    .execute();
}

export async function listAudit(db: Queryable, articleId: number): Promise<AuditEntry[]> {
  const rows = await db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.user_id')
    .select(['audit_log.id', 'audit_log.action', 'audit_log.from_status', 'audit_log.to_status', 'audit_log.note', 'audit_log.at', 'audit_log.user_id', 'users.email'])
    .where('audit_log.article_id', '=', articleId)
    .orderBy('audit_log.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    action: r.action,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    note: r.note,
    at: r.at,
    userId: r.user_id,
    userEmail: r.email,
  }));
}
