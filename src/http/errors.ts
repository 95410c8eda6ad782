// One error handler: a JSON body with a stable code under /api, a themed page elsewhere;
// internals of a 5xx are logged, never shown.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Queryable } from '../newsroom/db.ts';
import { NewsroomError, type ErrorCode } from '../newsroom/errors.ts';
import { loadChrome } from '../site/chrome.ts';
import { renderHtml } from '../site/render.ts';
import { ErrorPage } from '../site/views/error.tsx';
import { adminErrorChrome } from '../admin/chrome.ts';
import { AdminErrorPage } from '../admin/views/error.tsx';

const statusOf: Record<ErrorCode, number> = {
  not_found: 404,
  gone: 410,
  invalid_input: 400,
  conflict: 409,
  forbidden: 403,
  unauthenticated: 401,
  rate_limited: 429,
  payload_too_large: 413,
};

const codeOf = (status: number): ErrorCode | 'internal' =>
  (Object.entries(statusOf).find(([, s]) => s === status)?.[0] as ErrorCode | undefined) ?? (status >= 500 ? 'internal' : 'invalid_input');

interface Described {
  status: number;
  code: string;
  message: string;
  fields?: Record<string, string>;
  details?: unknown;
  fromNewsroom?: boolean;
}

function describe(error: FastifyError | Error): Described {
  if (error instanceof NewsroomError) return { status: statusOf[error.code], code: error.code, message: error.message, fields: error.fields, details: error.details, fromNewsroom: true };
  const status = (error as FastifyError).statusCode ?? 500;
  if (status >= 500) return { status, code: 'internal', message: 'Something went wrong on our side.' };
  if ((error as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, code: 'payload_too_large', message: 'What you sent is larger than we accept.' };
  return { status, code: codeOf(status), message: status === 429 ? 'Too many requests: please wait a few minutes and try again.' : error.message };
}

export async function sendError(request: FastifyRequest, reply: FastifyReply, described: Described, db: Queryable, config: Config) {
  reply.code(described.status).header('cache-control', 'no-store');
  if (request.url.startsWith('/api/') || request.url === '/api') {
    const fields = described.fields && Object.keys(described.fields).length ? { fields: described.fields } : {};
    const details = described.details === undefined ? {} : { details: described.details };
    return reply.send({ error: { code: described.code, message: described.message, ...fields, ...details } });
  }
  let body: string;
  try {
    const detail = described.status < 500 && described.status !== 404 && described.fromNewsroom ? described.message : undefined;
    // Staff who meet an error inside the newsroom stay in the newsroom's frame.
    const staff = isNewsroomPath(request.url) ? await adminErrorChrome(request, reply, db, config) : undefined;
    if (staff) return reply.header('x-robots-tag', 'noindex, nofollow').type('text/html; charset=utf-8').send(renderHtml(AdminErrorPage({ chrome: staff, status: described.status, detail })));
    const chrome = await loadChrome(db, config);
    // Newsroom errors are written for readers; other 4xx messages come from the framework, and
    // "not found" reads best in the page's own words.
    body = renderHtml(ErrorPage({ chrome, status: described.status, detail }));
  } catch {
    // The database itself may be what failed: a plain page still tells the reader what happened.
    body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error ${described.status}</title></head><body><h1>Error ${described.status}</h1><p>${described.status >= 500 ? 'Something went wrong on our side. Please try again in a moment.' : 'That request could not be served.'}</p></body></html>`;
  }
  return reply.type('text/html; charset=utf-8').send(body);
}

const isNewsroomPath = (url: string) => url === '/admin' || url.startsWith('/admin/') || url.startsWith('/admin?');

export function installErrorHandlers(app: FastifyInstance, db: Queryable, config: Config): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const described = describe(error);
    if (described.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendError(request, reply, described, db, config);
  });
  app.setNotFoundHandler(async (request, reply) =>
    sendError(request, reply, { status: 404, code: 'not_found', message: 'Nothing is at this address.' }, db, config),
  );
}
