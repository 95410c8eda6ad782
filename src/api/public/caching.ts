// HTTP caching of public API reads: a strong ETag from the bytes of the body, 304 for a client
// that already has them, and cache lifetimes for browsers and shared caches (CDNs). Errors keep
// the `no-store` the error handler gives them.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Fresh for a minute in browsers, five minutes in shared caches, then served stale while revalidating. */
export const PUBLIC_CACHE = 'public, max-age=60, s-maxage=300, stale-while-revalidate=600';

/** A strong validator: equal bodies, equal tags, whatever instance served them. */
export const etagOf = (body: string | Buffer): string => `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;

/**
 * Whether an If-None-Match header names this tag. The comparison is the weak one RFC 9110 asks for
 * here (a `W/` prefix does not matter), and `*` matches any current representation.
 */
export function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === etag);
}

async function onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return payload;
  // An answer that names its cache tags has its validators and lifetimes from the page cache (src/cache).
  if (reply.cacheTagList !== undefined || reply.cacheHit) return payload;
  // Shared caches may hold public answers, but never an error (the error handler said no-store).
  if (reply.statusCode >= 400) return payload;
  reply.header('cache-control', PUBLIC_CACHE);
  if (reply.statusCode !== 200 || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) return payload;
  const etag = etagOf(payload);
  reply.header('etag', etag);
  if (!ifNoneMatch(request.headers['if-none-match'], etag)) return payload;
  reply.code(304);
  reply.removeHeader('content-type');
  reply.removeHeader('content-length');
  return null;
}

/** Installs the caching of reads on the routes of this plugin scope (and only there). */
export function installCaching(app: FastifyInstance): void {
  app.addHook('onSend', onSend);
}
