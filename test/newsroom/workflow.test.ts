import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eachDatabase } from '../helpers/databases.ts';
import type { Db } from '../../src/db/connection.ts';
import type { Queryable } from '../../src/newsroom/db.ts';
import { createDesk, setDeskEditors } from '../../src/newsroom/desks/repository.ts';
import { createPerson } from '../../src/newsroom/people/repository.ts';
import { createUser, type Role } from '../../src/newsroom/users.ts';
import { COMMANDS, FROM, type Actor, type Command } from '../../src/newsroom/workflow/policy.ts';
import { createStory, publishDue, restoreRevision, saveStory, transition, type ConflictDetails } from '../../src/newsroom/workflow/commands.ts';
import { NewsroomError } from '../../src/newsroom/errors.ts';
import { findForReader, listPublic } from '../../src/newsroom/articles/repository.ts';
import { listAudit } from '../../src/newsroom/workflow/audit.ts';
import { getRevision, listRevisions } from '../../src/newsroom/revisions/repository.ts';
import { diffSnapshots } from '../../src/newsroom/revisions/diff.ts';
import type { Status } from '../../src/newsroom/articles/types.ts';

interface World {
  deskA: number;
  deskB: number;
  actors: Record<'contributor' | 'otherContributor' | 'editorA' | 'managing' | 'admin', Actor>;
}

async function makeWorld(db: Queryable): Promise<World> {
  const deskA = (await createDesk(db, { name: 'Desk A' })).id;
  const deskB = (await createDesk(db, { name: 'Desk B' })).id;
  const actor = async (name: string, role: Role): Promise<Actor> => {
    const person = await createPerson(db, { name });
    const user = await createUser(db, { email: `${person.slug}@example.com`, role, personId: person.id });
    return { userId: user.id, role, personId: person.id };
  };
  const actors = {
    contributor: await actor('Writer One', 'contributor'),
    otherContributor: await actor('Writer Two', 'contributor'),
    editorA: await actor('Editor A', 'desk_editor'),
    managing: await actor('Managing Editor', 'managing_editor'),
    admin: await actor('Admin Person', 'admin'),
  };
  await setDeskEditors(db, deskA, [actors.editorA.personId!]);
  return { deskA, deskB, actors };
}

const body = (text: string) => `<p>${text}</p>`;

/** Drives a story from draft to the status a command starts from, as the managing editor. */
async function storyIn(db: Queryable, world: World, status: Status, owner: Actor, deskId: number, headline: string): Promise<number> {
  const { id } = await createStory(db, owner, { headline, deskId, bodyHtml: body('Text of the story.') });
  const boss = world.actors.managing;
  const path: Record<Status, Array<Exclude<Command, 'create' | 'edit'>>> = {
    draft: [],
    submitted: ['submit'],
    changes_requested: ['submit', 'request_changes'],
    approved: ['submit', 'approve'],
    scheduled: ['submit', 'schedule'],
    published: ['submit', 'publish'],
    unpublished: ['submit', 'publish', 'unpublish'],
  };
  for (const step of path[status]) {
    await transition(db, boss, id, step, { note: 'note', at: new Date(Date.now() + 3_600_000) });
  }
  return id;
}

/** The rule as the issue states it, written independently of the policy module. */
function expected(role: Role, command: Command, ownDesk: boolean, ownStory: boolean, status: Status): boolean {
  if (role === 'admin' || role === 'managing_editor') return true;
  if (role === 'desk_editor' && ownDesk) return true;
  if (!ownStory) return false;
  return command === 'submit' || (command === 'edit' && (status === 'draft' || status === 'changes_requested'));
}

