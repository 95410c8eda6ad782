// CSRF for every form: the token comes from @fastify/csrf-protection (reply.generateCsrf);
// the check is ours so a failed check can re-show the form with the user's input kept,
// instead of a bare 403.
import CsrfTokens from '@fastify/csrf';
import type { FastifyReply, FastifyRequest } from 'fastify';

const tokens = CsrfTokens();

export function csrfValid(request: FastifyRequest, reply: FastifyReply): boolean {
  const body = request.body as Record<string, unknown> | undefined;
  const token = typeof body?._csrf === 'string' ? body._csrf : request.headers['x-csrf-token'];
  return typeof token === 'string' && csrfTokenValid(request, reply, token);
}

/** Checks a token read elsewhere, e.g. from the parts of a multipart form. */
export function csrfTokenValid(request: FastifyRequest, reply: FastifyReply, token: string): boolean {
  const signed = request.cookies._csrf;
  if (!signed) return false;
  const { valid, value } = reply.unsignCookie(signed);
  return valid && Boolean(value) && tokens.verify(value as string, token);
}

export const CSRF_EXPIRED = 'This form had expired, so nothing was sent. What you wrote is still here: please send it again.';
