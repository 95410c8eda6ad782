// Post meta the importer reads beyond WordPress's own fields: Yoast SEO's title and description,
// and what a Dateline export adds for what WordPress has no field for. The export writes the
// same keys (export/wxr/mapping.ts), so a Dateline → WXR → Dateline move loses none of it.
import type { Status } from '../../articles/types.ts';
import { LIMITS } from '../../articles/types.ts';
import { excerpt as cutExcerpt } from '../../text.ts';
import { plainText } from './body.ts';
import type { WxrItem } from './reader.ts';
import { lookupTable } from '../../lookup.ts';

export const DATELINE_META = {
  kicker: '_dateline_kicker',
  dek: '_dateline_dek',
  language: '_dateline_language',
  /** The exact workflow status; believed only when wp:status agrees (see STATUSES_OF). */
  status: '_dateline_status',
} as const;

export const YOAST_META = {
  title: '_yoast_wpseo_title',
  description: '_yoast_wpseo_metadesc',
} as const;

/** The statuses of ours a WordPress status may stand for. */
export const STATUSES_OF = lookupTable<Status[]>({
  draft: ['draft', 'changes_requested'],
  pending: ['submitted', 'approved'],
  future: ['scheduled'],
  publish: ['published'],
  private: ['draft', 'unpublished'],
});

/** A plain-text meta value cut to `limit`; undefined when the item does not have it. */
export function metaText(item: WxrItem, key: string, limit: number, label: string, notes: string[]): string | undefined {
  const raw = item.meta.get(key);
  if (raw === undefined) return undefined;
  const value = plainText(raw);
  if (value.length <= limit) return value;
  notes.push(`${label} cut to ${limit} characters`);
  return cutExcerpt(value, 1000, limit);
}

/**
 * Yoast's SEO title and description. A template ("%%title%% %%sep%% %%sitename%%") is Yoast's
 * to fill in; taken literally it would be a worse title than the headline, so it is left out.
 */
export function seoOf(item: WxrItem, notes: string[]): { title: string; description: string } {
  const one = (key: string, limit: number, label: string) => {
    const value = metaText(item, key, limit, label, notes) ?? '';
    if (!value.includes('%%')) return value;
    notes.push(`${label} is a Yoast template ("${value.slice(0, 60)}"); left out`);
    return '';
  };
  return { title: one(YOAST_META.title, LIMITS.seoTitle, 'SEO title'), description: one(YOAST_META.description, LIMITS.seoDescription, 'SEO description') };
}
