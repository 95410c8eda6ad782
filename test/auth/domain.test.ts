// The account rules without HTTP: passwords, lock-out, sessions, API tokens, two-factor, invitations.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eachDatabase } from '../helpers/databases.ts';
import type { Db } from '../../src/db/connection.ts';
import type { NewsroomError } from '../../src/newsroom/errors.ts';
import { attemptLogin, attemptSecondFactor, LOCK_MINUTES, MAX_FAILED_LOGINS } from '../../src/newsroom/auth/login.ts';
import { changePassword, resetPassword, setAccountDisabled, setPassword, unlockAccount } from '../../src/newsroom/auth/passwords.ts';
import { createSession, listSessions, lookupSession, revokeAllSessions, revokeSession, sha256 } from '../../src/newsroom/auth/sessions.ts';
import { authenticateApiToken, createApiToken, listAllApiTokens, listApiTokens, revokeApiToken } from '../../src/newsroom/auth/tokens.ts';
import { base32Decode, base32Encode, confirmTotp, disableTotp, enrollTotp, resetTotp, totpCode, twoFactorStatus, verifyTotp } from '../../src/newsroom/auth/totp.ts';
import { inviteUser } from '../../src/newsroom/auth/invitations.ts';
import { checkSetupToken } from '../../src/newsroom/setup.ts';
import { makeUser, PASSWORD } from './factories.ts';

