// Every public URL is built here, so a change of scheme is one edit.
import type { ArticleSummary } from '../newsroom/articles/types.ts';

export const paths = {
  home: () => '/',
  article: (a: { slug: string; desk: { slug: string } }) => `/${a.desk.slug}/${a.slug}`,
  articleBySlugs: (deskSlug: string, slug: string) => `/${deskSlug}/${slug}`,
  desk: (slug: string) => `/${slug}`,
  tag: (slug: string) => `/tag/${slug}`,
  author: (slug: string) => `/author/${slug}`,
  staff: () => '/staff',
  corrections: () => '/corrections',
  search: (q?: string) => (q ? `/search?q=${encodeURIComponent(q)}` : '/search'),
  contact: (deskSlug?: string) => (deskSlug ? `/contact?desk=${encodeURIComponent(deskSlug)}` : '/contact'),
  archive: (year?: number, month?: number, day?: number) =>
    ['/archive', year, month && String(month).padStart(2, '0'), day && String(day).padStart(2, '0')].filter(Boolean).join('/'),
  page: (base: string, page: number) => (page <= 1 ? base : `${base}${base.includes('?') ? '&' : '?'}page=${page}`),
};

export const absolute = (siteUrl: string, path: string) => siteUrl + path;

export type { ArticleSummary };
