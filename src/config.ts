// One typed configuration, read once from the environment at boot. A bad value stops the
// process with a message naming the variable, before anything listens or writes.
import { readFileSync } from 'node:fs';

export interface Config {
  host: string;
  port: number;
  databaseUrl: string;
  /** Public origin of the site, without a trailing slash. */
  siteUrl: string;
  /** Overrides the site name stored in settings when set. */
  siteName: string | undefined;
  /** IANA time zone of the newsroom: archives by day and displayed dates use it. */
  timeZone: string;
  /** BCP 47 language of the site (html lang, relative times). */
  language: string;
  logLevel: string;
  /** Seed the demo newsroom into an empty database. */
  demo: boolean;
  /** Trust X-Forwarded-* headers (behind a proxy or CDN). */
  trustProxy: boolean;
  /** Login of the owner account made on first run. */
  ownerEmail: string;
  /** Where uploaded images and their variants are kept (disk storage). */
  mediaDir: string;
  /** The largest image upload accepted, in bytes. */
  mediaMaxBytes: number;
  /** The page cache (src/cache): on, its size bound, and a CDN's purge hook. */
  pageCache: { enabled: boolean; maxBytes: number; purgeUrl: string | undefined; sharedMaxAge: number };
  /** How many days settled webhook deliveries and their events stay in the delivery log. */
  webhookHistoryDays: number;
}

export class ConfigError extends Error {
  constructor(name: string, problem: string) {
    super(`Configuration error: ${name} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Reads NAME, or the contents of the file named by NAME_FILE (for secrets mounted as files). */
function raw(env: Env, name: string): string | undefined {
  const file = env[`${name}_FILE`];
  if (file) {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch {
      throw new ConfigError(`${name}_FILE`, `names a file that cannot be read: ${file}`);
    }
  }
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return Number(value);
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new ConfigError(name, `must be true or false, got "${value}"`);
}

function timeZone(env: Env, name: string): string {
  const value = raw(env, name) ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
  } catch {
    throw new ConfigError(name, `is not a known IANA time zone: "${value}"`);
  }
  return value;
}

function language(env: Env, name: string): string {
  const value = raw(env, name) ?? 'en';
  try {
    return Intl.getCanonicalLocales(value)[0] ?? 'en';
  } catch {
    throw new ConfigError(name, `is not a BCP 47 language tag: "${value}"`);
  }
}

function databaseUrl(env: Env): string {
  const value = raw(env, 'DATABASE_URL') ?? 'sqlite:./data/dateline.db';
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(value)) {
    throw new ConfigError('DATABASE_URL', `must start with sqlite: or postgres://, got "${value}"`);
  }
  return value;
}

function siteUrl(env: Env, host: string, port: number): string {
  const value = raw(env, 'SITE_URL');
  if (value === undefined) {
    const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('SITE_URL', `is not a URL: "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError('SITE_URL', 'must be http or https');
  return url.origin + url.pathname.replace(/\/+$/, '');
}

function onOff(env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (['on', 'true', '1', 'yes'].includes(value)) return true;
  if (['off', 'false', '0', 'no'].includes(value)) return false;
  throw new ConfigError(name, `must be on or off, got "${value}"`);
}

/** CDN_PURGE_URL: POSTed {"tags": [...]} after each change (Fastly, Cloudflare … through a small adapter). */
function purgeUrl(env: Env): string | undefined {
  const value = raw(env, 'CDN_PURGE_URL');
  if (value === undefined) return undefined;
  if (!/^https?:\/\/[^\s]+$/i.test(value)) throw new ConfigError('CDN_PURGE_URL', `must be an http(s) URL, got "${value}"`);
  return value;
}

export function loadConfig(env: Env = process.env): Config {
  const host = raw(env, 'HOST') ?? '127.0.0.1';
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const logLevel = raw(env, 'LOG_LEVEL') ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of fatal, error, warn, info, debug, trace, silent`);
  }
  return {
    host,
    port,
    databaseUrl: databaseUrl(env),
    siteUrl: siteUrl(env, host, port),
    siteName: raw(env, 'SITE_NAME'),
    timeZone: timeZone(env, 'TZ'),
    language: language(env, 'SITE_LANGUAGE'),
    logLevel,
    demo: boolean(env, 'DATELINE_DEMO', true),
    trustProxy: boolean(env, 'TRUST_PROXY', false),
    ownerEmail: raw(env, 'OWNER_EMAIL') ?? 'owner@localhost',
    mediaDir: raw(env, 'MEDIA_DIR') ?? './data/media',
    mediaMaxBytes: integer(env, 'MEDIA_MAX_BYTES', 20 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    pageCache: {
      enabled: onOff(env, 'DATELINE_PAGE_CACHE', true),
      maxBytes: integer(env, 'PAGE_CACHE_MB', 64, 1, 64 * 1024) * 1024 * 1024,
      purgeUrl: purgeUrl(env),
      sharedMaxAge: integer(env, 'CDN_MAX_AGE', 60, 0, 365 * 24 * 3600),
    },
    webhookHistoryDays: integer(env, 'WEBHOOK_HISTORY_DAYS', 30, 1, 3650),
  };
}
