// The newsroom's story pages: dashboard, list, editor, workflow actions, history, preview.
// Handlers validate, authenticate, open a transaction, call a named command and render; no
// rule lives here.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { Database } from '../../newsroom/db.ts';
import type { ArticleInput } from '../../newsroom/articles/commands.ts';
import { listDesks } from '../../newsroom/desks/repository.ts';
import { listPeople } from '../../newsroom/people/repository.ts';
import { NewsroomError, notFound } from '../../newsroom/errors.ts';
import { loadDashboard } from '../../newsroom/dashboard.ts';
import { createStory, restoreRevision, saveStory, storyContext, transition, type ConflictDetails } from '../../newsroom/workflow/commands.ts';
import { listStoriesFor, loadStoryFor } from '../../newsroom/workflow/queries.ts';
import { allowed, COMMANDS, FROM, type Actor, type Command } from '../../newsroom/workflow/policy.ts';
import { openStory } from '../../newsroom/workflow/locks.ts';
import { listAudit } from '../../newsroom/workflow/audit.ts';
import { getRevision, listRevisions, snapshotOf, type Snapshot } from '../../newsroom/revisions/repository.ts';
import { diffSnapshots } from '../../newsroom/revisions/diff.ts';
import { parseLocalDateTime, toLocalDateTime } from '../../newsroom/time.ts';
import { STATUSES } from '../../newsroom/articles/types.ts';
import { csrfValid, CSRF_EXPIRED } from '../../http/csrf.ts';
import { listPublic } from '../../newsroom/articles/repository.ts';
import { loadChrome } from '../../site/chrome.ts';
import { paths } from '../../site/paths.ts';
import { renderHtml } from '../../site/render.ts';
import { ArticlePage } from '../../site/views/article.tsx';
import { adminChrome, field, fields, sendAdminPage } from '../chrome.ts';
import { DashboardPage, type InboxSummary } from '../views/dashboard.tsx';
import { inboxSummary } from './inbox.tsx';
import { transitionFor, type Transition } from '../../http/transitions.ts';
import { StoriesPage } from '../views/stories.tsx';
import { StoryEditorPage, type StoryEditorView, type StoryForm } from '../views/story.tsx';
import { HistoryPage } from '../views/history.tsx';
import type { AdminChrome } from '../views/layout.tsx';


const NOTICES: Record<string, string> = {
  created: 'Draft created.',
  saved: 'Saved.',
  submit: 'Submitted for review. The desk’s editors will see it in their queue.',
  request_changes: 'Changes requested. The writer will see your note.',
  approve: 'Approved.',
  schedule: 'Scheduled.',
  publish: 'Published. It is on the site now.',
  update: 'Update published.',
  correct: 'Correction published, with its note on the story and the corrections page.',
  unpublish: 'Unpublished. Its address now answers “withdrawn”.',
  restore: 'Back to draft.',
  restored: 'The earlier revision is now the newest version.',
  takeover: 'You are editing this story now.',
};

/** A story form carries the whole body: allow what the body limit allows, form-encoded. */
const STORY_FORM = { bodyLimit: 8 * 1024 * 1024 };

const idParam = (raw: string): number => {
  if (!/^\d{1,12}$/.test(raw)) throw notFound('That story');
  return Number(raw);
};

const emptyForm = (): StoryForm => ({
  headline: '',
  kicker: '',
  dek: '',
  slug: '',
  deskId: '',
  bylineIds: [],
  tags: '',
  bodyHtml: '',
  excerpt: '',
  leadImageUrl: '',
  leadImageAlt: '',
  leadImageCaption: '',
  leadImageCredit: '',
  language: 'en',
  seoTitle: '',
  seoDescription: '',
});

function formFromSnapshot(s: Snapshot): StoryForm {
  return {
    headline: s.headline,
    kicker: s.kicker,
    dek: s.dek,
    slug: s.slug,
    deskId: String(s.deskId),
    bylineIds: s.bylineIds.map(String),
    tags: s.tags.join(', '),
    bodyHtml: s.bodyHtml,
    excerpt: s.excerpt,
    leadImageUrl: s.leadImage?.url ?? '',
    leadImageAlt: s.leadImage?.alt ?? '',
    leadImageCaption: s.leadImage?.caption ?? '',
    leadImageCredit: s.leadImage?.credit ?? '',
    language: s.language,
    seoTitle: s.seoTitle,
    seoDescription: s.seoDescription,
  };
}