eachDatabase('editorial workflow', (kind) => {
  let db: Db;
  let dispose: () => Promise<void>;
  let world: World;
  before(async () => {
    ({ db, dispose } = await kind.create());
    world = await makeWorld(db.kysely);
  });
  after(() => dispose());

  describe('the permission matrix', () => {
    const roles: Array<{ key: keyof World['actors']; role: Role }> = [
      { key: 'contributor', role: 'contributor' },
      { key: 'editorA', role: 'desk_editor' },
      { key: 'managing', role: 'managing_editor' },
      { key: 'admin', role: 'admin' },
    ];
    for (const { key, role } of roles) {
      test(`${role}: every command × own/other desk × own/other story`, async () => {
        let n = 0;
        for (const command of COMMANDS.filter((c) => c !== 'create')) {
          for (const ownDesk of [true, false]) {
            for (const ownStory of [true, false]) {
              const actor = world.actors[key];
              const owner = ownStory ? actor : world.actors.otherContributor;
              const status = FROM[command][0]!;
              const deskId = ownDesk ? world.deskA : world.deskB;
              const id = await storyIn(db.kysely, world, status, owner, deskId, `M ${role} ${command} ${ownDesk} ${ownStory} ${n++}`);
              const run = () =>
                command === 'edit'
                  ? saveStory(db.kysely, actor, id, { headline: `Edited ${n}`, slug: `edited-${role.replace('_', '-')}-${n}`, deskId, bodyHtml: body('New.') }, 1)
                  : transition(db.kysely, actor, id, command, { note: 'because', at: new Date(Date.now() + 7_200_000) });
              const label = `${role} ${command} ownDesk=${ownDesk} ownStory=${ownStory}`;
              if (expected(role, command, ownDesk && role !== 'contributor', ownStory, status)) {
                await assert.doesNotReject(run(), label);
              } else {
                await assert.rejects(run(), (e: unknown) => e instanceof NewsroomError && e.code === 'forbidden', label);
              }
            }
          }
        }
      });
    }
    test('a contributor creates drafts with their own byline; invalid transitions get a clear error', async () => {
      const writer = world.actors.contributor;
      const { id } = await createStory(db.kysely, writer, { headline: 'Mine', deskId: world.deskA });
      const row = await db.kysely.selectFrom('article_bylines').select('person_id').where('article_id', '=', id).execute();
      assert.deepEqual(row.map((r) => r.person_id), [writer.personId]);
      await assert.rejects(transition(db.kysely, world.actors.managing, id, 'approve'), (e: unknown) => e instanceof NewsroomError && e.code === 'conflict' && /cannot approve a draft/.test(e.message));
      await assert.rejects(transition(db.kysely, world.actors.managing, id, 'correct', { note: 'x' }), /cannot correct a draft/);
    });
  });

  test('the story of a story', async () => {
    const { contributor: writer, editorA: editor } = world.actors;
    const start = new Date();
    const { id } = await createStory(db.kysely, writer, { headline: 'Budget vote delayed', deskId: world.deskA, bodyHtml: body('Parliament delayed the vote.'), tags: ['Budget'] });
    await transition(db.kysely, writer, id, 'submit');
    await assert.rejects(transition(db.kysely, editor, id, 'request_changes'), /what to change/);
    await transition(db.kysely, editor, id, 'request_changes', { note: 'Add the date of the new vote.' });
    await saveStory(db.kysely, writer, id, { headline: 'Budget vote delayed to Sunday', deskId: world.deskA, slug: 'budget-vote-delayed', bodyHtml: body('Parliament delayed the vote to Sunday.'), tags: ['Budget'] }, 1);
    await transition(db.kysely, writer, id, 'submit');
    await transition(db.kysely, editor, id, 'approve');
    await transition(db.kysely, editor, id, 'publish');

    const lookup = await findForReader(db.kysely, 'budget-vote-delayed');
    assert.equal(lookup.kind, 'found');
    const home = await listPublic(db.kysely, { limit: 6 });
    assert.ok(home.items.some((s) => s.id === id), 'on the home page and in Recent Posts');
    assert.ok((await listPublic(db.kysely, { deskId: world.deskA, limit: 20 })).items.some((s) => s.id === id), 'on its desk page');

    await assert.rejects(transition(db.kysely, editor, id, 'correct'), /public note/);
    await transition(db.kysely, editor, id, 'correct', {
      note: 'An earlier version gave the wrong day.',
      content: { input: { headline: 'Budget vote delayed to Monday', deskId: world.deskA, slug: 'budget-vote-delayed', bodyHtml: body('Parliament delayed the vote to Monday.'), tags: ['Budget'] }, baseVersion: 2 },
    });
    const events = await db.kysely.selectFrom('article_events').selectAll().where('article_id', '=', id).execute();
    assert.deepEqual(events.map((e) => [e.kind, e.note]), [['correction', 'An earlier version gave the wrong day.']]);
    const after = await findForReader(db.kysely, 'budget-vote-delayed');
    assert.ok(after.kind === 'found' && after.article.updatedAt && after.article.updatedAt >= start.toISOString());

    const audit = await listAudit(db.kysely, id);
    assert.deepEqual(
      audit.map((a) => [a.action, a.fromStatus, a.toStatus]),
      [
        ['create', null, 'draft'],
        ['submit', 'draft', 'submitted'],
        ['request_changes', 'submitted', 'changes_requested'],
        ['save', null, null],
        ['submit', 'changes_requested', 'submitted'],
        ['approve', 'submitted', 'approved'],
        ['publish', 'approved', 'published'],
        ['correct', 'published', 'published'],
      ],
    );
    assert.equal(audit[2]?.note, 'Add the date of the new vote.');
    assert.equal(audit[0]?.userEmail, 'writer-one@example.com');
    const revisions = await listRevisions(db.kysely, id);
    assert.deepEqual(revisions.map((r) => r.version), [3, 2, 1]);
    const diff = diffSnapshots((await getRevision(db.kysely, id, 1)).fields, (await getRevision(db.kysely, id, 3)).fields);
    const headline = diff.find((d) => d.field === 'Headline')!;
    assert.ok(headline.changed);
    assert.deepEqual(headline.parts.filter((p) => p.kind !== 'same').map((p) => [p.kind, p.text.trim()]), [['added', 'to Monday']]);
    assert.equal(diff.find((d) => d.field === 'Tags')?.changed, false);

    const restored = await restoreRevision(db.kysely, editor, id, 1, 3);
    assert.equal(restored.version, 4);
    const current = await findForReader(db.kysely, 'budget-vote-delayed');
    assert.ok(current.kind === 'found' && current.article.headline === 'Budget vote delayed');
    assert.deepEqual((await listRevisions(db.kysely, id)).map((r) => r.version), [4, 3, 2, 1], 'restoring adds a revision and loses none');

    await transition(db.kysely, editor, id, 'unpublish', { note: 'Legal review.' });
    assert.equal((await findForReader(db.kysely, 'budget-vote-delayed')).kind, 'gone');
  });

  test('two editors saving the same version cannot overwrite each other', async () => {
    const { editorA, managing } = world.actors;
    const { id } = await createStory(db.kysely, editorA, { headline: 'Shared story', deskId: world.deskA, bodyHtml: body('First text.') });
    const mine = { headline: 'Shared story', slug: 'shared-story', deskId: world.deskA, bodyHtml: body('Editor A text.') };
    const theirs = { headline: 'Shared story', slug: 'shared-story', deskId: world.deskA, bodyHtml: body('Managing editor text.') };
    assert.equal((await saveStory(db.kysely, managing, id, theirs, 1)).version, 2);
    await assert.rejects(saveStory(db.kysely, editorA, id, mine, 1), (e: unknown) => {
      assert.ok(e instanceof NewsroomError && e.code === 'conflict');
      const details = e.details as ConflictDetails;
      assert.equal(details.currentVersion, 2);
      assert.equal(details.yours.bodyHtml, '<p>Editor A text.</p>');
      assert.equal(details.theirs.bodyHtml, '<p>Managing editor text.</p>');
      return true;
    });
    const stored = await db.kysely.selectFrom('articles').select(['body_html', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(stored, { body_html: '<p>Managing editor text.</p>', version: 2 });
  });

  test('scheduled stories stay hidden until due, then publish once (also when caught up late)', async () => {
    const { editorA } = world.actors;
    const now = new Date();
    const { id } = await createStory(db.kysely, editorA, { headline: 'Scheduled story', deskId: world.deskA, bodyHtml: body('Later.') });
    await transition(db.kysely, editorA, id, 'submit');
    await assert.rejects(transition(db.kysely, editorA, id, 'schedule', { at: new Date(now.getTime() - 1000) }), /future/);
    await transition(db.kysely, editorA, id, 'schedule', { at: new Date(now.getTime() + 60_000) });
    assert.equal((await findForReader(db.kysely, 'scheduled-story')).kind, 'missing');
    assert.deepEqual(await publishDue(db.kysely, now), []);
    // The server was down when the time came; it catches up an hour later.
    const later = new Date(now.getTime() + 3_600_000);
    assert.deepEqual(await publishDue(db.kysely, later), [id]);
    assert.deepEqual(await publishDue(db.kysely, later), [], 'published once');
    const row = await db.kysely.selectFrom('articles').select(['status', 'published_at']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'published');
    assert.equal(row.published_at, new Date(now.getTime() + 60_000).toISOString(), 'keeps its scheduled time');
  });

  test('an embargoed story is invisible until its embargo passes', async () => {
    const { managing } = world.actors;
    const { id } = await createStory(db.kysely, managing, { headline: 'Embargoed story', deskId: world.deskB, bodyHtml: body('Secret until noon.') });
    await transition(db.kysely, managing, id, 'submit');
    const until = new Date(Date.now() + 3_600_000);
    await transition(db.kysely, managing, id, 'publish', { embargoUntil: until });
    assert.equal((await findForReader(db.kysely, 'embargoed-story')).kind, 'missing');
    assert.ok(!(await listPublic(db.kysely, { limit: 50 })).items.some((s) => s.id === id));
    assert.equal((await findForReader(db.kysely, 'embargoed-story', new Date(until.getTime() + 1000))).kind, 'found');
  });
});
