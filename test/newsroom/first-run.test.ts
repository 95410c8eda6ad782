import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eachDatabase } from '../helpers/databases.ts';
import type { Db } from '../../src/db/connection.ts';
import { prepareFirstRun } from '../../src/newsroom/first-run.ts';
import { listPublic } from '../../src/newsroom/articles/repository.ts';
import { findPersonBySlug } from '../../src/newsroom/people/repository.ts';
import { checkSetupToken, completeSetup } from '../../src/newsroom/setup.ts';
import { NewsroomError } from '../../src/newsroom/errors.ts';

eachDatabase('first run', (kind) => {
  let db: Db;
  let dispose: () => Promise<void>;
  before(async () => ({ db, dispose } = await kind.create()));
  after(() => dispose());

  test('seeds the demo once, with the reference story and its six Recent Posts at their ages', async () => {
    const now = new Date('2026-11-28T12:00:00Z');
    const first = await db.kysely.transaction().execute((trx) => prepareFirstRun(trx, { demo: true, ownerEmail: 'chief@example.com', now }));
    assert.deepEqual(first.seeded, { desks: 8, people: 9, stories: 10 });
    assert.ok(first.ownerToken);
    assert.equal(first.ownerEmail, 'chief@example.com');

    const { items } = await listPublic(db.kysely, { limit: 7 }, now);
    assert.equal(items[0]?.slug, 'iranian-consulate-in-kazan-protests-violent-arrest-of-iranian-students-by-russian-police');
    const reference = items.find((s) => s.slug === 'no-talks-to-be-held-with-us-at-any-level-iran-leader');
    assert.equal(reference?.kicker, 'IFP Exclusive');
    assert.deepEqual(reference?.bylines.map((b) => b.name), ['IFP Editorial Staff']);
    const ages = items.filter((s) => s !== reference).map((s) => Math.round((now.getTime() - Date.parse(s.publishedAt)) / 60_000));
    assert.deepEqual(ages, [20, 120, 125, 420, 900, 905]);
    const staff = await findPersonBySlug(db.kysely, 'ifp-editorial-staff');
    assert.equal(staff?.kind, 'collective');
    assert.match(staff?.bio ?? '', /^The IFP Editorial Staff is composed of dozens of skilled journalists/);

    const second = await db.kysely.transaction().execute((trx) => prepareFirstRun(trx, { demo: true, ownerEmail: 'chief@example.com', now }));
    assert.equal(second.seeded, undefined, 'never seeds twice');
    assert.ok(second.ownerToken, 'a fresh link while the owner has no password');
    const count = await db.kysely.selectFrom('articles').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 10);
  });

  test('the set-up link sets the password once, then is spent', async () => {
    const run = await db.kysely.transaction().execute((trx) => prepareFirstRun(trx, { demo: true, ownerEmail: 'chief@example.com' }));
    const token = run.ownerToken!;
    assert.equal((await checkSetupToken(db.kysely, token)).email, 'chief@example.com');
    await assert.rejects(completeSetup(db.kysely, token, 'short', 'short'), (e: unknown) => e instanceof NewsroomError && e.code === 'invalid_input' && 'password' in e.fields);
    await assert.rejects(completeSetup(db.kysely, token, 'a long passphrase', 'a different one'), (e: unknown) => e instanceof NewsroomError && 'confirm' in e.fields);
    await completeSetup(db.kysely, token, 'a long passphrase', 'a long passphrase');
    const owner = await db.kysely.selectFrom('users').select('password_hash').where('email', '=', 'chief@example.com').executeTakeFirstOrThrow();
    assert.match(owner.password_hash ?? '', /^\$argon2id\$/);
    await assert.rejects(checkSetupToken(db.kysely, token), (e: unknown) => e instanceof NewsroomError && e.code === 'gone');
    await assert.rejects(checkSetupToken(db.kysely, 'not-a-token'), (e: unknown) => e instanceof NewsroomError && e.code === 'not_found');
    const later = await db.kysely.transaction().execute((trx) => prepareFirstRun(trx, { demo: true, ownerEmail: 'chief@example.com' }));
    assert.equal(later.ownerToken, undefined, 'no link once the password is set');
  });

  test('expired links are refused', async () => {
    const owner = await db.kysely.selectFrom('users').select('id').executeTakeFirstOrThrow();
    const { issueSetupToken } = await import('../../src/newsroom/setup.ts');
    const token = await issueSetupToken(db.kysely, owner.id, new Date('2020-01-01T00:00:00Z'));
    await assert.rejects(checkSetupToken(db.kysely, token), /expired/);
  });
});

eachDatabase('first run without the demo', (kind) => {
  test('makes only the owner', async () => {
    const { db, dispose } = await kind.create();
    try {
      const run = await db.kysely.transaction().execute((trx) => prepareFirstRun(trx, { demo: false, ownerEmail: 'o@example.com' }));
      assert.equal(run.seeded, undefined);
      assert.ok(run.ownerToken);
      assert.equal((await db.kysely.selectFrom('desks').selectAll().execute()).length, 0);
    } finally {
      await dispose();
    }
  });
});
