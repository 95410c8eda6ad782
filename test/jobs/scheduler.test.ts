// A story scheduled for a time that passed while the server was down goes live when it starts,
// and one scheduled for a moment from now goes live within seconds, with no request needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eachDatabase } from '../helpers/databases.ts';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/server.ts';
import { createDesk } from '../../src/newsroom/desks/repository.ts';
import { createUser } from '../../src/newsroom/users.ts';
import { createStory, transition } from '../../src/newsroom/workflow/commands.ts';

eachDatabase('scheduled publishing', (kind) => {
  test('publishes on start what fell due while down, and on time while up', async () => {
    const { db, url, dispose } = await kind.create();
    try {
      const desk = await createDesk(db.kysely, { name: 'World' });
      const user = await createUser(db.kysely, { email: 'e@example.com', role: 'managing_editor' });
      const actor = { userId: user.id, role: 'managing_editor' as const, personId: null };
      const schedule = async (headline: string, at: Date, now: Date) => {
        const { id } = await createStory(db.kysely, actor, { headline, deskId: desk.id, bodyHtml: '<p>x</p>' }, now);
        await transition(db.kysely, actor, id, 'submit', {}, now);
        await transition(db.kysely, actor, id, 'schedule', { at }, now);
      };
      // Scheduled yesterday for an hour ago: the server was down at that moment.
      const yesterday = new Date(Date.now() - 24 * 3_600_000);
      await schedule('Missed while down', new Date(Date.now() - 3_600_000), yesterday);
      const dueAt = Date.now() + 4000;
      await schedule('Due in a moment', new Date(dueAt), new Date());

      const app = await buildApp({ config: loadConfig({ DATABASE_URL: url }), db });
      try {
        const get = (slug: string) => app.inject({ method: 'GET', url: `/world/${slug}` });
        const deadline = Date.now() + 5000;
        while ((await get('missed-while-down')).statusCode !== 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        assert.equal((await get('missed-while-down')).statusCode, 200, 'published at start');
        // Checked only while its time is clearly still ahead: a loaded machine may take seconds to start.
        const early = await get('due-in-a-moment');
        if (Date.now() < dueAt - 500) assert.equal(early.statusCode, 404, 'not before its time');
        const due = dueAt + 5000;
        while ((await get('due-in-a-moment')).statusCode !== 200 && Date.now() < due) await new Promise((r) => setTimeout(r, 200));
        assert.equal((await get('due-in-a-moment')).statusCode, 200, 'live within seconds of its time');
        const audit = await db.kysely.selectFrom('audit_log').select(['action', 'user_id', 'note']).where('action', '=', 'publish').execute();
        assert.equal(audit.length, 2);
        assert.ok(audit.every((a) => a.user_id === null && a.note === 'at its scheduled time'));
      } finally {
        await app.close();
      }
    } finally {
      await dispose();
    }
  });
});
