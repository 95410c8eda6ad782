// The previous site's addresses. Static pages answer at their old paths; old permalinks,
// WordPress's "/?p=12" and "/?page_id=3", and category archives answer 301 with the current URL
// of what stands there now. One hook before the site's routes, asked only where those routes
// would guess (a desk, a story, a tag, an author) or have nothing: every other page costs nothing.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Queryable } from '../../newsroom/db.ts';
import { findPublishedPage, normalizePath, resolveRedirect, type StaticPage } from '../../newsroom/legacy/repository.ts';
import { loadChrome } from '../chrome.ts';
import { renderHtml } from '../render.ts';
import { Layout, type Chrome } from '../views/layout.tsx';
import { CHROME_TAGS } from '../cache-tags.ts';

/** Routes whose parameters could hold an old path; undefined is "no route" (the 404 handler). */
const GUESSING_ROUTES = new Set<string | undefined>([undefined, '/:desk', '/:desk/:slug', '/tag/:slug', '/author/:slug', '*', '/*']);

export function legacyRoutes(app: FastifyInstance, db: Queryable, config: Config): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return;
    const url = request.url;
    const q = url.indexOf('?');
    const rawPath = q === -1 ? url : url.slice(0, q);
    if (rawPath === '/') {
      if (q === -1) return;
      return wordpressQuery(db, new URLSearchParams(url.slice(q + 1)), reply);
    }
    if (!GUESSING_ROUTES.has(request.routeOptions.url)) return;
    const path = normalizePath(rawPath);
    if (!path || path === '/') return;
    const [page, location] = await Promise.all([findPublishedPage(db, path), resolveRedirect(db, path)]);
    if (page) return servePage(request, reply, page, await loadChrome(db, config));
    if (location && location !== path) return reply.redirect(headerSafe(location), 301);
  });
}

/** "/?p=12", "/?page_id=3": WordPress's addresses that work with any permalink setting. */
async function wordpressQuery(db: Queryable, params: URLSearchParams, reply: FastifyReply): Promise<FastifyReply | undefined> {
  for (const name of ['p', 'page_id']) {
    const id = params.get(name);
    if (id === null || !/^\d{1,12}$/.test(id)) continue;
    const location = await resolveRedirect(db, `/?${name}=${id}`);
    if (location) return reply.redirect(headerSafe(location), 301);
  }
  return undefined;
}

/** Slugs may be Persian or any script; a Location header carries them percent-encoded. */
function headerSafe(location: string): string {
  let decoded = location;
  try {
    decoded = decodeURI(location);
  } catch {
    // already as it should be
  }
  return encodeURI(decoded);
}

function servePage(_request: FastifyRequest, reply: FastifyReply, page: StaticPage, chrome: Chrome): FastifyReply {
  const html = renderHtml(StaticPageView({ chrome, page }));
  // Pages change only by import, which changes the whole site.
  reply.cacheTags(CHROME_TAGS);
  return reply.code(200).type('text/html; charset=utf-8').send(html);
}

export function StaticPageView({ chrome, page }: { chrome: Chrome; page: StaticPage }) {
  return (
    <Layout chrome={chrome} meta={{ title: page.title, description: page.excerpt || undefined, canonical: page.path }}>
      <div class="article-layout">
        <article class="static-page">
          <header class="article-header">
            <h1>{page.title}</h1>
          </header>
          <div class="body" dangerouslySetInnerHTML={{ __html: page.bodyHtml }} />
        </article>
      </div>
    </Layout>
  );
}
