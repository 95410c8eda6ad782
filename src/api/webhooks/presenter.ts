// The JSON body of a webhook delivery. The article is presented exactly as the public API
// presents it (same allowlist, same absolute URLs), so a receiver can reuse its API client's types.
//
// {
//   "id": "evt_…",                 same in every delivery and retry of this event
//   "type": "article.corrected",
//   "createdAt": "2026-11-28T09:30:00.000Z",
//   "data": {
//     "article": { …as GET /api/v1/articles/{slug} answers… },
//     "note": "An earlier version misnamed the minister."   (updates and corrections with a note)
//   }
// }
//
// article.unpublished carries only { id, slug, url } of the story: it is no longer public.
import type { WebhookEvent } from '../../newsroom/webhooks/events.ts';
import { absolute, paths } from '../../site/paths.ts';
import { presentArticle, type PresentContext } from '../public/presenter.ts';

export interface WebhookBody {
  id: string;
  type: string;
  createdAt: string;
  data: { article: ReturnType<typeof presentArticle> | { id: number; slug: string; url: string }; note?: string };
}

export function presentWebhookEvent(c: PresentContext, event: WebhookEvent): WebhookBody {
  const { ref, article, note } = event.payload;
  const data: WebhookBody['data'] = article
    ? { article: presentArticle(c, article) }
    : { article: { id: ref.id, slug: ref.slug, url: absolute(c.siteUrl, paths.article(ref)) } };
  if (note) data.note = note;
  return { id: event.id, type: event.type, createdAt: event.occurredAt, data };
}
