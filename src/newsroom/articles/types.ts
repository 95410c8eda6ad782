import type { Person } from '../people/types.ts';
import type { Tag } from '../tags/repository.ts';

export const STATUSES = ['draft', 'submitted', 'changes_requested', 'approved', 'scheduled', 'published', 'unpublished'] as const;
export type Status = (typeof STATUSES)[number];

export interface LeadImage {
  url: string;
  alt: string;
  caption: string;
  credit: string;
}

export interface BylineRef {
  slug: string;
  name: string;
  kind: Person['kind'];
}

/** What a list of stories shows: enough for a teaser, never the body. */
export interface ArticleSummary {
  id: number;
  slug: string;
  desk: { id: number; slug: string; name: string };
  kicker: string;
  headline: string;
  dek: string;
  excerpt: string;
  leadImage: LeadImage | null;
  publishedAt: string;
  updatedAt: string | null;
  bylines: BylineRef[];
}

/** A public note on a published story: an update, or a correction of something it got wrong. */
export interface ArticleEvent {
  kind: 'update' | 'correction';
  note: string;
  at: string;
}

export interface Article extends Omit<ArticleSummary, 'bylines' | 'publishedAt'> {
  bodyHtml: string;
  language: string;
  status: Status;
  publishedAt: string | null;
  embargoUntil: string | null;
  version: number;
  bylines: Person[];
  tags: Tag[];
  /** Updates and corrections, oldest first. */
  events: ArticleEvent[];
  /** For search engines and link previews; empty means the headline and dek serve. */
  seoTitle: string;
  seoDescription: string;
}

export const LIMITS = {
  kicker: 60,
  headline: 200,
  dek: 400,
  excerpt: 400,
  body: 2_000_000,
  slug: 120,
  bylines: 10,
  tags: 30,
  seoTitle: 120,
  seoDescription: 320,
} as const;
