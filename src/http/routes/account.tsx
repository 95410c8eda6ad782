// Login, logout and the signed-in user's own pages (password, two-factor, API tokens), and the
// newsroom API's /me and /tokens. Handlers: validate → authenticate → transaction if it writes
// → command → present. Password checks run outside transactions: argon2 takes tens of
// milliseconds, and on SQLite an open transaction would hold every other query up meanwhile.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { VNode } from 'preact';
import type { Config } from '../../config.ts';
import type { Database } from '../../newsroom/db.ts';
import { NewsroomError } from '../../newsroom/errors.ts';
import { loadAccount } from '../../newsroom/auth/accounts.ts';
import { attemptLogin, attemptSecondFactor, type LoginOutcome } from '../../newsroom/auth/login.ts';
import { changePassword } from '../../newsroom/auth/passwords.ts';
import { createSession, revokeSession } from '../../newsroom/auth/sessions.ts';
import { createApiToken, listApiTokens, revokeApiToken, type ApiToken } from '../../newsroom/auth/tokens.ts';
import { confirmTotp, disableTotp, enrollTotp, pendingTotp, twoFactorStatus } from '../../newsroom/auth/totp.ts';
import type { Account, Actor } from '../../newsroom/auth/types.ts';
import { loadChrome } from '../../site/chrome.ts';
import { renderHtml } from '../../site/render.ts';
import { CSRF_EXPIRED, csrfValid } from '../csrf.ts';
import { apiWriter, clearSessionCookie, pageActor, requireActor, safeNext, secureCookies, setSessionCookie } from '../auth.ts';
import { LoginPage, SecondFactorPage } from '../views/login.tsx';
import { AccountPage, LogoutPage, PasswordPage, TwoFactorPage, type AccountView } from '../views/account.tsx';

/** Between the password and the code: a signed cookie naming the user, good for five minutes. */
const PENDING_COOKIE = 'dl_login';
const PENDING_SECONDS = 300;
const API = '/api/newsroom/v1';

const field = (body: unknown, name: string): string => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};

const html = (reply: FastifyReply, status: number, page: VNode) =>
  reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(renderHtml(page));

const statusOf = (error: NewsroomError) => ({ unauthenticated: 401, rate_limited: 429, forbidden: 403 })[error.code as string] ?? 400;

export function presentAccount(account: Account) {
  return {
    id: account.userId,
    email: account.email,
    role: account.role,
    personId: account.personId,
    displayName: account.displayName,
    twoFactorEnabled: account.twoFactorEnabled,
    createdAt: account.createdAt,
  };
}

export function presentToken(token: ApiToken) {
  return { id: token.id, name: token.name, createdAt: token.createdAt, lastUsedAt: token.lastUsedAt, revokedAt: token.revokedAt };
}

