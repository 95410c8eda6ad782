// Dates as readers see them, in the newsroom's time zone and language.
import { dateTimeFormat } from '../../newsroom/intl.ts';
export interface Locale {
  language: string;
  timeZone: string;
}

export function formatDateTime(isoString: string, locale: Locale): string {
  return dateTimeFormat(locale.language, {
    timeZone: locale.timeZone,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(isoString));
}

export function formatDate(isoString: string, locale: Locale): string {
  return dateTimeFormat(locale.language, { timeZone: locale.timeZone, day: 'numeric', month: 'long', year: 'numeric' }).format(
    new Date(isoString),
  );
}

export function monthName(year: number, month: number, language: string): string {
  return dateTimeFormat(language, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(year, month - 1, 15)));
}

export const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase() ?? '')
    .join('');
