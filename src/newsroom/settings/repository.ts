// Site-wide settings kept in the database, so every instance sees the same values.
import type { Queryable } from '../db.ts';

export interface SiteSettings {
  siteName: string;
  tagline: string;
}

const defaults: SiteSettings = { siteName: 'Dateline', tagline: 'News as it happens' };

export async function readSetting(db: Queryable, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

export async function writeSetting(db: Queryable, key: string, value: string): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

export async function readSiteSettings(db: Queryable): Promise<SiteSettings> {
  const rows = await db.selectFrom('settings').select(['key', 'value']).where('key', 'in', ['site_name', 'tagline']).execute();
  const get = (k: string) => rows.find((r) => r.key === k)?.value;
  return { siteName: get('site_name') ?? defaults.siteName, tagline: get('tagline') ?? defaults.tagline };
}
