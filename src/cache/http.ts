// The page cache in front of every public GET. A route opts in by naming what its answer shows
// (`reply.cacheTags(...)`); such an answer is compressed once (brotli and gzip), kept, and served
// from memory with a strong ETag, Last-Modified, 304s, CDN lifetimes and the tags as
// Surrogate-Key / Cache-Tag headers. A thousand simultaneous misses on one URL render it once.
// Write requests answer only after the changes they made have dropped what they touched.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { PageStore, type CachedResponse } from './store.ts';
import { ChangeFeed } from './feed.ts';
import { PUBLIC_CACHE } from '../api/public/caching.ts';

declare module 'fastify' {
  interface FastifyReply {
    /** The cache tags of this answer; set through cacheTags(). */
    cacheTagList: string[] | undefined;
    /** Names what this answer shows, so it can be cached and dropped when any of it changes. */
    cacheTags(tags: Iterable<string>): FastifyReply;
    /** How long the answer may be kept at most (ms); for what time changes with no write. */
    cacheTtl: number | undefined;
    cacheFor(ms: number): FastifyReply;
    /** Answered from the cache: later onSend hooks leave it as it is. */
    cacheHit: boolean;
  }
  interface FastifyRequest {
    cacheMiss: Miss | undefined;
  }
  interface FastifyInstance {
    pageCache: PageCache;
  }
}

export interface PageCache {
  readonly enabled: boolean;
  store: PageStore;
  /** Applies every change recorded so far (after a write, before answering). */
  sync(): Promise<void>;
  /** Answers rendered and prepared for the cache since start (coalescing keeps this low). */
  renders: number;
}

interface Miss {
  key: string;
  startedAt: number;
  done: () => void;
}

/** Even an answer nothing changed is rendered again after this long: a safety net, not the rule. */
const MAX_AGE_MS = 10 * 60 * 1000;

/** Headers that belong to one exchange, never to a stored answer. */
const PER_EXCHANGE = new Set(['content-length', 'set-cookie', 'date', 'connection', 'keep-alive', 'transfer-encoding', 'etag', 'last-modified', 'vary', 'content-encoding', 'x-cache']);

const br = promisify(brotliCompress);
const gz = promisify(gzip);

/** Paths never cached whatever their route says: the newsroom, accounts, forms with tokens. */
const PRIVATE = /^\/(admin|api\/newsroom|account|login|logout|setup|contact|media\/)(\/|\?|$)/;
const API = /^\/api\//;

const HTML_CACHE = (shared: number) => `public, max-age=0, s-maxage=${shared}, stale-while-revalidate=${Math.max(30, shared)}`;
/** The API's lifetimes stay what its clients were told (src/api/public/caching.ts). */
const API_CACHE = () => PUBLIC_CACHE;

