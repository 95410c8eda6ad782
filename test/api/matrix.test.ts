// The whole permission matrix through HTTP: every role × every command × own/other desk ×
// own/other story, with Bearer tokens against the real app.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eachDatabase } from '../helpers/databases.ts';
import { startApp, type TestApp } from '../helpers/app.ts';
import { createDesk, setDeskEditors } from '../../src/newsroom/desks/repository.ts';
import { createPerson } from '../../src/newsroom/people/repository.ts';
import { createUser, type Role } from '../../src/newsroom/users.ts';
import { createApiToken } from '../../src/newsroom/auth/tokens.ts';
import { createStory, transition } from '../../src/newsroom/workflow/commands.ts';
import { COMMANDS, FROM, type Actor, type Command } from '../../src/newsroom/workflow/policy.ts';
import type { Status } from '../../src/newsroom/articles/types.ts';

interface Member {
  actor: Actor;
  token: string;
}

/** The rule as the issue states it, independent of the policy module. */
function expected(role: Role, command: Command, ownDesk: boolean, ownStory: boolean, status: Status): boolean {
  if (role === 'admin' || role === 'managing_editor') return true;
  if (role === 'desk_editor' && ownDesk) return true;
  if (!ownStory) return false;
  return command === 'submit' || (command === 'edit' && (status === 'draft' || status === 'changes_requested'));
}

const PATHS: Record<Status, Array<Exclude<Command, 'create' | 'edit'>>> = {
  draft: [],
  submitted: ['submit'],
  changes_requested: ['submit', 'request_changes'],
  approved: ['submit', 'approve'],
  scheduled: ['submit', 'schedule'],
  published: ['submit', 'publish'],
  unpublished: ['submit', 'publish', 'unpublish'],
};

eachDatabase('permission matrix through the API', (kind) => {
  let t: TestApp;
  let deskA: number;
  let deskB: number;
  const members = {} as Record<'contributor' | 'deskEditor' | 'managing' | 'admin' | 'other' | 'boss', Member>;

  before(async () => {
    t = await startApp(kind);
    const db = t.db.kysely;
    deskA = (await createDesk(db, { name: 'Desk A' })).id;
    deskB = (await createDesk(db, { name: 'Desk B' })).id;
    const roles: Record<keyof typeof members, Role> = {
      contributor: 'contributor',
      deskEditor: 'desk_editor',
      managing: 'managing_editor',
      admin: 'admin',
      other: 'contributor',
      boss: 'managing_editor',
    };
    for (const [key, role] of Object.entries(roles) as Array<[keyof typeof members, Role]>) {
      const person = await createPerson(db, { name: `Member ${key}` });
      const user = await createUser(db, { email: `${key}@example.com`, role, personId: person.id });
      members[key] = { actor: { userId: user.id, role, personId: person.id }, token: (await createApiToken(db, user.id, 'matrix')).secret };
    }
    await setDeskEditors(db, deskA, [members.deskEditor.actor.personId!]);
  });
  after(() => t.close());

  let n = 0;
  async function storyIn(status: Status, owner: Actor, deskId: number): Promise<number> {
    const db = t.db.kysely;
    const { id } = await createStory(db, owner, { headline: `Matrix story ${n++}`, deskId, bodyHtml: '<p>Text.</p>' });
    for (const step of PATHS[status]) await transition(db, members.boss.actor, id, step, { note: 'note', at: new Date(Date.now() + 3_600_000) });
    return id;
  }

  for (const key of ['contributor', 'deskEditor', 'managing', 'admin'] as const) {
    test(`${key}: every command over HTTP`, async () => {
      const me = members[key];
      for (const command of COMMANDS.filter((c) => c !== 'create')) {
        for (const ownDesk of [true, false]) {
          for (const ownStory of [true, false]) {
            const status = FROM[command][0]!;
            const deskId = ownDesk ? deskA : deskB;
            const id = await storyIn(status, ownStory ? me.actor : members.other.actor, deskId);
            const res =
              command === 'edit'
                ? await t.app.inject({
                    method: 'PUT',
                    url: `/api/newsroom/v1/stories/${id}`,
                    headers: { authorization: `Bearer ${me.token}` },
                    payload: { baseVersion: 1, story: { headline: `Edited ${n++}`, deskId, bodyHtml: '<p>New.</p>' } },
                  })
                : await t.app.inject({
                    method: 'POST',
                    url: `/api/newsroom/v1/stories/${id}/${command.replace('_', '-')}`,
                    headers: { authorization: `Bearer ${me.token}` },
                    payload: { note: 'because', at: new Date(Date.now() + 7_200_000).toISOString() },
                  });
            const allowed = expected(me.actor.role, command, ownDesk && key === 'deskEditor', ownStory, status);
            const label = `${key} ${command} ownDesk=${ownDesk} ownStory=${ownStory}: ${res.body.slice(0, 200)}`;
            assert.equal(res.statusCode, allowed ? 200 : 403, label);
            if (!allowed) assert.equal((res.json() as { error: { code: string } }).error.code, 'forbidden', label);
          }
        }
      }
    });
  }
});
