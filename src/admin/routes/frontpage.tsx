// Front-page curation and the breaking-news banner for managing editors and administrators.
// Handlers authenticate, check the CSRF token, open a transaction and call the front-page
// commands; every rule (who may, how many stories, only published ones, a banner's fields)
// lives in src/newsroom/frontpage.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { Database } from '../../newsroom/db.ts';
import { listPublic, loadArticle } from '../../newsroom/articles/repository.ts';
import { NewsroomError } from '../../newsroom/errors.ts';
import { clearBreaking, curatedIds, currentBreaking, FRONT_PAGE_SLOTS, frontPageStories, setBreaking, setFrontPage } from '../../newsroom/frontpage.ts';
import { MAX_ID } from '../../newsroom/admin/policy.ts';
import { parseLocalDateTime, toLocalDateTime } from '../../newsroom/time.ts';
import { canCurateFrontPage } from '../../newsroom/workflow/policy.ts';
import { csrfValid, CSRF_EXPIRED } from '../../http/csrf.ts';
import { paths } from '../../site/paths.ts';
import { curationScript } from '../curation-asset.ts';
import { adminChrome, field, fields, sendAdminPage } from '../chrome.ts';
import { FrontPageAdminPage, slotName, type BreakingForm, type CuratedStory, type FrontPageView } from '../views/frontpage.tsx';
import type { AdminChrome } from '../views/layout.tsx';

/** How many of the latest published stories the add form offers. */
const CANDIDATES = 50;
/** A new banner's default lifetime. */
const BANNER_HOURS = 2;

const storyId = (raw: string): number | undefined => {
  if (!/^\d{1,10}$/.test(raw)) return undefined;
  const id = Number(raw);
  return id >= 1 && id <= MAX_ID ? id : undefined;
};

function requireCurator(chrome: AdminChrome): void {
  if (!canCurateFrontPage(chrome.actor)) {
    throw new NewsroomError('forbidden', 'Only managing editors and administrators choose the front page and set the breaking-news banner.');
  }
}

/** The refusals a form shows next to its fields; anything else goes to the error page. */
function refusal(error: unknown): { status: number; errors: Record<string, string>; text: string } | undefined {
  if (!(error instanceof NewsroomError)) return undefined;
  if (error.code === 'invalid_input') return { status: 400, errors: error.fields, text: error.message };
  if (error.code === 'conflict') return { status: 409, errors: error.fields, text: error.message };
  return undefined;
}

