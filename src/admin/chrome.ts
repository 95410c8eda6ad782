// What every newsroom page needs: the signed-in user (or a redirect to the login page), the
// site's name, the stylesheet and a CSRF token for its forms.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Queryable } from '../newsroom/db.ts';
import { pageActor } from '../http/auth.ts';
import { readSiteSettings } from '../newsroom/settings/repository.ts';
import { renderHtml } from '../site/render.ts';
import type { VNode } from 'preact';
import { adminCss } from './assets.ts';
import { adminBundle } from './bundle.ts';
import type { AdminChrome } from './views/layout.tsx';

export async function adminChrome(request: FastifyRequest, reply: FastifyReply, db: Queryable, config: Config): Promise<AdminChrome | undefined> {
  const actor = pageActor(request, reply, config);
  if (!actor) return undefined;
  return {
    ...(await chromeFor(actor, reply, db, config)),
    // Without the bundle the editor page still works: the body is a plain textarea.
    editorScript: await adminBundle().then((b) => b.editor.path, () => undefined),
  };
}

/** The newsroom frame for an error page: only for a signed-in user; never redirects. */
export async function adminErrorChrome(request: FastifyRequest, reply: FastifyReply, db: Queryable, config: Config): Promise<AdminChrome | undefined> {
  const actor = request.actor;
  if (!actor || request.credential?.kind !== 'session') return undefined;
  return chromeFor(actor, reply, db, config);
}

async function chromeFor(actor: AdminChrome['actor'], reply: FastifyReply, db: Queryable, config: Config): Promise<AdminChrome> {
  const settings = await readSiteSettings(db);
  return {
    siteName: config.siteName ?? settings.siteName,
    actor,
    css: adminCss(),
    csrf: reply.generateCsrf(),
    language: config.language,
    timeZone: config.timeZone,
  };
}

/** Sends a newsroom page: never cached, never indexed. */
export function sendAdminPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .header('x-robots-tag', 'noindex, nofollow')
    .type('text/html; charset=utf-8')
    .send(renderHtml(page));
}

/** A form field as a string ('' when absent or not a string). */
export function field(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

/** A repeated form field (checkboxes, several selects of one name) as strings. */
export function fields(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}
