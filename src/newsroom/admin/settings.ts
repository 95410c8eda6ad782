// Administrators change the site's name and tagline (every page's header shows them).
import type { Queryable } from '../db.ts';
import { invalid } from '../errors.ts';
import type { Actor } from '../auth/types.ts';
import { readSiteSettings, writeSetting, type SiteSettings } from '../settings/repository.ts';
import { writeAdminAudit } from './audit.ts';
import { assertAdmin } from './policy.ts';
import { recordChange, TAGS } from '../changes.ts';

export const SETTINGS_LIMITS = { siteName: 100, tagline: 200 } as const;

export { readSiteSettings, type SiteSettings };

// One line of text: control characters and runs of white space become single spaces.
const oneLine = (text: string): string => text.replace(/\p{Cc}/gu, ' ').replace(/\s+/gu, ' ').trim();

export async function adminUpdateSettings(db: Queryable, actor: Actor, changes: Partial<SiteSettings>, now = new Date()): Promise<SiteSettings> {
  assertAdmin(actor, "change the site's settings");
  const problems: Record<string, string> = {};
  const siteName = changes.siteName === undefined ? undefined : oneLine(changes.siteName);
  const tagline = changes.tagline === undefined ? undefined : oneLine(changes.tagline);
  if (siteName !== undefined) {
    if (!siteName) problems.siteName = 'The site needs a name.';
    else if (siteName.length > SETTINGS_LIMITS.siteName) problems.siteName = `Use at most ${SETTINGS_LIMITS.siteName} characters for the site's name.`;
  }
  if (tagline !== undefined && tagline.length > SETTINGS_LIMITS.tagline) problems.tagline = `Use at most ${SETTINGS_LIMITS.tagline} characters for the tagline.`;
  if (Object.keys(problems).length) throw invalid(problems);
  if (siteName !== undefined) await writeSetting(db, 'site_name', siteName);
  if (tagline !== undefined) await writeSetting(db, 'tagline', tagline);
  const changed = [siteName !== undefined ? `name "${siteName}"` : '', tagline !== undefined ? `tagline "${tagline}"` : ''].filter(Boolean);
  if (changed.length) await writeAdminAudit(db, actor, 'settings.update', `Set the site's ${changed.join(' and ')}.`, now);
  if (changed.length) await recordChange(db, [TAGS.site], now);
  return readSiteSettings(db);
}
