// "20 minutes ago": the phrase a reader sees beside a story. The browser runs the same rule
// (src/site/client/relative-time.ts imports this file) so cached pages stay true.
import { relativeTimeFormat } from './intl.ts';
const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

export function relativeTime(then: Date, now: Date, locale = 'en'): string {
  const seconds = Math.round((now.getTime() - then.getTime()) / 1000);
  const format = relativeTimeFormat(locale, { numeric: 'auto' });
  const magnitude = Math.abs(seconds);
  for (const [unit, size] of units) {
    if (magnitude >= size) return format.format(Math.sign(-seconds) * Math.floor(magnitude / size), unit);
  }
  return format.format(0, 'second');
}