test('TOTP matches the RFC 6238 test vectors (SHA-1, last 6 digits)', () => {
  const secret = base32Encode(Buffer.from('12345678901234567890'));
  assert.equal(secret, 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  assert.deepEqual(base32Decode(secret), Buffer.from('12345678901234567890'));
  assert.equal(totpCode(secret, new Date(59_000)), '287082');
  assert.equal(totpCode(secret, new Date(1111111109_000)), '081804');
  assert.equal(totpCode(secret, new Date(1234567890_000)), '005924');
  assert.equal(totpCode(secret, new Date(20000000000_000)), '353130');
  const at = new Date(1234567890_000);
  assert.ok(verifyTotp(secret, totpCode(secret, at, -1), at));
  assert.ok(verifyTotp(secret, totpCode(secret, at, 1), at));
  assert.ok(!verifyTotp(secret, totpCode(secret, at, 2), at));
  assert.ok(!verifyTotp(secret, 'abcdef', at));
  assert.ok(!verifyTotp(secret, '', at));
});

eachDatabase('account rules', (kind) => {
  let db: Db;
  let dispose: () => Promise<void>;
  before(async () => ({ db, dispose } = await kind.create()));
  after(() => dispose());

  const refusedCode = (outcome: Awaited<ReturnType<typeof attemptLogin>>) => (outcome.kind === 'refused' ? outcome.error.code : outcome.kind);

  test('logs in with the right password, case-insensitive email; refuses wrong ones alike', async () => {
    const user = await makeUser(db.kysely, { email: 'Ana@Example.com' });
    const ok = await attemptLogin(db.kysely, { email: '  ANA@example.com ', password: PASSWORD });
    assert.equal(ok.kind, 'signed_in');
    assert.deepEqual(ok.kind === 'signed_in' && ok.actor, { userId: user.id, email: 'ana@example.com', role: 'contributor', personId: null });

    const wrong = await attemptLogin(db.kysely, { email: 'ana@example.com', password: 'not the password' });
    const unknown = await attemptLogin(db.kysely, { email: 'nobody@example.com', password: 'not the password' });
    assert.equal(refusedCode(wrong), 'unauthenticated');
    assert.equal(refusedCode(unknown), 'unauthenticated');
    assert.equal(wrong.kind === 'refused' && wrong.error.message, unknown.kind === 'refused' && unknown.error.message);

    const noPassword = await makeUser(db.kysely, { email: 'nopass@example.com', password: null });
    assert.equal(refusedCode(await attemptLogin(db.kysely, { email: noPassword.email, password: '' })), 'unauthenticated');
  });

  test(`locks after ${MAX_FAILED_LOGINS} failures for ${LOCK_MINUTES} minutes, even for the right password; unlocks after`, async () => {
    const user = await makeUser(db.kysely, { email: 'lock@example.com' });
    const t0 = new Date('2026-11-28T10:00:00Z');
    for (let i = 1; i < MAX_FAILED_LOGINS; i++) {
      assert.equal(refusedCode(await attemptLogin(db.kysely, { email: user.email, password: `wrong ${i}` }, t0)), 'unauthenticated');
    }
    const last = await attemptLogin(db.kysely, { email: user.email, password: 'wrong again' }, t0);
    assert.equal(refusedCode(last), 'rate_limited');
    assert.match(last.kind === 'refused' ? last.error.message : '', /locked after 5 failed logins.*Try again in 15 minutes/);

    const during = await attemptLogin(db.kysely, { email: user.email, password: PASSWORD }, new Date(t0.getTime() + 14 * 60_000));
    assert.equal(refusedCode(during), 'rate_limited');
    assert.match(during.kind === 'refused' ? during.error.message : '', /Try again in 1 minute,/);

    const afterLock = await attemptLogin(db.kysely, { email: user.email, password: PASSWORD }, new Date(t0.getTime() + LOCK_MINUTES * 60_000 + 1000));
    assert.equal(afterLock.kind, 'signed_in');
    const row = await db.kysely.selectFrom('users').select(['failed_logins', 'locked_until']).where('id', '=', user.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { failed_logins: 0, locked_until: null });
  });

  test('a success resets the failure count; an administrator can unlock', async () => {
    const user = await makeUser(db.kysely, { email: 'reset-count@example.com' });
    const admin = await makeUser(db.kysely, { email: 'admin1@example.com', role: 'admin' });
    for (let i = 0; i < MAX_FAILED_LOGINS - 1; i++) await attemptLogin(db.kysely, { email: user.email, password: 'wrong' });
    assert.equal((await attemptLogin(db.kysely, { email: user.email, password: PASSWORD })).kind, 'signed_in');
    assert.equal(refusedCode(await attemptLogin(db.kysely, { email: user.email, password: 'wrong' })), 'unauthenticated');
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) await attemptLogin(db.kysely, { email: user.email, password: 'wrong' });
    assert.equal(refusedCode(await attemptLogin(db.kysely, { email: user.email, password: PASSWORD })), 'rate_limited');
    await assert.rejects(unlockAccount(db.kysely, user, user.userId), (e: NewsroomError) => e.code === 'forbidden');
    await unlockAccount(db.kysely, admin, user.userId);
    assert.equal((await attemptLogin(db.kysely, { email: user.email, password: PASSWORD })).kind, 'signed_in');
  });

  test('a disabled account is refused (and says so only to who knows the password); its sessions and tokens end', async () => {
    const user = await makeUser(db.kysely, { email: 'disabled@example.com' });
    const admin = await makeUser(db.kysely, { email: 'admin2@example.com', role: 'admin' });
    const { token } = await createSession(db.kysely, user.userId);
    const { secret } = await createApiToken(db.kysely, user.userId, 'script');
    await setAccountDisabled(db.kysely, admin, user.userId, true);
    assert.equal(refusedCode(await attemptLogin(db.kysely, { email: user.email, password: PASSWORD })), 'forbidden');
    assert.equal(refusedCode(await attemptLogin(db.kysely, { email: user.email, password: 'wrong' })), 'unauthenticated');
    assert.equal(await lookupSession(db.kysely, token), undefined);
    assert.equal(await authenticateApiToken(db.kysely, secret), undefined);
    await assert.rejects(setAccountDisabled(db.kysely, admin, admin.userId, true), (e: NewsroomError) => e.code === 'invalid_input');
  });

  test('sessions: only the hash is stored; expiry slides; expired ones are gone; revoke one or all', async () => {
    const user = await makeUser(db.kysely, { email: 'sessions@example.com' });
    const t0 = new Date('2026-11-01T00:00:00Z');
    const { token, session } = await createSession(db.kysely, user.userId, { userAgent: 'test', now: t0 });
    assert.equal(session.id, sha256(token));
    assert.equal((await db.kysely.selectFrom('sessions').select('token_hash').where('token_hash', '=', token).executeTakeFirst()), undefined);

    const day10 = new Date(t0.getTime() + 10 * 86400_000);
    const seen = await lookupSession(db.kysely, token, day10);
    assert.equal(seen?.actor.userId, user.userId);
    assert.equal(seen?.renewed, true);
    assert.equal(seen?.session.expiresAt, new Date(day10.getTime() + 14 * 86400_000).toISOString());
    // Still alive 20 days after the start, because it was used on day 10.
    assert.ok(await lookupSession(db.kysely, token, new Date(t0.getTime() + 20 * 86400_000)));
    assert.equal(await lookupSession(db.kysely, token, new Date(t0.getTime() + 40 * 86400_000)), undefined);
    assert.equal(await lookupSession(db.kysely, 'not-a-token'), undefined);

    const a = await createSession(db.kysely, user.userId);
    const b = await createSession(db.kysely, user.userId);
    const c = await createSession(db.kysely, user.userId);
    await revokeSession(db.kysely, a.session.id);
    assert.equal(await lookupSession(db.kysely, a.token), undefined);
    assert.equal(await revokeAllSessions(db.kysely, user.userId, { except: c.session.id }), 1);
    assert.equal(await lookupSession(db.kysely, b.token), undefined);
    assert.ok(await lookupSession(db.kysely, c.token));
    assert.deepEqual((await listSessions(db.kysely, user.userId)).map((s) => s.id), [c.session.id]);
  });

  test('changing the password checks the current one and ends the other sessions', async () => {
    const user = await makeUser(db.kysely, { email: 'change@example.com' });
    const mine = await createSession(db.kysely, user.userId);
    const other = await createSession(db.kysely, user.userId);
    const newPassword = 'another long passphrase';
    await assert.rejects(changePassword(db.kysely, user, { current: 'wrong', password: newPassword, confirm: newPassword }), (e: NewsroomError) => e.fields.current !== undefined);
    await assert.rejects(changePassword(db.kysely, user, { current: PASSWORD, password: 'short', confirm: 'short' }), (e: NewsroomError) => e.fields.password !== undefined);
    await assert.rejects(changePassword(db.kysely, user, { current: PASSWORD, password: newPassword, confirm: 'x' }), (e: NewsroomError) => e.fields.confirm !== undefined);
    await changePassword(db.kysely, user, { current: PASSWORD, password: newPassword, confirm: newPassword, keepSessionId: mine.session.id });
    assert.ok(await lookupSession(db.kysely, mine.token));
    assert.equal(await lookupSession(db.kysely, other.token), undefined);
    assert.equal(refusedCode(await attemptLogin(db.kysely, { email: user.email, password: PASSWORD })), 'unauthenticated');
    assert.equal((await attemptLogin(db.kysely, { email: user.email, password: newPassword })).kind, 'signed_in');
  });

  test('an administrator resets a password: old one dead, sessions gone, a set-up link issued', async () => {
    const user = await makeUser(db.kysely, { email: 'reset@example.com' });
    const admin = await makeUser(db.kysely, { email: 'admin3@example.com', role: 'admin' });
    const session = await createSession(db.kysely, user.userId);
    await assert.rejects(resetPassword(db.kysely, user, user.userId), (e: NewsroomError) => e.code === 'forbidden');
    const { token } = await resetPassword(db.kysely, admin, user.userId);
    assert.equal((await checkSetupToken(db.kysely, token)).userId, user.userId);
    assert.equal(await lookupSession(db.kysely, session.token), undefined);
    assert.equal(refusedCode(await attemptLogin(db.kysely, { email: user.email, password: PASSWORD })), 'unauthenticated');
  });

  test('the operator sets a password: rules apply, lock-out lifted, sessions ended', async () => {
    const user = await makeUser(db.kysely, { email: 'operator-set@example.com' });
    const session = await createSession(db.kysely, user.userId);
    await db.kysely.updateTable('users').set({ locked_until: '2999-01-01T00:00:00.000Z' }).where('id', '=', user.id).execute();
    await assert.rejects(setPassword(db.kysely, user.userId, 'short'), (e: NewsroomError) => e.code === 'invalid_input');
    await setPassword(db.kysely, user.userId, 'an operator passphrase');
    assert.equal(await lookupSession(db.kysely, session.token), undefined);
    assert.equal((await attemptLogin(db.kysely, { email: user.email, password: 'an operator passphrase' })).kind, 'signed_in');
    await assert.rejects(setPassword(db.kysely, 999999, 'an operator passphrase'), (e: NewsroomError) => e.code === 'not_found');
  });

  test('API tokens: secret shown once, hash stored, authenticate, list, revoke (own or admin only)', async () => {
    const user = await makeUser(db.kysely, { email: 'tokens@example.com', role: 'desk_editor' });
    const other = await makeUser(db.kysely, { email: 'other@example.com' });
    const admin = await makeUser(db.kysely, { email: 'admin4@example.com', role: 'admin' });
    const { token, secret } = await createApiToken(db.kysely, user.userId, ' import script ');
    assert.match(secret, /^dl_[A-Za-z0-9_-]{43}$/);
    assert.equal(token.name, 'import script');
    const stored = await db.kysely.selectFrom('api_tokens').select('token_hash').where('id', '=', token.id).executeTakeFirstOrThrow();
    assert.equal(stored.token_hash, sha256(secret));
    await assert.rejects(createApiToken(db.kysely, user.userId, '  '), (e: NewsroomError) => e.code === 'invalid_input');

    const found = await authenticateApiToken(db.kysely, secret);
    assert.deepEqual(found, { tokenId: token.id, actor: { userId: user.userId, email: user.email, role: 'desk_editor', personId: null } });
    assert.equal(await authenticateApiToken(db.kysely, 'dl_nope'), undefined);
    assert.equal(await authenticateApiToken(db.kysely, secret.slice(3)), undefined);
    assert.ok((await listApiTokens(db.kysely, user.userId))[0]?.lastUsedAt);
    assert.ok((await listAllApiTokens(db.kysely)).some((t) => t.id === token.id && t.email === user.email));

    await assert.rejects(revokeApiToken(db.kysely, other, token.id), (e: NewsroomError) => e.code === 'not_found');
    const second = await createApiToken(db.kysely, user.userId, 'second');
    await revokeApiToken(db.kysely, user, token.id);
    await revokeApiToken(db.kysely, admin, second.token.id);
    assert.equal(await authenticateApiToken(db.kysely, secret), undefined);
    assert.equal(await authenticateApiToken(db.kysely, second.secret), undefined);
    assert.ok((await listApiTokens(db.kysely, user.userId)).every((t) => t.revokedAt));
  });

  test('two-factor: enroll, confirm with a code, login needs a code, wrong codes count, disable', async () => {
    const user = await makeUser(db.kysely, { email: 'totp@example.com' });
    const { secret, uri } = await enrollTotp(db.kysely, user, 'Dateline');
    assert.match(uri, /^otpauth:\/\/totp\/Dateline%3Atotp%40example\.com\?secret=[A-Z2-7]+&issuer=Dateline/);
    assert.deepEqual(await twoFactorStatus(db.kysely, user.userId), { enabled: false, pending: true });
    // Not in force before it is confirmed.
    assert.equal((await attemptLogin(db.kysely, { email: user.email, password: PASSWORD })).kind, 'signed_in');
    const wrong = String((Number(totpCode(secret)) + 500_000) % 1_000_000).padStart(6, '0');
    await assert.rejects(confirmTotp(db.kysely, user, wrong), (e: NewsroomError) => e.fields.code !== undefined);
    await confirmTotp(db.kysely, user, totpCode(secret));
    assert.deepEqual(await twoFactorStatus(db.kysely, user.userId), { enabled: true, pending: false });
    await assert.rejects(enrollTotp(db.kysely, user, 'Dateline'), (e: NewsroomError) => e.code === 'conflict');

    const first = await attemptLogin(db.kysely, { email: user.email, password: PASSWORD });
    assert.deepEqual(first, { kind: 'second_factor', userId: user.userId });
    const now = new Date();
    const wrongCode = String((Number(totpCode(secret, now)) + 500_000) % 1_000_000).padStart(6, '0');
    assert.equal(refusedCode(await attemptSecondFactor(db.kysely, { userId: user.userId, code: wrongCode }, now)), 'unauthenticated');
    const ok = await attemptSecondFactor(db.kysely, { userId: user.userId, code: totpCode(secret, now) }, now);
    assert.equal(ok.kind, 'signed_in');
    const replay = await attemptSecondFactor(db.kysely, { userId: user.userId, code: totpCode(secret, now) }, now);
    assert.equal(refusedCode(replay), 'unauthenticated', 'a code works once');
    const later = new Date(now.getTime() + 30_000);
    assert.equal((await attemptSecondFactor(db.kysely, { userId: user.userId, code: totpCode(secret, later) }, later)).kind, 'signed_in', 'the next code works');

    await assert.rejects(disableTotp(db.kysely, user, 'wrong'), (e: NewsroomError) => e.fields.password !== undefined);
    await disableTotp(db.kysely, user, PASSWORD);
    assert.equal((await attemptLogin(db.kysely, { email: user.email, password: PASSWORD })).kind, 'signed_in');

    // Lost device: an administrator (only) turns it off.
    const again = await enrollTotp(db.kysely, user, 'Dateline');
    await confirmTotp(db.kysely, user, totpCode(again.secret));
    const admin = await makeUser(db.kysely, { email: 'admin-totp@example.com', role: 'admin' });
    await assert.rejects(resetTotp(db.kysely, user, user.userId), (e: NewsroomError) => e.code === 'forbidden');
    await resetTotp(db.kysely, admin, user.userId);
    assert.deepEqual(await twoFactorStatus(db.kysely, user.userId), { enabled: false, pending: false });
  });

  test('invitations: admin only; the account has no password and a working set-up link', async () => {
    const admin = await makeUser(db.kysely, { email: 'admin5@example.com', role: 'admin' });
    const editor = await makeUser(db.kysely, { email: 'editor5@example.com', role: 'managing_editor' });
    await assert.rejects(inviteUser(db.kysely, editor, { email: 'new@example.com', role: 'contributor' }, 'https://news.example'), (e: NewsroomError) => e.code === 'forbidden');
    const invitation = await inviteUser(db.kysely, admin, { email: 'New@Example.com', role: 'contributor', displayName: 'New Person' }, 'https://news.example');
    assert.equal(invitation.user.email, 'new@example.com');
    assert.equal(invitation.user.hasPassword, false);
    const token = invitation.link.match(/^https:\/\/news\.example\/setup\/(.+)$/)?.[1];
    assert.ok(token);
    assert.equal((await checkSetupToken(db.kysely, token)).email, 'new@example.com');
    await assert.rejects(inviteUser(db.kysely, admin, { email: 'new@example.com', role: 'contributor' }, 'https://news.example'), (e: NewsroomError) => e.code === 'invalid_input');
  });
});
