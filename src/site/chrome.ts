// The frame data every page needs, read once per request.
import type { Config } from '../config.ts';
import type { Queryable } from '../newsroom/db.ts';
import { listDesks } from '../newsroom/desks/repository.ts';
import { readSiteSettings } from '../newsroom/settings/repository.ts';
import { siteAssets } from './assets.ts';
import { currentBreaking } from '../newsroom/frontpage.ts';
import type { Chrome } from './views/layout.tsx';

export async function loadChrome(db: Queryable, config: Config): Promise<Chrome> {
  const [settings, desks, assets, breaking] = await Promise.all([readSiteSettings(db), listDesks(db), siteAssets(), currentBreaking(db)]);
  return {
    siteName: config.siteName ?? settings.siteName,
    tagline: settings.tagline,
    siteUrl: config.siteUrl,
    desks,
    locale: { language: config.language, timeZone: config.timeZone },
    css: assets.css,
    scriptPath: assets.script.path,
    breaking,
  };
}
