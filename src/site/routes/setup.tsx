// The owner's one-time set-up link (printed on first run) and the same for invited users.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import type { Queryable } from '../../newsroom/db.ts';
import { NewsroomError } from '../../newsroom/errors.ts';
import { checkSetupToken, completeSetup } from '../../newsroom/setup.ts';
import { CSRF_EXPIRED, csrfValid } from '../../http/csrf.ts';
import { loadChrome } from '../chrome.ts';
import { renderHtml } from '../render.ts';
import { SetupPage } from '../views/setup.tsx';

const field = (body: unknown, name: string): string => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};

export function setupRoutes(app: FastifyInstance, db: Queryable, config: Config): void {
  const limit = { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } };

  app.get<{ Params: { token: string } }>('/setup/:token', limit, async (request, reply) => {
    const target = await checkSetupToken(db, request.params.token);
    const chrome = await loadChrome(db, config);
    const form = { email: target.email, csrf: reply.generateCsrf(), action: request.url, errors: {} };
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(renderHtml(SetupPage({ chrome, form })));
  });

  app.post<{ Params: { token: string } }>('/setup/:token', limit, async (request, reply) => {
    const token = request.params.token;
    const target = await checkSetupToken(db, token);
    const chrome = await loadChrome(db, config);
    const show = (status: number, extra: { errors?: Record<string, string>; notice?: string; done?: boolean }) =>
      reply
        .code(status)
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(renderHtml(SetupPage({ chrome, form: { email: target.email, csrf: reply.generateCsrf(), action: request.url, errors: {}, ...extra } })));
    if (!csrfValid(request, reply)) return show(403, { notice: CSRF_EXPIRED });
    try {
      await db.transaction().execute((trx) => completeSetup(trx, token, field(request.body, 'password'), field(request.body, 'confirm')));
    } catch (error) {
      if (error instanceof NewsroomError && error.code === 'invalid_input') return show(400, { errors: error.fields, notice: error.message });
      throw error;
    }
    return show(200, { done: true, notice: 'Password saved.' });
  });
}