export async function frontPageAdminRoutes(app: FastifyInstance, db: Kysely<Database>, config: Config): Promise<void> {
  const script = await curationScript();
  app.get(script.path, async (_request, reply) => reply.type(script.type).header('cache-control', 'public, max-age=31536000, immutable').send(script.body));

  const emptyBreaking = (): BreakingForm => ({ headline: '', url: '', expiresAt: toLocalDateTime(new Date(Date.now() + BANNER_HOURS * 3_600_000), config.timeZone) });

  const loadView = async (extra: Partial<FrontPageView> = {}): Promise<FrontPageView> => {
    const ids = await curatedIds(db);
    const [visible, front, candidates, breaking] = await Promise.all([
      ids.length ? listPublic(db, { ids, limit: ids.length }) : { items: [] },
      frontPageStories(db),
      listPublic(db, { limit: CANDIDATES, excludeIds: ids }),
      currentBreaking(db),
    ]);
    const byId = new Map(visible.items.map((s) => [s.id, s]));
    const curated = await Promise.all(
      ids.map(async (id): Promise<CuratedStory> => {
        const s = byId.get(id);
        if (s) return { id, headline: s.headline, deskName: s.desk.name, path: paths.article(s), publishedAt: s.publishedAt, live: true, status: 'published' };
        // Chosen once, but readers no longer see it (unpublished, or embargoed).
        const article = await loadArticle(db, id);
        return { id, headline: article?.headline ?? `Story ${id}`, deskName: article?.desk.name ?? '', path: null, publishedAt: article?.publishedAt ?? null, live: false, status: article?.status ?? 'unpublished' };
      }),
    );
    return {
      slots: FRONT_PAGE_SLOTS,
      curated,
      filled: front.filter((s) => !ids.includes(s.id)),
      candidates: candidates.items,
      breaking,
      breakingForm: emptyBreaking(),
      addForm: { id: '', place: 'end' },
      errors: {},
      scriptPath: script.path,
      ...extra,
    };
  };

  const show = async (reply: FastifyReply, chrome: AdminChrome, status: number, extra: Partial<FrontPageView>) =>
    sendAdminPage(reply, FrontPageAdminPage({ chrome, view: await loadView(extra) }), status);

  /** The notice after a redirect, in words about the story that moved. */
  const noticeFor = (request: FastifyRequest, view: FrontPageView): FrontPageView['notice'] => {
    const q = request.query as Record<string, string | undefined>;
    const id = q.story ? storyId(q.story) : undefined;
    const index = id === undefined ? -1 : view.curated.findIndex((s) => s.id === id);
    const story = view.curated[index];
    const where = story ? `“${story.headline}” is now ${index === 0 ? 'the lead story' : slotName(index).toLowerCase()}.` : undefined;
    switch (q.done) {
      case 'order':
        return { kind: 'ok', text: 'The new order is on the front page.' };
      case 'up':
      case 'down':
      case 'added':
        return { kind: 'ok', text: where ?? 'The front page is changed.' };
      case 'remove':
        return { kind: 'ok', text: 'Removed from the chosen stories.' };
      case 'gone':
        return { kind: 'info', text: 'That story was no longer among the chosen ones; here is the front page as it is now.' };
      case 'breaking':
        return { kind: 'ok', text: 'The banner is on every page now.' };
      case 'cleared':
        return { kind: 'ok', text: 'The banner is gone from every page.' };
      default:
        return undefined;
    }
  };

  app.get('/admin/front-page', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    requireCurator(chrome);
    const view = await loadView();
    view.notice = noticeFor(request, view);
    return sendAdminPage(reply, FrontPageAdminPage({ chrome, view }));
  });

  // The order the curation script sends after a drag: every chosen story, in its new order.
  app.post('/admin/front-page/order', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    requireCurator(chrome);
    if (!csrfValid(request, reply)) return show(reply, chrome, 403, { notice: { kind: 'error', text: CSRF_EXPIRED } });
    const raw = fields(request.body, 'articleIds');
    const ids = raw.map(storyId);
    if (ids.some((id) => id === undefined)) return show(reply, chrome, 400, { notice: { kind: 'error', text: 'That order names a story that does not exist; nothing was changed.' } });
    const expected = field(request.body, 'expected');
    try {
      const changed = await db.transaction().execute(async (trx) => {
        // Someone else may have changed the list since this page was loaded: do not undo it.
        if ((await curatedIds(trx)).join(',') !== expected) return true;
        await setFrontPage(trx, chrome.actor, ids as number[]);
        return false;
      });
      if (changed) return show(reply, chrome, 409, { notice: { kind: 'error', text: 'Someone else changed the front page while you were ordering it, so nothing was changed. Here it is as it is now.' } });
    } catch (error) {
      const refused = refusal(error);
      if (refused) return show(reply, chrome, refused.status, { notice: { kind: 'error', text: refused.text } });
      throw error;
    }
    return reply.redirect('/admin/front-page?done=order#curation-title', 303);
  });

  // Move up, Move down, Remove: the buttons beside each chosen story.
  app.post('/admin/front-page/story', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    requireCurator(chrome);
    if (!csrfValid(request, reply)) return show(reply, chrome, 403, { notice: { kind: 'error', text: CSRF_EXPIRED } });
    const id = storyId(field(request.body, 'id'));
    const action = field(request.body, 'do');
    if (id === undefined || (action !== 'up' && action !== 'down' && action !== 'remove')) {
      return show(reply, chrome, 400, { notice: { kind: 'error', text: 'Choose a story and Move up, Move down or Remove.' } });
    }
    let found = true;
    try {
      await db.transaction().execute(async (trx) => {
        const ids = await curatedIds(trx);
        const i = ids.indexOf(id);
        if (i === -1) {
          found = false;
          return;
        }
        const next = [...ids];
        if (action === 'remove') next.splice(i, 1);
        else {
          const j = action === 'up' ? i - 1 : i + 1;
          if (j < 0 || j >= next.length) return;
          [next[i], next[j]] = [next[j] as number, next[i] as number];
        }
        await setFrontPage(trx, chrome.actor, next);
      });
    } catch (error) {
      const refused = refusal(error);
      if (refused) return show(reply, chrome, refused.status, { notice: { kind: 'error', text: refused.text } });
      throw error;
    }
    if (!found) return reply.redirect('/admin/front-page?done=gone', 303);
    if (action === 'remove') return reply.redirect('/admin/front-page?done=remove#curation-title', 303);
    return reply.redirect(`/admin/front-page?done=${action}&story=${id}#story-${id}`, 303);
  });

  app.post('/admin/front-page/add', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    requireCurator(chrome);
    const addForm = { id: field(request.body, 'id'), place: field(request.body, 'place') === 'lead' ? 'lead' : 'end' };
    if (!csrfValid(request, reply)) return show(reply, chrome, 403, { addForm, notice: { kind: 'error', text: CSRF_EXPIRED } });
    const id = storyId(addForm.id);
    if (id === undefined) {
      const errors = { articleIds: 'Choose the story to add.' };
      return show(reply, chrome, 400, { addForm, errors, notice: { kind: 'error', text: errors.articleIds } });
    }
    try {
      await db.transaction().execute(async (trx) => {
        const others = (await curatedIds(trx)).filter((other) => other !== id);
        await setFrontPage(trx, chrome.actor, addForm.place === 'lead' ? [id, ...others] : [...others, id]);
      });
    } catch (error) {
      const refused = refusal(error);
      if (refused) return show(reply, chrome, refused.status, { addForm, errors: refused.errors, notice: { kind: 'error', text: refused.text } });
      throw error;
    }
    return reply.redirect(`/admin/front-page?done=added&story=${id}#story-${id}`, 303);
  });

  app.post('/admin/front-page/breaking', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    requireCurator(chrome);
    const form: BreakingForm = { headline: field(request.body, 'headline'), url: field(request.body, 'url'), expiresAt: field(request.body, 'expiresAt') };
    if (!csrfValid(request, reply)) return show(reply, chrome, 403, { breakingForm: form, notice: { kind: 'error', text: CSRF_EXPIRED } });
    const expiresAt = parseLocalDateTime(form.expiresAt, config.timeZone);
    try {
      if (!expiresAt) throw new NewsroomError('invalid_input', 'Give the date and time the banner ends.', { expiresAt: 'Give the date and time the banner ends.' });
      await db.transaction().execute((trx) => setBreaking(trx, chrome.actor, { headline: form.headline, url: form.url, expiresAt }));
    } catch (error) {
      const refused = refusal(error);
      if (refused) return show(reply, chrome, refused.status, { breakingForm: form, errors: refused.errors, notice: { kind: 'error', text: refused.text } });
      throw error;
    }
    return reply.redirect('/admin/front-page?done=breaking#breaking-title', 303);
  });

  app.post('/admin/front-page/breaking/clear', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    requireCurator(chrome);
    if (!csrfValid(request, reply)) return show(reply, chrome, 403, { notice: { kind: 'error', text: CSRF_EXPIRED } });
    await db.transaction().execute((trx) => clearBreaking(trx, chrome.actor));
    return reply.redirect('/admin/front-page?done=cleared#breaking-title', 303);
  });
}