export async function installPageCache(app: FastifyInstance, db: Kysely<Database>, config: Config): Promise<PageCache> {
  const options = config.pageCache;
  const store = new PageStore(options.maxBytes);
  const inflight = new Map<string, Promise<void>>();
  const feed = new ChangeFeed(db, {
    apply: (tags) => {
      store.invalidate(tags);
    },
    purge: options.purgeUrl ? (tags) => purgeCdn(options.purgeUrl!, tags) : undefined,
    onError: (error) => app.log.error({ err: error }, 'reading the change log failed'),
  });
  await feed.start();
  app.addHook('onClose', () => feed.stop());
  const cache: PageCache = { enabled: options.enabled, store, sync: () => feed.sync(), renders: 0 };
  app.decorate('pageCache', cache);

  app.decorateReply('cacheTagList', undefined);
  app.decorateReply('cacheTags', function (this: FastifyReply, tags: Iterable<string>) {
    this.cacheTagList = [...new Set([...(this.cacheTagList ?? []), ...tags])];
    return this;
  });
  app.decorateReply('cacheTtl', undefined);
  app.decorateReply('cacheHit', false);
  app.decorateReply('cacheFor', function (this: FastifyReply, ms: number) {
    this.cacheTtl = Math.min(this.cacheTtl ?? ms, ms);
    return this;
  });
  app.decorateRequest('cacheMiss', undefined);

  const cacheable = (request: FastifyRequest) =>
    (request.method === 'GET' || request.method === 'HEAD') && !PRIVATE.test(request.url) && request.headers.authorization === undefined;

  app.addHook('onRequest', async (request, reply) => {
    if (!options.enabled || !cacheable(request)) return;
    const key = request.url;
    let entry = store.get(key);
    // Someone is rendering this page now: wait for it rather than render it again (and if a
    // change made that render unfit to keep, the next in line renders while the rest wait on).
    while (!entry && inflight.has(key)) {
      await inflight.get(key);
      entry = store.get(key);
    }
    if (entry) return serve(request, reply, entry);
    let done!: () => void;
    inflight.set(
      key,
      new Promise<void>((resolve) => (done = resolve)),
    );
    request.cacheMiss = {
      key,
      startedAt: store.now(),
      done: () => {
        inflight.delete(key);
        done();
      },
    };
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      // What this request changed is dropped before it answers, so its next read is fresh.
      if (reply.statusCode < 400) await feed.sync();
      return payload;
    }
    if (reply.cacheHit) return payload;
    const tags = reply.cacheTagList;
    const miss = request.cacheMiss;
    if (!tags || reply.statusCode !== 200 || !cacheable(request) || reply.hasHeader('set-cookie') || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) {
      miss?.done();
      return payload;
    }
    try {
      cache.renders++;
      const entry = await prepare(request, reply, tags, payload, options.enabled, options.sharedMaxAge);
      if (miss) store.set(miss.key, entry, miss.startedAt);
      return respond(request, reply, entry);
    } finally {
      miss?.done();
    }
  });

  // An answer that never reached onSend (an error thrown, a client gone) must not keep others waiting.
  const release = async (request: FastifyRequest) => request.cacheMiss?.done();
  app.addHook('onResponse', release);
  app.addHook('onRequestAbort', release);
  return cache;
}

