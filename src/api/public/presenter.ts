// The JSON shapes of the public content API: one function per shape, each an explicit allowlist.
// Nothing here may mention a newsroom-only field (status, version, embargo, created_by, users);
// the response schemas in schemas.ts are the second guard.
import type { Static } from '@sinclair/typebox';
import type { Article as ArticleModel, ArticleEvent as EventModel, ArticleSummary as SummaryModel, BylineRef, LeadImage as LeadImageModel } from '../../newsroom/articles/types.ts';
import type { Desk as DeskModel } from '../../newsroom/desks/types.ts';
import { contactHref, type Person as PersonModel } from '../../newsroom/people/types.ts';
import type { Tag as TagModel } from '../../newsroom/tags/repository.ts';
import type { PublicTag } from '../../newsroom/tags/public.ts';
import { absolute, paths } from '../../site/paths.ts';
import type { Segment, SearchHit } from '../../search/index.ts';
import type { Article, ArticleEvent, ArticleSummary, Desk, DeskRef, LeadImage, Person, PersonRef, SearchHit as SearchHitSchema, Tag, TagRef } from './schemas.ts';

/** Presenters need the public origin to write absolute URLs. */
export interface PresentContext {
  siteUrl: string;
}

export const presentDeskRef = (c: PresentContext, d: { slug: string; name: string }): Static<typeof DeskRef> => ({
  slug: d.slug,
  name: d.name,
  url: absolute(c.siteUrl, paths.desk(d.slug)),
});

export const presentPersonRef = (c: PresentContext, p: BylineRef | PersonModel): Static<typeof PersonRef> => ({
  slug: p.slug,
  name: p.name,
  kind: p.kind,
  url: absolute(c.siteUrl, paths.author(p.slug)),
});

export const presentTagRef = (c: PresentContext, t: TagModel): Static<typeof TagRef> => ({
  slug: t.slug,
  name: t.name,
  url: absolute(c.siteUrl, paths.tag(t.slug)),
});

export const presentPerson = (c: PresentContext, p: PersonModel): Static<typeof Person> => ({
  slug: p.slug,
  name: p.name,
  kind: p.kind,
  title: p.title,
  bio: p.bio,
  photoUrl: p.photoUrl,
  contacts: p.contacts.map((contact) => ({ kind: contact.kind, value: contact.value, href: contactHref(contact) })),
  url: absolute(c.siteUrl, paths.author(p.slug)),
});

export const presentLeadImage = (i: LeadImageModel | null): Static<typeof LeadImage> | null =>
  i && { url: i.url, alt: i.alt, caption: i.caption, credit: i.credit };

export const presentEvent = (e: EventModel): Static<typeof ArticleEvent> => ({ kind: e.kind, note: e.note, at: e.at });

export const presentArticleSummary = (c: PresentContext, a: SummaryModel): Static<typeof ArticleSummary> => ({
  id: a.id,
  slug: a.slug,
  url: absolute(c.siteUrl, paths.article(a)),
  kicker: a.kicker,
  headline: a.headline,
  dek: a.dek,
  excerpt: a.excerpt,
  leadImage: presentLeadImage(a.leadImage),
  publishedAt: a.publishedAt,
  updatedAt: a.updatedAt,
  desk: presentDeskRef(c, a.desk),
  bylines: a.bylines.map((b) => presentPersonRef(c, b)),
});

/** Takes any article without its newsroom-only fields: webhook events keep such snapshots. */
export const presentArticle = (c: PresentContext, a: Omit<ArticleModel, 'status' | 'embargoUntil' | 'version' | 'seoTitle' | 'seoDescription'>): Static<typeof Article> => ({
  id: a.id,
  slug: a.slug,
  url: absolute(c.siteUrl, paths.article(a)),
  kicker: a.kicker,
  headline: a.headline,
  dek: a.dek,
  excerpt: a.excerpt,
  leadImage: presentLeadImage(a.leadImage),
  // A public article always has its publication time; '' only satisfies the type.
  publishedAt: a.publishedAt ?? '',
  updatedAt: a.updatedAt,
  desk: presentDeskRef(c, a.desk),
  bodyHtml: a.bodyHtml,
  language: a.language,
  bylines: a.bylines.map((p) => presentPerson(c, p)),
  tags: a.tags.map((t) => presentTagRef(c, t)),
  events: a.events.map(presentEvent),
});

export const presentDesk = (c: PresentContext, d: DeskModel, editors: PersonModel[]): Static<typeof Desk> => ({
  slug: d.slug,
  name: d.name,
  description: d.description,
  email: d.email,
  url: absolute(c.siteUrl, paths.desk(d.slug)),
  contactUrl: absolute(c.siteUrl, paths.contact(d.slug)),
  editors: editors.map((p) => presentPersonRef(c, p)),
});

export const presentTag = (c: PresentContext, t: PublicTag): Static<typeof Tag> => ({
  slug: t.slug,
  name: t.name,
  url: absolute(c.siteUrl, paths.tag(t.slug)),
  articleCount: t.articleCount,
});

export const presentHighlighted = (segments: Segment[]): Array<{ text: string; mark: boolean }> => segments.map((s) => ({ text: s.text, mark: s.mark }));

export const presentSearchHit = (c: PresentContext, hit: SearchHit): Static<typeof SearchHitSchema> => ({
  article: presentArticleSummary(c, hit.story),
  headline: presentHighlighted(hit.headline),
  snippet: presentHighlighted(hit.snippet),
});