function formFromBody(body: unknown): StoryForm {
  return {
    headline: field(body, 'headline'),
    kicker: field(body, 'kicker'),
    dek: field(body, 'dek'),
    slug: field(body, 'slug'),
    deskId: field(body, 'deskId'),
    bylineIds: fields(body, 'bylineIds'),
    tags: field(body, 'tags'),
    bodyHtml: field(body, 'bodyHtml'),
    excerpt: field(body, 'excerpt'),
    leadImageUrl: field(body, 'leadImageUrl'),
    leadImageAlt: field(body, 'leadImageAlt'),
    leadImageCaption: field(body, 'leadImageCaption'),
    leadImageCredit: field(body, 'leadImageCredit'),
    language: field(body, 'language') || 'en',
    seoTitle: field(body, 'seoTitle'),
    seoDescription: field(body, 'seoDescription'),
  };
}

function inputFromForm(form: StoryForm): ArticleInput {
  const bylineIds = form.bylineIds.filter((v) => /^\d{1,12}$/.test(v)).map(Number);
  return {
    headline: form.headline,
    kicker: form.kicker,
    dek: form.dek,
    slug: form.slug.trim() || undefined,
    deskId: /^\d{1,12}$/.test(form.deskId) ? Number(form.deskId) : 0,
    bylineIds,
    tags: form.tags.split(',').map((t) => t.trim()).filter(Boolean),
    bodyHtml: form.bodyHtml,
    excerpt: form.excerpt,
    leadImage: form.leadImageUrl.trim()
      ? { url: form.leadImageUrl.trim(), alt: form.leadImageAlt, caption: form.leadImageCaption, credit: form.leadImageCredit }
      : null,
    language: form.language,
    seoTitle: form.seoTitle,
    seoDescription: form.seoDescription,
  };
}

/** The workflow commands the actor may run on the story as it is now. */
async function permittedActions(db: Kysely<Database>, actor: Actor, id: number): Promise<{ actions: Transition[]; canEdit: boolean }> {
  const { context } = await storyContext(db, actor, id);
  const can = (command: Command) => allowed(actor, command, context) && FROM[command].includes(context.status);
  return { actions: COMMANDS.filter((c): c is Transition => c !== 'create' && c !== 'edit' && can(c)), canEdit: can('edit') };
}