export function accountRoutes(app: FastifyInstance, db: Kysely<Database>, config: Config): void {
  const limited = { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } };
  const pendingCookie = { path: '/login', httpOnly: true, sameSite: 'lax' as const, secure: secureCookies(config), signed: true };

  const readPending = (request: FastifyRequest, reply: FastifyReply): number | undefined => {
    const raw = request.cookies[PENDING_COOKIE];
    if (!raw) return undefined;
    const { valid, value } = reply.unsignCookie(raw);
    const match = valid && value ? /^(\d+)\.(\d+)$/.exec(value) : null;
    if (!match || Number(match[2]) < Date.now()) return undefined;
    return Number(match[1]);
  };

  /** A fresh session for a signed-in user: the old one (if any) ends, the cookie is set, 303 onwards. */
  const signIn = async (request: FastifyRequest, reply: FastifyReply, actor: Actor, next: string | undefined) => {
    if (request.credential?.kind === 'session') await revokeSession(db, request.credential.sessionId);
    const { token } = await createSession(db, actor.userId, { userAgent: request.headers['user-agent'] ?? '' });
    setSessionCookie(reply, config, token);
    reply.clearCookie(PENDING_COOKIE, pendingCookie);
    return reply.header('cache-control', 'no-store').redirect(next ?? '/admin', 303);
  };

  // ——— login ———

  app.get<{ Querystring: { next?: string } }>('/login', async (request, reply) => {
    const next = safeNext(request.query.next);
    if (request.actor) return reply.header('cache-control', 'no-store').redirect(next ?? '/admin', 303);
    const chrome = await loadChrome(db, config);
    return html(reply, 200, LoginPage({ chrome, form: { csrf: reply.generateCsrf(), email: '', next, errors: {} } }));
  });

  app.post<{ Querystring: { next?: string } }>('/login', limited, async (request, reply) => {
    const next = safeNext(field(request.body, 'next')) ?? safeNext(request.query.next);
    const email = field(request.body, 'email').trim();
    const password = field(request.body, 'password');
    const chrome = await loadChrome(db, config);
    const show = (status: number, extra: { errors?: Record<string, string>; notice?: string }) =>
      html(reply, status, LoginPage({ chrome, form: { csrf: reply.generateCsrf(), email, next, errors: {}, ...extra } }));
    if (!csrfValid(request, reply)) return show(403, { notice: CSRF_EXPIRED });
    const errors: Record<string, string> = {};
    if (!email) errors.email = 'Enter your email address.';
    if (!password) errors.password = 'Enter your password.';
    if (Object.keys(errors).length) return show(400, { errors, notice: Object.values(errors)[0] });

    const outcome = await attemptLogin(db, { email, password });
    if (outcome.kind === 'refused') return show(statusOf(outcome.error), { notice: outcome.error.message });
    if (outcome.kind === 'second_factor') {
      reply.setCookie(PENDING_COOKIE, `${outcome.userId}.${Date.now() + PENDING_SECONDS * 1000}`, { ...pendingCookie, maxAge: PENDING_SECONDS });
      return reply.header('cache-control', 'no-store').redirect(next ? `/login/two-factor?next=${encodeURIComponent(next)}` : '/login/two-factor', 303);
    }
    return signIn(request, reply, outcome.actor, next);
  });

  app.get<{ Querystring: { next?: string } }>('/login/two-factor', async (request, reply) => {
    const next = safeNext(request.query.next);
    if (readPending(request, reply) === undefined) return reply.header('cache-control', 'no-store').redirect(next ? `/login?next=${encodeURIComponent(next)}` : '/login', 303);
    const chrome = await loadChrome(db, config);
    return html(reply, 200, SecondFactorPage({ chrome, form: { csrf: reply.generateCsrf(), next, errors: {} } }));
  });

  app.post<{ Querystring: { next?: string } }>('/login/two-factor', limited, async (request, reply) => {
    const next = safeNext(field(request.body, 'next')) ?? safeNext(request.query.next);
    const chrome = await loadChrome(db, config);
    const show = (status: number, extra: { errors?: Record<string, string>; notice?: string }) =>
      html(reply, status, SecondFactorPage({ chrome, form: { csrf: reply.generateCsrf(), next, errors: {}, ...extra } }));
    if (!csrfValid(request, reply)) return show(403, { notice: CSRF_EXPIRED });
    const userId = readPending(request, reply);
    if (userId === undefined) {
      const notice = 'That took too long: please log in again.';
      return html(reply, 401, LoginPage({ chrome, form: { csrf: reply.generateCsrf(), email: '', next, errors: {}, notice } }));
    }
    const code = field(request.body, 'code');
    if (!code.trim()) return show(400, { errors: { code: 'Enter the code from your app.' } });
    const outcome: LoginOutcome = await attemptSecondFactor(db, { userId, code });
    if (outcome.kind === 'refused') {
      return show(statusOf(outcome.error), { errors: outcome.error.code === 'unauthenticated' ? { code: outcome.error.message } : {}, notice: outcome.error.message });
    }
    if (outcome.kind !== 'signed_in') throw new Error('unexpected second factor outcome');
    return signIn(request, reply, outcome.actor, next);
  });

  app.post('/logout', async (request, reply) => {
    if (!csrfValid(request, reply)) {
      const chrome = await loadChrome(db, config);
      return html(reply, 403, LogoutPage({ chrome, csrf: reply.generateCsrf(), notice: 'That log-out form had expired, so you are still logged in. Press the button again to log out.' }));
    }
    if (request.credential?.kind === 'session') await revokeSession(db, request.credential.sessionId);
    clearSessionCookie(reply, config);
    return reply.header('cache-control', 'no-store').redirect('/', 303);
  });

  // ——— the account pages ———

  const showAccount = async (reply: FastifyReply, actor: Actor, status: number, extra: Partial<AccountView> = {}) => {
    const [chrome, account, tokens] = await Promise.all([loadChrome(db, config), loadAccount(db, actor.userId), listApiTokens(db, actor.userId)]);
    return html(reply, status, AccountPage({ chrome, view: { account, tokens, csrf: reply.generateCsrf(), errors: {}, ...extra } }));
  };

  app.get('/account', async (request, reply) => {
    const actor = pageActor(request, reply, config);
    if (!actor) return reply;
    return showAccount(reply, actor, 200);
  });

  app.post('/account/tokens', async (request, reply) => {
    const actor = pageActor(request, reply, config);
    if (!actor) return reply;
    const name = field(request.body, 'name');
    if (!csrfValid(request, reply)) return showAccount(reply, actor, 403, { notice: CSRF_EXPIRED, tokenName: name });
    try {
      const { token, secret } = await db.transaction().execute((trx) => createApiToken(trx, actor.userId, name));
      return showAccount(reply, actor, 200, { newSecret: { name: token.name, secret } });
    } catch (error) {
      if (error instanceof NewsroomError && error.code === 'invalid_input') return showAccount(reply, actor, 400, { errors: error.fields, notice: error.message, tokenName: name });
      throw error;
    }
  });

  app.post<{ Params: { id: string } }>('/account/tokens/:id/revoke', async (request, reply) => {
    const actor = pageActor(request, reply, config);
    if (!actor) return reply;
    if (!csrfValid(request, reply)) return showAccount(reply, actor, 403, { notice: CSRF_EXPIRED });
    const id = /^\d{1,12}$/.test(request.params.id) ? Number(request.params.id) : NaN;
    if (Number.isNaN(id)) throw new NewsroomError('not_found', 'The API token was not found.');
    const token = await db.transaction().execute((trx) => revokeApiToken(trx, actor, id));
    return showAccount(reply, actor, 200, { notice: `The token “${token.name}” is revoked.`, ok: true });
  });

  app.get('/account/password', async (request, reply) => {
    const actor = pageActor(request, reply, config);
    if (!actor) return reply;
    const chrome = await loadChrome(db, config);
    return html(reply, 200, PasswordPage({ chrome, view: { csrf: reply.generateCsrf(), email: actor.email, errors: {} } }));
  });

  app.post('/account/password', limited, async (request, reply) => {
    const actor = pageActor(request, reply, config);
    if (!actor) return reply;
    const chrome = await loadChrome(db, config);
    const show = (status: number, extra: { errors?: Record<string, string>; notice?: string; done?: boolean }) =>
      html(reply, status, PasswordPage({ chrome, view: { csrf: reply.generateCsrf(), email: actor.email, errors: {}, ...extra } }));
    if (!csrfValid(request, reply)) return show(403, { notice: CSRF_EXPIRED });
    const keepSessionId = request.credential?.kind === 'session' ? request.credential.sessionId : undefined;
    try {
      await db.transaction().execute((trx) =>
        changePassword(trx, actor, { current: field(request.body, 'current'), password: field(request.body, 'password'), confirm: field(request.body, 'confirm'), keepSessionId }),
      );
    } catch (error) {
      if (error instanceof NewsroomError && error.code === 'invalid_input') return show(400, { errors: error.fields, notice: error.message });
      throw error;
    }
    return show(200, { done: true, notice: 'Password changed.' });
  });

  app.get('/account/two-factor', async (request, reply) => {
    const actor = pageActor(request, reply, config);
    if (!actor) return reply;
    const chrome = await loadChrome(db, config);
    const status = await twoFactorStatus(db, actor.userId);
    return html(reply, 200, TwoFactorPage({ chrome, view: { csrf: reply.generateCsrf(), enabled: status.enabled, errors: {} } }));
  });

  app.post('/account/two-factor', limited, async (request, reply) => {
    const actor = pageActor(request, reply, config);
    if (!actor) return reply;
    const chrome = await loadChrome(db, config);
    const issuer = chrome.siteName;
    const show = async (status: number, extra: { errors?: Record<string, string>; notice?: string; ok?: boolean; enrolling?: { secret: string; uri: string } }) => {
      const current = await twoFactorStatus(db, actor.userId);
      return html(reply, status, TwoFactorPage({ chrome, view: { csrf: reply.generateCsrf(), enabled: current.enabled, errors: {}, ...extra } }));
    };
    if (!csrfValid(request, reply)) return show(403, { notice: CSRF_EXPIRED });
    const action = field(request.body, 'action');
    try {
      if (action === 'enroll') {
        const enrolling = await db.transaction().execute((trx) => enrollTotp(trx, actor, issuer));
        return show(200, { enrolling });
      }
      if (action === 'confirm') {
        await db.transaction().execute((trx) => confirmTotp(trx, actor, field(request.body, 'code')));
        return show(200, { notice: 'Two-factor login is on. From now on, logging in asks for a code from your app.', ok: true });
      }
      if (action === 'disable') {
        await db.transaction().execute((trx) => disableTotp(trx, actor, field(request.body, 'password')));
        return show(200, { notice: 'Two-factor login is off.', ok: true });
      }
      return show(400, { notice: 'Choose what to do with two-factor login.' });
    } catch (error) {
      if (error instanceof NewsroomError && (error.code === 'invalid_input' || error.code === 'conflict')) {
        const enrolling = action === 'confirm' ? await pendingTotp(db, actor, issuer) : undefined;
        return show(error.code === 'conflict' ? 409 : 400, { errors: error.fields, notice: error.message, enrolling });
      }
      throw error;
    }
  });

  // ——— the newsroom API: who am I, and my tokens ———

  app.get(`${API}/me`, async (request, reply) => {
    const actor = requireActor(request);
    const account = await loadAccount(db, actor.userId);
    return reply.header('cache-control', 'no-store').send({ user: presentAccount(account), via: request.credential?.kind });
  });

  app.get(`${API}/tokens`, async (request, reply) => {
    const actor = requireActor(request);
    const tokens = await listApiTokens(db, actor.userId);
    return reply.header('cache-control', 'no-store').send({ tokens: tokens.map(presentToken) });
  });

  app.post(`${API}/tokens`, async (request, reply) => {
    const actor = apiWriter(request, reply);
    const name = field(request.body, 'name');
    const { token, secret } = await db.transaction().execute((trx) => createApiToken(trx, actor.userId, name));
    return reply.code(201).header('cache-control', 'no-store').send({ token: presentToken(token), secret });
  });

  app.delete<{ Params: { id: string } }>(`${API}/tokens/:id`, async (request, reply) => {
    const actor = apiWriter(request, reply);
    const id = /^\d{1,12}$/.test(request.params.id) ? Number(request.params.id) : NaN;
    if (Number.isNaN(id)) throw new NewsroomError('not_found', 'The API token was not found.');
    const token = await db.transaction().execute((trx) => revokeApiToken(trx, actor, id));
    return reply.header('cache-control', 'no-store').send({ token: presentToken(token) });
  });
}
