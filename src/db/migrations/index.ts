// Every migration, in order. Names are timestamps; files are frozen once committed.
import type { Migration } from 'kysely';
import * as newsroomCore from './2026-11-28T0600-newsroom-core.ts';
import * as editorialWorkflow from './2026-11-28T0730-editorial-workflow.ts';
import * as totpReplay from './2026-11-28T0810-totp-replay.ts';
import * as media from './2026-11-28T0820-media.ts';
import * as wordpress from './2026-11-28T0830-wordpress.ts';
import * as search from './2026-11-28T0845-search.ts';
import * as webhooks from './2026-11-28T0900-webhooks.ts';
import * as pageCache from './2026-11-28T0910-page-cache.ts';
import * as embargoIndex from './2026-11-28T0920-embargo-index.ts';
import * as breakingExpiry from './2026-11-28T0930-breaking-expiry.ts';
import * as listingTimes from './2026-11-28T0940-listing-times.ts';
import * as sitemapIndex from './2026-11-28T0950-sitemap-index.ts';

export const migrations: Record<string, Migration> = {
  '2026-11-28T0600-newsroom-core': newsroomCore,
  '2026-11-28T0730-editorial-workflow': editorialWorkflow,
  '2026-11-28T0810-totp-replay': totpReplay,
  '2026-11-28T0820-media': media,
  '2026-11-28T0830-wordpress': wordpress,
  '2026-11-28T0845-search': search,
  '2026-11-28T0900-webhooks': webhooks,
  '2026-11-28T0910-page-cache': pageCache,
  '2026-11-28T0920-embargo-index': embargoIndex,
  '2026-11-28T0930-breaking-expiry': breakingExpiry,
  '2026-11-28T0940-listing-times': listingTimes,
  '2026-11-28T0950-sitemap-index': sitemapIndex,
};
