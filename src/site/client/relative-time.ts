// Progressive enhancement for cached pages: every <time data-relative> shows "N minutes ago"
// computed now, in the page's language, and keeps it current; the server's absolute time
// stays as the tooltip (and is what readers without JavaScript see).
import { relativeTime } from '../../newsroom/relative-time.ts';

function refresh(): void {
  const now = new Date();
  const lang = document.documentElement.lang || 'en';
  for (const el of Array.from(document.querySelectorAll<HTMLTimeElement>('time[data-relative]'))) {
    const then = new Date(el.dateTime);
    if (Number.isNaN(then.getTime())) continue;
    if (!el.title) el.title = el.textContent ?? '';
    el.textContent = relativeTime(then, now, lang);
  }
}

refresh();
window.setInterval(refresh, 30_000);