async function prepare(request: FastifyRequest, reply: FastifyReply, tags: string[], payload: string | Buffer, compress: boolean, sharedMaxAge: number): Promise<CachedResponse> {
  const identity = typeof payload === 'string' ? Buffer.from(payload) : payload;
  // Compressed once, here, for every later reader; without the cache, each answer would pay for it.
  const [brotli, gzipped] = compress
    ? await Promise.all([
        br(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
        gz(identity, { level: 9 }),
      ])
    : [Buffer.alloc(0), Buffer.alloc(0)];
  const cacheControl = String(reply.getHeader('cache-control') ?? (API.test(request.url) ? API_CACHE() : HTML_CACHE(sharedMaxAge)));
  const surrogate = tags.map(headerTag).join(' ');
  // Every header the answer had (security headers, the API's CORS …) but those of this one
  // exchange: a hit is answered before any hook or scope runs.
  const kept = Object.fromEntries(
    Object.entries(reply.getHeaders())
      .filter(([name, value]) => value !== undefined && !PER_EXCHANGE.has(name))
      .map(([name, value]) => [name, String(value)]),
  );
  return {
    status: 200,
    headers: {
      ...kept,
      'content-type': String(reply.getHeader('content-type') ?? 'application/octet-stream'),
      'cache-control': cacheControl,
      'surrogate-key': surrogate,
      'cache-tag': tags.map(headerTag).join(','),
    },
    identity,
    gzip: gzipped,
    br: brotli,
    etag: `"${createHash('sha256').update(identity).digest('base64url').slice(0, 32)}"`,
    lastModified: new Date().toUTCString(),
    tags,
    expiresAt: Date.now() + (reply.cacheTtl ?? MAX_AGE_MS),
  };
}

type Encoding = 'br' | 'gzip' | 'identity';

/** Accept-Encoding headers seen lately, parsed: browsers send a handful of distinct ones. */
const acceptedEncodings = new Map<string, { br: boolean; gzip: boolean }>();

function accepts(header: string): { br: boolean; gzip: boolean } {
  let known = acceptedEncodings.get(header);
  if (known) return known;
  const accepted = new Map<string, number>();
  for (const part of header.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const takes = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  known = { br: takes('br'), gzip: takes('gzip') };
  if (acceptedEncodings.size >= 200) acceptedEncodings.clear();
  acceptedEncodings.set(header, known);
  return known;
}

/** The best encoding this client takes (q=0 refuses one). */
function negotiate(header: string | string[] | undefined, entry: CachedResponse): Encoding {
  const taken = accepts(String(header ?? ''));
  if (entry.br.length > 0 && taken.br) return 'br';
  if (entry.gzip.length > 0 && taken.gzip) return 'gzip';
  return 'identity';
}

const ETAG_SUFFIX = { br: '-br', gzip: '-gz', identity: '' } as const;

/** Whether the client already holds this entry (If-None-Match first, then If-Modified-Since). */
function fresh(headers: IncomingHttpHeaders, entry: CachedResponse): boolean {
  const match = headers['if-none-match'];
  if (match !== undefined) {
    if (match.trim() === '*') return true;
    const base = entry.etag.slice(0, -1);
    // Any encoding of the same bytes is the same content: weak comparison, as RFC 9110 asks here.
    return match.split(',').some((raw) => {
      const tag = raw.trim().replace(/^W\//, '');
      return tag === entry.etag || tag === `${base}-br"` || tag === `${base}-gz"`;
    });
  }
  const since = headers['if-modified-since'];
  if (since === undefined) return false;
  const time = Date.parse(since);
  return Number.isFinite(time) && Date.parse(entry.lastModified) <= time;
}

function respond(request: FastifyRequest, reply: FastifyReply, entry: CachedResponse): Buffer | null {
  const encoding = negotiate(request.headers['accept-encoding'], entry);
  reply.headers(entry.headers);
  reply.header('vary', 'accept-encoding');
  reply.header('etag', `${entry.etag.slice(0, -1)}${ETAG_SUFFIX[encoding]}"`);
  reply.header('last-modified', entry.lastModified);
  if (fresh(request.headers, entry)) {
    reply.code(304);
    reply.removeHeader('content-type');
    reply.removeHeader('content-length');
    return null;
  }
  if (encoding !== 'identity') reply.header('content-encoding', encoding);
  const body = encoding === 'br' ? entry.br : encoding === 'gzip' ? entry.gzip : entry.identity;
  reply.header('content-length', body.length);
  return body;
}

function serve(request: FastifyRequest, reply: FastifyReply, entry: CachedResponse): FastifyReply {
  const body = respond(request, reply, entry);
  reply.cacheHit = true;
  reply.header('x-cache', 'hit');
  return reply.code(reply.statusCode === 304 ? 304 : entry.status).send(body);
}

/** A hit's headers as a flat list, made once per entry, encoding and kind (200 or 304). */
function wireHeaders(entry: CachedResponse, encoding: Encoding, notModified: boolean): string[] {
  const headers: Record<string, string> = { ...entry.headers, vary: 'accept-encoding', etag: `${entry.etag.slice(0, -1)}${ETAG_SUFFIX[encoding]}"`, 'last-modified': entry.lastModified, 'x-cache': 'hit' };
  if (notModified) delete headers['content-type'];
  else {
    if (encoding !== 'identity') headers['content-encoding'] = encoding;
    headers['content-length'] = String((encoding === 'br' ? entry.br : encoding === 'gzip' ? entry.gzip : entry.identity).length);
  }
  return Object.entries(headers).flat();
}

/**
 * The cache in front of the framework: a stored answer goes out with no routing, hooks or
 * parsing at all (what remains is Node's HTTP and the bytes). True when it answered.
 */
export function answerFromCache(store: PageStore, request: IncomingMessage, response: ServerResponse): boolean {
  const method = request.method;
  const url = request.url;
  if ((method !== 'GET' && method !== 'HEAD') || url === undefined || request.headers.authorization !== undefined || PRIVATE.test(url)) return false;
  const entry = store.get(url);
  if (!entry) return false;
  const encoding = negotiate(request.headers['accept-encoding'], entry);
  const wire = (entry.wire ??= {});
  if (fresh(request.headers, entry)) {
    response.writeHead(304, (wire[`304-${encoding}`] ??= wireHeaders(entry, encoding, true)));
    response.end();
    return true;
  }
  const body = encoding === 'br' ? entry.br : encoding === 'gzip' ? entry.gzip : entry.identity;
  response.writeHead(entry.status, (wire[encoding] ??= wireHeaders(entry, encoding, false)));
  response.end(method === 'HEAD' ? undefined : body);
  return true;
}

/**
 * A tag as headers carry it: slugs may be in any script, headers only in ASCII. The purge hook
 * is sent the same form, so a CDN matches what it stored.
 */
export const headerTag = (tag: string): string => tag.replace(/[^\w:.-]/g, (c) => encodeURIComponent(c));

async function purgeCdn(url: string, tags: string[]): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tags: tags.map(headerTag) }),
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) throw new Error(`the CDN purge hook answered ${response.status}`);
}
