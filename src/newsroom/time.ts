// Timestamps are stored as ISO 8601 UTC strings; these helpers keep that in one place.
import { dateTimeFormat } from './intl.ts';
export const iso = (date: Date): string => date.toISOString();

export const minutesBefore = (date: Date, minutes: number): Date => new Date(date.getTime() - minutes * 60_000);

/** Start of a calendar day/month/year in a time zone, as a UTC instant. */
export function zonedStart(year: number, month: number, day: number, timeZone: string): Date {
  return zonedInstant(year, month, day, 0, 0, timeZone);
}

/** A wall-clock time in a time zone, as a UTC instant. */
export function zonedInstant(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): Date {
  // Guess the instant as if the zone were UTC, then correct by the zone's offset at that instant
  // (twice, so a DST change between guess and answer settles).
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let guess = wall;
  for (let i = 0; i < 2; i++) guess = wall - offsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

/** "2026-11-28T14:30" (an <input type="datetime-local"> value) read in a time zone; undefined when malformed. */
export function parseLocalDateTime(value: string, timeZone: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return undefined;
  return zonedInstant(year, month, day, hour, minute, timeZone);
}

/** The datetime-local value of an instant in a time zone. */
export function toLocalDateTime(at: Date, timeZone: string): string {
  const parts = dateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

function offsetMs(at: Date, timeZone: string): number {
  const parts = dateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}
