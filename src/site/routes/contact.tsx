// The contact form: a reader's message to a desk, stored for the desk's editors.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { Config } from '../../config.ts';
import type { Queryable } from '../../newsroom/db.ts';
import type { Desk } from '../../newsroom/desks/types.ts';
import { NewsroomError } from '../../newsroom/errors.ts';
import { MESSAGE_LIMITS, submitMessage, type MessageInput } from '../../newsroom/contact/messages.ts';
import { CSRF_EXPIRED, csrfValid } from '../../http/csrf.ts';
import { loadChrome } from '../chrome.ts';
import { paths } from '../paths.ts';
import { renderHtml } from '../render.ts';
import { ContactPage, ContactSentPage, type ContactValues } from '../views/contact.tsx';

// A form post percent-encodes every UTF-8 byte as three, so a message within every limit written
// in a script of three-byte characters (Chinese, Japanese, Korean) takes nine bytes a character:
// more than the site-wide 64 KB form limit. This route takes exactly enough for such a message.
const ENCODED_BYTES_PER_CHAR = 9;
const FORM_OVERHEAD_BYTES = 1024; // field names, desk id, CSRF token, honeypot
const BODY_LIMIT =
  ENCODED_BYTES_PER_CHAR * (MESSAGE_LIMITS.name + MESSAGE_LIMITS.email + MESSAGE_LIMITS.subject + MESSAGE_LIMITS.bodyMax) + FORM_OVERHEAD_BYTES;

const param = (source: unknown, name: string): string => {
  const value = (source as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};

const valuesOf = (body: unknown): ContactValues => ({
  desk: param(body, 'desk'),
  name: param(body, 'name'),
  email: param(body, 'email'),
  subject: param(body, 'subject'),
  body: param(body, 'body'),
});

const inputOf = (values: ContactValues): MessageInput => ({
  deskId: /^\d{1,10}$/.test(values.desk) ? Number(values.desk) : null,
  name: values.name,
  email: values.email,
  subject: values.subject,
  body: values.body,
});

/** The desk named by ?desk=slug, or the only desk there is. */
function preselectedDesk(desks: Desk[], slug: string): string {
  const desk = desks.length === 1 ? desks[0] : desks.find((d) => d.slug === slug);
  return desk ? String(desk.id) : '';
}

const sentPath = (desk: Pick<Desk, 'slug'> | undefined) => `${paths.contact()}?sent=${encodeURIComponent(desk?.slug ?? '')}`;

// The page holds a CSRF token and a reader's own words: no shared cache may keep it.
const sendPage = (reply: FastifyReply, status: number, page: VNode) =>
  reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(renderHtml(page));

const redirectToSent = (reply: FastifyReply, desk: Pick<Desk, 'slug'> | undefined) =>
  reply.header('cache-control', 'no-store').redirect(sentPath(desk), 303);

export function contactRoutes(app: FastifyInstance, db: Queryable, config: Config): void {
  app.get('/contact', async (request, reply) => {
    const chrome = await loadChrome(db, config);
    if (typeof (request.query as Record<string, unknown>).sent === 'string') {
      const desk = chrome.desks.find((d) => d.slug === param(request.query, 'sent'));
      return sendPage(reply, 200, ContactSentPage({ chrome, desk }));
    }
    const values = { ...valuesOf({}), desk: preselectedDesk(chrome.desks, param(request.query, 'desk')) };
    return sendPage(reply, 200, ContactPage({ chrome, form: { values, errors: {}, csrf: reply.generateCsrf() } }));
  });

  const rateLimit = {
    max: 5,
    timeWindow: '10 minutes',
    // The site-wide 429 text says "a minute"; here the wait is longer, so say how long.
    errorResponseBuilder: (_request: FastifyRequest, context: { after: string }) =>
      new NewsroomError('rate_limited', `You have sent several messages in a short time. Please wait ${context.after} before sending another.`),
  };
  const limits = { bodyLimit: BODY_LIMIT, config: { rateLimit } };

  app.post('/contact', limits, async (request, reply) => {
    const chrome = await loadChrome(db, config);
    const values = valuesOf(request.body);
    const reshow = (status: number, errors: Record<string, string>, notice?: string) =>
      sendPage(reply, status, ContactPage({ chrome, form: { values, errors, notice, csrf: reply.generateCsrf() } }));

    if (!csrfValid(request, reply)) return reshow(403, {}, CSRF_EXPIRED);
    if (param(request.body, 'website').trim() !== '') {
      // A bot that learns it was caught just tries again; this one is told its message went out.
      request.log.info('contact form: honeypot filled, message dropped');
      return redirectToSent(reply, chrome.desks.find((d) => String(d.id) === values.desk));
    }
    try {
      const message = await submitMessage(db, inputOf(values));
      return redirectToSent(reply, message.desk);
    } catch (error) {
      if (error instanceof NewsroomError && error.code === 'invalid_input') return reshow(400, error.fields);
      throw error;
    }
  });
}
