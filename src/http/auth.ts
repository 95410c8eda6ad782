// Who is asking: resolves the actor of every request from the session cookie or a Bearer API
// token, and registers the account routes. Anonymous requests (no cookie, no header) cost no
// database work.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../newsroom/db.ts';
import { NewsroomError } from '../newsroom/errors.ts';
import { lookupSession, SESSION_DAYS } from '../newsroom/auth/sessions.ts';
import { authenticateApiToken } from '../newsroom/auth/tokens.ts';
import type { Actor } from '../newsroom/auth/types.ts';
import { accountRoutes } from './routes/account.tsx';
import { csrfValid } from './csrf.ts';

export type { Actor };

/** How the actor proved who they are. */
export type Credential = { kind: 'session'; sessionId: string; renewed: boolean } | { kind: 'token'; tokenId: number };

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, or undefined for an anonymous request. */
    actor: Actor | undefined;
    credential: Credential | undefined;
  }
}

export const SESSION_COOKIE = 'dl_session';

export const secureCookies = (config: Config) => config.siteUrl.startsWith('https:');

export function sessionCookieOptions(config: Config) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: secureCookies(config), maxAge: SESSION_DAYS * 24 * 3600 };
}

export function setSessionCookie(reply: FastifyReply, config: Config, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, sessionCookieOptions(config));
}

export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies(config) });
}

/** The actor, or a 401 NewsroomError (JSON under /api, a page elsewhere). */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new NewsroomError('unauthenticated', 'Please log in first.');
  return request.actor;
}

/** A write through the API: by token, or by a browser session with its CSRF token in x-csrf-token. */
export function apiWriter(request: FastifyRequest, reply: FastifyReply): Actor {
  const actor = requireActor(request);
  if (request.credential?.kind === 'session' && !csrfValid(request, reply)) {
    throw new NewsroomError('forbidden', 'A browser session must send its CSRF token in the x-csrf-token header; scripts use an API token instead.');
  }
  return actor;
}

/**
 * A local path that is safe to redirect to after login, or undefined. Refuses anything that
 * could leave the site: "//host", "/\host", absolute URLs, control characters.
 */
export function safeNext(next: unknown): string | undefined {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2000) return undefined;
  if (!next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return undefined;
  if ([...next].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return undefined;
  const base = 'http://dateline.invalid';
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return undefined;
  }
  if (url.origin !== base) return undefined;
  const path = url.pathname + url.search + url.hash;
  return path.startsWith('/login') || path.startsWith('/logout') ? undefined : path;
}

export const loginPath = (next: string | undefined) => (next && next !== '/admin' ? `/login?next=${encodeURIComponent(next)}` : '/login');

/**
 * For pages behind login: the actor, or (having sent a 303 to the login page that comes back
 * here) undefined. Renews the session cookie when the session's expiry moved.
 */
export function pageActor(request: FastifyRequest, reply: FastifyReply, config: Config): Actor | undefined {
  if (!request.actor) {
    // Back to this page after login; a form's POST cannot be replayed, so that goes to the account page.
    const next = request.method === 'GET' ? safeNext(request.url) : undefined;
    void reply.header('cache-control', 'no-store').redirect(loginPath(next), 303);
    return undefined;
  }
  const credential = request.credential;
  if (credential?.kind === 'session' && credential.renewed) {
    const token = request.cookies[SESSION_COOKIE];
    if (token) setSessionCookie(reply, config, token);
  }
  return request.actor;
}

/**
 * Installs actor resolution on every request and the account routes. Call it on the root app
 * before it is ready (hooks added at the root reach every route).
 */
export function registerAuth(app: FastifyInstance, db: Kysely<Database>, config: Config): void {
  app.decorateRequest('actor', undefined);
  app.decorateRequest('credential', undefined);
  app.addHook('onRequest', async (request) => {
    const authorization = request.headers.authorization;
    if (authorization) {
      // A request that names a token is judged by the token alone, never by a cookie beside it.
      const secret = /^Bearer +(\S+)$/i.exec(authorization)?.[1];
      const found = secret ? await authenticateApiToken(db, secret) : undefined;
      if (found) {
        request.actor = found.actor;
        request.credential = { kind: 'token', tokenId: found.tokenId };
      }
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    const resolved = await lookupSession(db, token);
    if (resolved) {
      request.actor = resolved.actor;
      request.credential = { kind: 'session', sessionId: resolved.session.id, renewed: resolved.renewed };
    }
  });
  accountRoutes(app, db, config);
}
