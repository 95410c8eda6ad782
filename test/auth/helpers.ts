// The app with the account routes, and a small cookie-keeping browser over app.inject.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Config } from '../../src/config.ts';
import { registerAuth } from '../../src/http/auth.ts';
import { startApp, type TestApp } from '../helpers/app.ts';
import type { TestDatabase } from '../helpers/databases.ts';
import { PASSWORD } from './factories.ts';

export { makeUser, PASSWORD } from './factories.ts';

/**
 * The real app (test/helpers/app.ts) with the account routes. Until src/server.ts calls
 * registerAuth itself, this adds it (the app is not ready yet, so routes and hooks still fit).
 */
export async function startAuthApp(kind: TestDatabase, options: { env?: Record<string, string> } = {}): Promise<TestApp> {
  const t = await startApp(kind, options);
  if (!t.app.hasRequestDecorator('actor')) registerAuth(t.app, t.db.kysely, t.config);
  return t;
}

export type Injected = LightMyRequestResponse;

/** A tiny cookie jar over app.inject, like a browser from one address. */
export class Browser {
  cookies = new Map<string, string>();
  constructor(
    readonly app: FastifyInstance,
    readonly remoteAddress = '127.0.0.1',
  ) {}

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: Injected) {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || c.maxAge === 0 || (c.expires && c.expires.getTime() <= Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<Injected> {
    const res = await this.app.inject({ method: 'GET', url, remoteAddress: this.remoteAddress, headers: { cookie: this.header(), ...headers } });
    this.keep(res);
    return res;
  }

  async post(url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Injected> {
    const res = await this.app.inject({
      method: 'POST',
      url,
      remoteAddress: this.remoteAddress,
      headers: { cookie: this.header(), 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: new URLSearchParams(form).toString(),
    });
    this.keep(res);
    return res;
  }

  /** GETs a page and returns the CSRF token of its (first) form. */
  async csrf(url: string): Promise<string> {
    const res = await this.get(url);
    const token = res.body.match(/name="_csrf" value="([^"]+)"/)?.[1];
    if (!token) throw new Error(`no CSRF token on ${url} (${res.statusCode})`);
    return token;
  }

  /** Logs in through the form; returns the final response of the POST. */
  async login(email: string, password = PASSWORD, next?: string): Promise<Injected> {
    const url = next ? `/login?next=${encodeURIComponent(next)}` : '/login';
    const _csrf = await this.csrf(url);
    return this.post(url, { _csrf, email, password, ...(next ? { next } : {}) });
  }
}

export type { Config };
