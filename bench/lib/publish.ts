// Publish → visible: a story made and published through the newsroom API, then every surface
// a reader or a crawler sees polled every 10 ms until the story is there (10 s at most each).
// Times are from sending the publish request, so they include the request itself.
import { setTimeout as sleep } from 'node:timers/promises';
import { fail } from './fail.ts';
import type { Server } from './server.ts';

const POLL_MS = 10;
const CAP_MS = 10_000;
const API = '/api/newsroom/v1';

export interface PublishFigures {
  /** How long the publish request took to answer. */
  publishRequestMs: number;
  /** Milliseconds from sending the publish request to the story showing, per surface; null = not within the cap. */
  visibleMs: Record<string, number | null>;
  slug: string;
}

async function newsroom(server: Server, method: string, path: string, body?: unknown): Promise<{ story: { id: number; slug: string } }> {
  const response = await fetch(server.origin + API + path, {
    method,
    headers: { authorization: `Bearer ${server.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) fail(`${method} ${API}${path} answered ${response.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

export async function publishToVisible(server: Server, deskSlug: string): Promise<PublishFigures> {
  const desks = (await (await fetch(`${server.origin}${API}/desks`, { headers: { authorization: `Bearer ${server.token}` } })).json()) as {
    desks?: Array<{ id: number; slug: string }>;
  };
  const desk = desks.desks?.find((d) => d.slug === deskSlug);
  if (!desk) fail(`no desk "${deskSlug}" in ${API}/desks`);
  // A word found nowhere else, so the search surface proves this story is indexed.
  const marker = `zqx${Date.now().toString(36)}`;
  const slug = `bench-publish-${marker}`;
  const { story } = await newsroom(server, 'POST', '/stories', {
    headline: `Benchmark story ${marker} published to time its visibility`,
    deskId: desk.id,
    slug,
    kicker: 'Breaking',
    bodyHtml: `<p>A story published by the benchmark suite (${marker}) to time how soon readers see it.</p>`,
  });
  await newsroom(server, 'POST', `/stories/${story.id}/submit`);

  const has = (text: string) => text.includes(slug);
  const surfaces: Record<string, { path: string; seen: (status: number, text: string) => boolean }> = {
    page: { path: `/${deskSlug}/${slug}`, seen: (status) => status === 200 },
    home: { path: '/', seen: (_s, t) => has(t) },
    desk: { path: `/${deskSlug}`, seen: (_s, t) => has(t) },
    feed: { path: '/feed.xml', seen: (_s, t) => has(t) },
    sitemap: { path: '/sitemaps/news.xml', seen: (_s, t) => has(t) },
    search: { path: `/search?q=${marker}`, seen: (_s, t) => has(t) },
    api: { path: '/api/v1/articles?limit=20', seen: (_s, t) => has(t) },
  };
  // Not yet published: no surface may show it (else the timing would mean nothing).
  for (const [name, s] of Object.entries(surfaces)) {
    const response = await fetch(server.origin + s.path);
    if (s.seen(response.status, await response.text())) fail(`publish test: ${name} shows the story before it is published`);
  }

  const started = performance.now();
  const published = newsroom(server, 'POST', `/stories/${story.id}/publish`).then(() => performance.now() - started);
  const poll = async (s: { path: string; seen: (status: number, text: string) => boolean }): Promise<number | null> => {
    while (performance.now() - started < CAP_MS) {
      const response = await fetch(server.origin + s.path);
      if (s.seen(response.status, await response.text())) return Math.round(performance.now() - started);
      await sleep(POLL_MS);
    }
    return null;
  };
  const names = Object.keys(surfaces);
  const times = await Promise.all(names.map((name) => poll(surfaces[name]!)));
  return {
    publishRequestMs: Math.round(await published),
    visibleMs: Object.fromEntries(names.map((name, i) => [name, times[i] ?? null])),
    slug,
  };
}
