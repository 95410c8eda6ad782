// CSRF for every form: the token comes from @fastify/csrf-protection (reply.generateCsrf);
// the check is ours so a failed check can re-show the form with the user's input kept,
// instead of a bare 403.
import CsrfTokens from '@fastify/csrf';
import type { FastifyReply, FastifyRequest } from 'fastify';

const tokens = CsrfTokens();

export function csrfValid(request: FastifyRequest, reply: FastifyReply): boolean {
  const signed = request.cookies._csrf;
  if (!signed) return false;
  const { valid, value } = reply.unsignCookie(signed);
  if (!valid || !value) return false;
  const body = request.body as Record<string, unknown> | undefined;
  const token = typeof body?._csrf === 'string' ? body._csrf : request.headers['x-csrf-token'];
  return typeof token === 'string' && tokens.verify(value, token);
}

export const CSRF_EXPIRED = 'This form had expired, so nothing was sent. What you wrote is still here: please send it again.';
