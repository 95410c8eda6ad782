export interface Desk {
  id: number;
  slug: string;
  name: string;
  description: string;
  email: string | null;
  position: number;
}

/**
 * Paths the site owns; a desk may not take one as its slug, since desk pages live at /{slug}.
 */
export const RESERVED_SLUGS = new Set([
  'admin', 'api', 'archive', 'assets', 'author', 'authors', 'contact', 'desk', 'desks', 'feed', 'feeds',
  'login', 'logout', 'media', 'page', 'robots.txt', 'rss', 'search', 'setup', 'sitemap', 'sitemap.xml',
  'staff', 'static', 'sitemaps', 'tag', 'tags', 'favicon.ico', 'health', 'corrections', 'preview', 'about',
]);