export function storyAdminRoutes(app: FastifyInstance, db: Kysely<Database>, config: Config): void {
  const editorView = async (chrome: AdminChrome, id: number, extra: Partial<StoryEditorView> = {}): Promise<StoryEditorView> => {
    const article = await loadStoryFor(db, chrome.actor, id);
    const [snapshot, desks, people, permissions] = await Promise.all([
      snapshotOf(db, id),
      listDesks(db),
      listPeople(db),
      permittedActions(db, chrome.actor, id),
    ]);
    return {
      id,
      status: article.status,
      version: article.version,
      publicPath: paths.article(article),
      publishedAt: article.publishedAt,
      form: formFromSnapshot(snapshot),
      errors: {},
      desks,
      people,
      ...permissions,
      lock: null,
      scheduleDefault: toLocalDateTime(new Date(Date.now() + 3_600_000), config.timeZone),
      ...extra,
    };
  };

  const noticeFrom = (request: FastifyRequest): StoryEditorView['notice'] => {
    const key = (request.query as Record<string, unknown>).done;
    return typeof key === 'string' && Object.hasOwn(NOTICES, key) ? { kind: 'ok', text: NOTICES[key] as string } : undefined;
  };

  app.get('/admin', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    const data = await loadDashboard(db, chrome.actor, config.timeZone);
    const inbox: InboxSummary | null = await inboxSummary(db, chrome.actor);
    return sendAdminPage(reply, DashboardPage({ chrome, data, inbox }));
  });

  app.get('/admin/stories', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    const q = request.query as Record<string, string | undefined>;
    const status = STATUSES.find((s) => s === q.status);
    const desk = q.desk && /^\d{1,12}$/.test(q.desk) ? q.desk : undefined;
    const page = q.page && /^[1-9]\d{0,4}$/.test(q.page) ? Number(q.page) : 1;
    const mine = q.mine === 'true';
    const [list, desks] = await Promise.all([
      listStoriesFor(db, chrome.actor, { status, deskId: desk ? Number(desk) : undefined, mine, limit: 50, offset: (page - 1) * 50 }),
      listDesks(db),
    ]);
    return sendAdminPage(reply, StoriesPage({ chrome, view: { stories: list.items, more: list.more, desks, page, filter: { status, desk, mine } } }));
  });

  app.get('/admin/stories/new', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    const [desks, people] = await Promise.all([listDesks(db), listPeople(db)]);
    const view: StoryEditorView = {
      id: null,
      status: null,
      version: 0,
      publicPath: null,
      publishedAt: null,
      form: emptyForm(),
      errors: {},
      desks,
      people,
      actions: [],
      canEdit: true,
      lock: null,
      scheduleDefault: '',
    };
    return sendAdminPage(reply, StoryEditorPage({ chrome, view }));
  });

  app.post('/admin/stories', STORY_FORM, async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    const form = formFromBody(request.body);
    const show = async (status: number, errors: Record<string, string>, text: string) => {
      const [desks, people] = await Promise.all([listDesks(db), listPeople(db)]);
      const view: StoryEditorView = { id: null, status: null, version: 0, publicPath: null, publishedAt: null, form, errors, desks, people, actions: [], canEdit: true, lock: null, scheduleDefault: '', notice: { kind: 'error', text } };
      return sendAdminPage(reply, StoryEditorPage({ chrome, view }), status);
    };
    if (!csrfValid(request, reply)) return show(403, {}, CSRF_EXPIRED);
    try {
      const { id } = await db.transaction().execute((trx) => createStory(trx, chrome.actor, inputFromForm(form)));
      return reply.redirect(`/admin/stories/${id}?done=created`, 303);
    } catch (error) {
      if (error instanceof NewsroomError && error.code === 'invalid_input') return show(400, error.fields, error.message);
      throw error;
    }
  });

  app.get<{ Params: { id: string } }>('/admin/stories/:id', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    const id = idParam(request.params.id);
    const view = await editorView(chrome, id, { notice: noticeFrom(request) });
    // Opening a story you may edit marks it as yours for now; others see who has it.
    if (view.canEdit || view.actions.length > 0) view.lock = await db.transaction().execute((trx) => openStory(trx, chrome.actor, id));
    return sendAdminPage(reply, StoryEditorPage({ chrome, view }));
  });

  /** Re-shows the editor with what the user typed, after a refused save or action. */
  const showRefused = async (reply: FastifyReply, chrome: AdminChrome, id: number, form: StoryForm, status: number, extra: Partial<StoryEditorView>) => {
    const view = await editorView(chrome, id, { form, ...extra });
    return sendAdminPage(reply, StoryEditorPage({ chrome, view }), status);
  };

  const refusal = (error: unknown): { status: number; extra: Partial<StoryEditorView> } | undefined => {
    if (!(error instanceof NewsroomError)) return undefined;
    if (error.code === 'conflict' && error.details) {
      const details = error.details as ConflictDetails;
      return { status: 409, extra: { conflict: { theirs: details.theirs, currentVersion: details.currentVersion }, notice: { kind: 'error', text: error.message } } };
    }
    const statuses: Partial<Record<NewsroomError['code'], number>> = { invalid_input: 400, conflict: 409, forbidden: 403 };
    const status = statuses[error.code];
    return status ? { status, extra: { errors: error.fields, notice: { kind: 'error', text: error.message } } } : undefined;
  };

  app.post<{ Params: { id: string } }>('/admin/stories/:id', STORY_FORM, async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    const id = idParam(request.params.id);
    const form = formFromBody(request.body);
    if (!csrfValid(request, reply)) return showRefused(reply, chrome, id, form, 403, { notice: { kind: 'error', text: CSRF_EXPIRED } });
    const baseVersion = Number(field(request.body, 'baseVersion')) || 0;
    try {
      await db.transaction().execute((trx) => saveStory(trx, chrome.actor, id, inputFromForm(form), baseVersion));
    } catch (error) {
      const refused = refusal(error);
      if (refused) return showRefused(reply, chrome, id, form, refused.status, refused.extra);
      throw error;
    }
    return reply.redirect(`/admin/stories/${id}?done=saved`, 303);
  });

  app.post<{ Params: { id: string } }>('/admin/stories/:id/takeover', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    const id = idParam(request.params.id);
    if (!csrfValid(request, reply)) return reply.redirect(`/admin/stories/${id}`, 303);
    await db.transaction().execute((trx) => openStory(trx, chrome.actor, id, { takeover: true }));
    return reply.redirect(`/admin/stories/${id}?done=takeover`, 303);
  });

  app.post<{ Params: { id: string; action: string } }>('/admin/stories/:id/:action', STORY_FORM, async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    const id = idParam(request.params.id);
    const command = transitionFor(request.params.action);
    if (!command) throw notFound('That action');
    const body = request.body;
    // Updates and corrections come from the story form, with the changed text.
    const withContent = (command === 'update' || command === 'correct') && field(body, 'headline') !== '';
    const form = withContent ? formFromBody(body) : undefined;
    if (!csrfValid(request, reply)) return showRefused(reply, chrome, id, form ?? (await editorView(chrome, id)).form, 403, { notice: { kind: 'error', text: CSRF_EXPIRED } });
    const atField = field(body, 'at');
    const at = atField ? parseLocalDateTime(atField, config.timeZone) : undefined;
    try {
      if (command === 'schedule' && !at) throw new NewsroomError('invalid_input', 'Choose the date and time to publish.', { at: 'Choose the date and time to publish.' });
      await db.transaction().execute((trx) =>
        transition(trx, chrome.actor, id, command, {
          note: field(body, 'note'),
          at,
          content: form ? { input: inputFromForm(form), baseVersion: Number(field(body, 'baseVersion')) || 0 } : undefined,
        }),
      );
    } catch (error) {
      const refused = refusal(error);
      if (refused) return showRefused(reply, chrome, id, form ?? (await editorView(chrome, id)).form, refused.status, refused.extra);
      throw error;
    }
    return reply.redirect(`/admin/stories/${id}?done=${command}`, 303);
  });

  app.get<{ Params: { id: string } }>('/admin/stories/:id/history', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    const id = idParam(request.params.id);
    const article = await loadStoryFor(db, chrome.actor, id);
    const [audit, revisions, permissions] = await Promise.all([listAudit(db, id), listRevisions(db, id), permittedActions(db, chrome.actor, id)]);
    const q = request.query as Record<string, string | undefined>;
    const versions = revisions.map((r) => r.version);
    const to = q.to && versions.includes(Number(q.to)) ? Number(q.to) : versions[0];
    const from = q.from && versions.includes(Number(q.from)) ? Number(q.from) : versions[1] ?? versions[0];
    const names = new Map((await listPeople(db)).map((p) => [p.id, p.name]));
    const desks = new Map((await listDesks(db)).map((d) => [d.id, d.name]));
    const diff =
      from !== undefined && to !== undefined
        ? {
            from,
            to,
            fields: diffSnapshots((await getRevision(db, id, from)).fields, (await getRevision(db, id, to)).fields, (fieldName, value) => {
              if (fieldName === 'bylineIds') return (value as number[]).map((v) => names.get(v) ?? `#${v}`).join(', ');
              if (fieldName === 'deskId') return desks.get(value as number) ?? String(value);
              return undefined;
            }),
          }
        : null;
    const canRestore = permissions.canEdit || permissions.actions.includes('update');
    return sendAdminPage(reply, HistoryPage({ chrome, view: { id, headline: article.headline, version: article.version, audit, revisions, diff, canRestore } }));
  });

  app.post<{ Params: { id: string; version: string } }>('/admin/stories/:id/revisions/:version/restore', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    const id = idParam(request.params.id);
    const version = idParam(request.params.version);
    if (!csrfValid(request, reply)) return reply.redirect(`/admin/stories/${id}/history`, 303);
    try {
      await db.transaction().execute((trx) => restoreRevision(trx, chrome.actor, id, version, Number(field(request.body, 'baseVersion')) || 0));
    } catch (error) {
      const refused = refusal(error);
      if (refused) return showRefused(reply, chrome, id, (await editorView(chrome, id)).form, refused.status, refused.extra);
      throw error;
    }
    return reply.redirect(`/admin/stories/${id}?done=restored`, 303);
  });

  app.get<{ Params: { id: string } }>('/admin/stories/:id/preview', async (request, reply) => {
    const chrome = await adminChrome(request, reply, db, config);
    if (!chrome) return reply;
    const id = idParam(request.params.id);
    const article = await loadStoryFor(db, chrome.actor, id);
    const [siteChrome, recent] = await Promise.all([loadChrome(db, config), listPublic(db, { limit: 6, excludeIds: [id] })]);
    const page = renderHtml(ArticlePage({ chrome: siteChrome, data: { article: { ...article, publishedAt: article.publishedAt ?? new Date().toISOString() }, recent: recent.items, related: [] } }));
    // The public page exactly, with a banner saying it is a preview, and never cached or indexed.
    // A landmark of its own, after the page's skip link (which must stay the first thing to focus).
    const banner = `<aside class="preview-banner" aria-label="Preview" style="position:sticky;top:0;z-index:20;background:#8a5a00;color:#fff;padding:0.6rem 1rem;font:600 0.95rem system-ui,sans-serif;text-align:center"><p style="margin:0">Preview of version ${article.version} (${article.status.replace('_', ' ')}) — readers do not see this page. <a style="color:#fff" href="/admin/stories/${id}">Back to the editor</a></p></aside>`;
    const html = page.replace(/(<body>(?:<a class="skip-link"[^>]*>[^<]*<\/a>)?)/, `$1${banner}`).replace('<head>', '<head><meta name="robots" content="noindex, nofollow">');
    return reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex, nofollow').type('text/html; charset=utf-8').send(html);
  });
}
