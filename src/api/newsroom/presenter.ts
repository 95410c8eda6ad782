// The JSON shapes the newsroom API answers with: one function per shape, nothing else leaks.
import type { Article } from '../../newsroom/articles/types.ts';
import type { AuditEntry } from '../../newsroom/workflow/audit.ts';
import type { StoryListItem } from '../../newsroom/workflow/queries.ts';

export const presentStory = (a: Article) => ({
  id: a.id,
  slug: a.slug,
  status: a.status,
  version: a.version,
  desk: a.desk,
  kicker: a.kicker,
  headline: a.headline,
  dek: a.dek,
  bodyHtml: a.bodyHtml,
  excerpt: a.excerpt,
  leadImage: a.leadImage,
  language: a.language,
  bylines: a.bylines.map((p) => ({ id: p.id, slug: p.slug, name: p.name, kind: p.kind })),
  tags: a.tags.map((t) => t.name),
  publishedAt: a.publishedAt,
  updatedAt: a.updatedAt,
  embargoUntil: a.embargoUntil,
  seoTitle: a.seoTitle,
  seoDescription: a.seoDescription,
});

export const presentListItem = (s: StoryListItem) => ({ ...s });

export const presentAudit = (e: AuditEntry) => ({
  action: e.action,
  from: e.fromStatus,
  to: e.toStatus,
  note: e.note,
  at: e.at,
  user: e.userEmail,
});
