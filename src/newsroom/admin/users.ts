// Administrators manage login accounts: list them, invite people, reset a password, lift a
// lock-out, disable or re-enable an account, turn off two-factor login for a lost device.
// The account rules themselves live in ../auth (inviteUser, resetPassword, …); these commands
// add the administrator check in one place, validate what the auth layer takes on trust, audit,
// and answer with the account as an administrator may see it.
import type { Queryable } from '../db.ts';
import { invalid, notFound } from '../errors.ts';
import type { Actor } from '../auth/types.ts';
import { inviteUser } from '../auth/invitations.ts';
import { resetPassword, setAccountDisabled, unlockAccount } from '../auth/passwords.ts';
import { resetTotp } from '../auth/totp.ts';
import type { Role } from '../users.ts';
import { iso } from '../time.ts';
import { writeAdminAudit } from './audit.ts';
import { assertAdmin, MAX_ID } from './policy.ts';

/** An account as administrators see it: never the password hash, the TOTP secret or a token. */
export interface AccountSummary {
  id: number;
  email: string;
  role: Role;
  personId: number | null;
  displayName: string;
  hasPassword: boolean;
  twoFactorEnabled: boolean;
  disabled: boolean;
  /** When a lock-out after failed logins ends, or null when the account is not locked. */
  lockedUntil: string | null;
  createdAt: string;
}

/** The path of a one-time set-up link (/setup/{token}); the caller prefixes the site's origin. */
export interface SetupLink {
  account: AccountSummary;
  setupPath: string;
}

function summaryQuery(db: Queryable) {
  return (
    db
      .selectFrom('users')
      // Only whether a password exists is read, never the hash itself.
      .select((eb) => [
        'id',
        'email',
        'role',
        'person_id',
        'display_name',
        'created_at',
        'totp_enabled_at',
        'disabled_at',
        'locked_until',
        eb('password_hash', 'is not', null).as('has_password'),
      ])
  );
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaryQuery>['executeTakeFirstOrThrow']>>;

const toSummary = (row: SummaryRow, now: Date): AccountSummary => ({
  id: row.id,
  email: row.email,
  role: row.role,
  personId: row.person_id,
  displayName: row.display_name,
  // SQLite answers 0/1, PostgreSQL true/false.
  hasPassword: Boolean(Number(row.has_password)),
  twoFactorEnabled: row.totp_enabled_at !== null,
  disabled: row.disabled_at !== null,
  lockedUntil: row.locked_until !== null && row.locked_until > iso(now) ? row.locked_until : null,
  createdAt: row.created_at,
});

async function loadSummary(db: Queryable, userId: number, now: Date): Promise<AccountSummary> {
  const row = userId >= 1 && userId <= MAX_ID ? await summaryQuery(db).where('id', '=', userId).executeTakeFirst() : undefined;
  if (!row) throw notFound('The account');
  return toSummary(row, now);
}

export async function adminListUsers(db: Queryable, actor: Actor, now = new Date()): Promise<AccountSummary[]> {
  assertAdmin(actor, 'list the accounts');
  const rows = await summaryQuery(db).orderBy('email').execute();
  return rows.map((row) => toSummary(row, now));
}

export async function adminGetUser(db: Queryable, actor: Actor, userId: number, now = new Date()): Promise<AccountSummary> {
  assertAdmin(actor, 'see an account');
  return loadSummary(db, userId, now);
}

export interface InviteInput {
  email: string;
  role: string;
  personId?: number | null;
  displayName?: string;
}

/** Makes an account without a password; its set-up link (72 hours, once) is returned once. */
export async function adminInviteUser(db: Queryable, actor: Actor, input: InviteInput, now = new Date()): Promise<SetupLink> {
  assertAdmin(actor, 'invite people');
  const personId = input.personId ?? null;
  if (personId !== null) {
    const person = personId >= 1 && personId <= MAX_ID ? await db.selectFrom('people').select('id').where('id', '=', personId).executeTakeFirst() : undefined;
    if (!person) throw invalid({ personId: `There is no staff profile with the id ${personId}.` });
  }
  if ((input.displayName?.length ?? 0) > 200) throw invalid({ displayName: 'Use at most 200 characters for the display name.' });
  const { user, link } = await inviteUser(db, actor, { ...input, personId }, '', now);
  await writeAdminAudit(db, actor, 'user.invite', `Invited ${user.email} as ${user.role}.`, now);
  return { account: await loadSummary(db, user.id, now), setupPath: link };
}

/** The old password stops working, every session ends; a one-time set-up link is returned. */
export async function adminResetPassword(db: Queryable, actor: Actor, userId: number, now = new Date()): Promise<SetupLink> {
  assertAdmin(actor, 'reset a password');
  await loadSummary(db, userId, now);
  const { email, token } = await resetPassword(db, actor, userId, now);
  await writeAdminAudit(db, actor, 'user.reset_password', `Reset the password of ${email}.`, now);
  return { account: await loadSummary(db, userId, now), setupPath: `/setup/${token}` };
}

export async function adminUnlockUser(db: Queryable, actor: Actor, userId: number, now = new Date()): Promise<AccountSummary> {
  assertAdmin(actor, 'unlock an account');
  const before = await loadSummary(db, userId, now);
  await unlockAccount(db, actor, userId);
  await writeAdminAudit(db, actor, 'user.unlock', `Unlocked ${before.email}.`, now);
  return loadSummary(db, userId, now);
}

/** Disabling ends the account's sessions and API tokens; enabling lets it log in again. */
export async function adminSetUserDisabled(db: Queryable, actor: Actor, userId: number, disabled: boolean, now = new Date()): Promise<AccountSummary> {
  assertAdmin(actor, disabled ? 'disable an account' : 'enable an account');
  const before = await loadSummary(db, userId, now);
  await setAccountDisabled(db, actor, userId, disabled, now);
  await writeAdminAudit(db, actor, disabled ? 'user.disable' : 'user.enable', `${disabled ? 'Disabled' : 'Enabled'} ${before.email}.`, now);
  return loadSummary(db, userId, now);
}

export async function adminResetTwoFactor(db: Queryable, actor: Actor, userId: number, now = new Date()): Promise<AccountSummary> {
  assertAdmin(actor, 'turn off two-factor login for someone else');
  const before = await loadSummary(db, userId, now);
  await resetTotp(db, actor, userId);
  await writeAdminAudit(db, actor, 'user.reset_two_factor', `Turned off two-factor login for ${before.email}.`, now);
  return loadSummary(db, userId, now);
}
