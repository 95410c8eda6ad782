// Timestamps are stored as ISO 8601 UTC strings; these helpers keep that in one place.
export const iso = (date: Date): string => date.toISOString();

export const minutesBefore = (date: Date, minutes: number): Date => new Date(date.getTime() - minutes * 60_000);

/** Start of a calendar day/month/year in a time zone, as a UTC instant. */
export function zonedStart(year: number, month: number, day: number, timeZone: string): Date {
  // Guess the instant as if the zone were UTC, then correct by the zone's offset at that instant
  // (twice, so a DST change between guess and answer settles).
  let guess = Date.UTC(year, month - 1, day);
  for (let i = 0; i < 2; i++) guess = Date.UTC(year, month - 1, day) - offsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

function offsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
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
