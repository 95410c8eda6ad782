// The media library's domain on a real database (SQLite, and PostgreSQL when configured):
// upload, refusals that store nothing, search, text changes, deletes and where images are used.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { eachDatabase } from '../helpers/databases.ts';
import { makeUser } from '../auth/factories.ts';
import type { Db } from '../../src/db/connection.ts';
import type { Actor } from '../../src/newsroom/auth/types.ts';
import { NewsroomError } from '../../src/newsroom/errors.ts';
import { createArticle } from '../../src/newsroom/articles/commands.ts';
import { createDesk } from '../../src/newsroom/desks/repository.ts';
import { deleteMedia, updateMediaText, uploadImage, type UploadInput } from '../../src/media/commands.ts';
import { getMedia, mediaUses, pictureForMediaId, searchMedia } from '../../src/media/queries.ts';
import { mediaUrl, bodyFigureHtml } from '../../src/media/picture.ts';
import { DiskStorage, type MediaStorage } from '../../src/media/storage.ts';
import { exifGpsTags, gif, photoAvif, photoJpeg, photoWebp, transparentPng } from './factories.ts';

const MAX = 5 * 1024 * 1024;

/** Every file under a folder, as paths relative to it. */
function filesUnder(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name).slice(root.length + 1)]));
  try {
    return walk(root).sort();
  } catch {
    return [];
  }
}

const refusal = (fields: Record<string, RegExp>) => (error: unknown) => {
  assert.ok(error instanceof NewsroomError, String(error));
  assert.equal(error.code, 'invalid_input');
  for (const [field, pattern] of Object.entries(fields)) assert.match(error.fields[field] ?? '', pattern, `${field}: ${JSON.stringify(error.fields)}`);
  return true;
};

eachDatabase('media library', (kind) => {
  let db: Db;
  let dispose: () => Promise<void>;
  let root: string;
  let storage: MediaStorage;
  let writer: Actor;
  let otherWriter: Actor;
  let editor: Actor;
  const upload = (actor: Actor, input: Partial<UploadInput> & { bytes: Buffer }) =>
    uploadImage(db.kysely, storage, actor, { filename: 'photo.jpg', alt: 'A photo', ...input }, { maxBytes: MAX });

  before(async () => {
    ({ db, dispose } = await kind.create());
    root = mkdtempSync(join(tmpdir(), 'dateline-media-'));
    storage = new DiskStorage(root);
    writer = await makeUser(db.kysely, { email: 'writer@example.com', role: 'contributor', password: null });
    otherWriter = await makeUser(db.kysely, { email: 'other@example.com', role: 'contributor', password: null });
    editor = await makeUser(db.kysely, { email: 'editor@example.com', role: 'desk_editor', password: null });
  });
  after(async () => {
    await dispose();
    rmSync(root, { recursive: true, force: true });
  });

  test('a photo with GPS and camera metadata: every stored file is clean, and all widths exist', async () => {
    const bytes = await photoJpeg(2000, 1500, { metadata: true });
    const before = await sharp(bytes).metadata();
    assert.ok(exifGpsTags(before.exif).length >= 4, 'sharp sees the GPS tags in the upload');
    assert.ok(before.exif?.includes('SecretCam') && before.xmp && before.icc);

    const media = await upload(writer, { bytes, filename: 'C:\\Users\\ana\\DSC_0001.JPG', alt: '  Protesters   outside the ministry ', caption: 'Tehran, Monday.', credit: 'Ana Rahimi/IFP' });
    assert.equal(media.mime, 'image/jpeg');
    assert.equal(media.originalName, 'DSC_0001.JPG', 'no folders');
    assert.equal(media.alt, 'Protesters outside the ministry');
    assert.deepEqual([media.width, media.height, media.bytes, media.fallback, media.uploadedBy], [2000, 1500, bytes.length, 'jpeg', writer.userId]);
    const expected = ['original.jpg', ...[320, 640, 960, 1280, 1920].flatMap((w) => ['avif', 'webp', 'jpg'].map((ext) => `${w}x${(w * 3) / 4}.${ext}`))];
    assert.deepEqual(media.files.map((f) => f.name), expected);
    const stored = filesUnder(root).filter((p) => p.includes(media.key));
    assert.deepEqual(stored.map((p) => p.split('/').pop()).sort(), [...expected].sort(), 'exactly these files are on disk');
    for (const path of stored) {
      const data = readFileSync(join(root, path));
      const meta = await sharp(data).metadata();
      const file = media.files.find((f) => path.endsWith(f.name))!;
      assert.deepEqual([meta.width, meta.height, data.length], [file.width, file.height, file.bytes], path);
      assert.equal(meta.exif, undefined, `${path}: no EXIF (so no GPS)`);
      assert.deepEqual(exifGpsTags(meta.exif), []);
      assert.equal(meta.xmp, undefined, `${path}: no XMP`);
      assert.equal(meta.icc, undefined, `${path}: no ICC profile`);
      for (const secret of ['SecretCam', 'LeakyEditor', 'XmpSecretAuthor']) assert.equal(data.includes(secret), false, `${path} has no ${secret}`);
    }
    assert.equal(mediaUrl(media), `/media/${media.key}/1920x1440.jpg`);
    assert.deepEqual(await getMedia(db.kysely, media.id), media);
  });

  test('a rotated photo is stored upright; a small one is never upscaled', async () => {
    const media = await upload(writer, { bytes: await photoJpeg(600, 400, { orientation: 6, halves: true }), alt: 'Turned' });
    assert.deepEqual([media.width, media.height], [400, 600]);
    assert.deepEqual(media.files.map((f) => f.name), ['original.jpg', '320x480.avif', '320x480.webp', '320x480.jpg', '400x600.avif', '400x600.webp', '400x600.jpg']);
    const original = readFileSync(join(root, media.key.slice(0, 2), media.key, 'original.jpg'));
    const meta = await sharp(original).metadata();
    assert.deepEqual([meta.width, meta.height, meta.orientation], [400, 600, undefined]);
    const { data, info } = await sharp(original).raw().toBuffer({ resolveWithObject: true });
    const red = (x: number, y: number) => data[(y * info.width + x) * info.channels]!;
    assert.ok(red(200, 30) > 150 && red(200, 570) < 100, 'the red half is on top, as the camera saw it');
  });

  test('WebP and AVIF uploads are taken; a transparent PNG keeps a PNG fallback', async () => {
    const webp = await upload(writer, { bytes: await photoWebp(500, 250), filename: 'a.webp' });
    assert.deepEqual([webp.mime, webp.fallback], ['image/webp', 'jpeg']);
    const avif = await upload(writer, { bytes: await photoAvif(500, 250), filename: 'a.avif' });
    assert.deepEqual([avif.mime, avif.fallback], ['image/avif', 'jpeg']);
    const png = await upload(writer, { bytes: await transparentPng(640, 320), filename: 'logo.png', alt: 'Logo' });
    assert.deepEqual([png.mime, png.fallback], ['image/png', 'png']);
    assert.deepEqual(png.files.map((f) => f.name), ['original.png', '320x160.avif', '320x160.webp', '320x160.png', '640x320.avif', '640x320.webp', '640x320.png']);
    assert.match(mediaUrl(png), /\/640x320\.png$/);
  });

  test('refused uploads say why, field by field, and store no file and no row', async () => {
    const filesBefore = filesUnder(root);
    const rowsBefore = (await searchMedia(db.kysely)).total;
    await assert.rejects(upload(writer, { bytes: await gif(40, 40), filename: 'cat.gif' }), refusal({ file: /^This file is a GIF; upload JPEG, PNG, WebP or AVIF\.$/ }));
    await assert.rejects(upload(writer, { bytes: Buffer.from('just some text\n'), filename: 'notes.jpg' }), refusal({ file: /its name ends in \.jpg, but it is not a JPEG/ }));
    await assert.rejects(upload(writer, { bytes: await photoJpeg(60, 40), alt: '   ' }), refusal({ alt: /alt text/ }));
    await assert.rejects(
      upload(writer, { bytes: await gif(4, 4), alt: '', caption: 'c'.repeat(1001), credit: 'r'.repeat(201) }),
      refusal({ file: /GIF/, alt: /alt text/, caption: /1001 characters; keep it to 1000/, credit: /201 characters; keep it to 200/ }),
    );
    await assert.rejects(upload(writer, { bytes: await photoJpeg(60, 40), alt: 'a'.repeat(301) }), refusal({ alt: /301 characters; keep it to 300/ }));
    await assert.rejects(upload(writer, { bytes: Buffer.alloc(0) }), refusal({ file: /Choose an image/ }));
    const jpeg = await photoJpeg(300, 200);
    await assert.rejects(upload(writer, { bytes: jpeg.subarray(0, jpeg.length - 400) }), refusal({ file: /could not be read to the end/ }));
    await assert.rejects(
      uploadImage(db.kysely, storage, writer, { bytes: await photoJpeg(300, 200), alt: 'Big' }, { maxBytes: 1024 }),
      (error: unknown) => error instanceof NewsroomError && error.code === 'payload_too_large' && /^This file is \d+ KB; the largest image we accept is 1 KB\./.test(error.message),
    );
    assert.deepEqual(filesUnder(root), filesBefore, 'no file was written');
    assert.equal((await searchMedia(db.kysely)).total, rowsBefore, 'no row was written');
  });

  test('the same bytes twice: two library entries with their own text, one set of files', async () => {
    const bytes = await photoJpeg(330, 200);
    const a = await upload(writer, { bytes, alt: 'First use' });
    const filesAfterFirst = filesUnder(root);
    const b = await upload(otherWriter, { bytes, alt: 'Second use' });
    assert.equal(a.key, b.key);
    assert.notEqual(a.id, b.id);
    assert.deepEqual(b.files, a.files);
    assert.deepEqual(a.files.map((f) => f.name), ['original.jpg', '330x200.avif', '330x200.webp', '330x200.jpg'], '320 is within 10% of 330');
    assert.deepEqual(filesUnder(root), filesAfterFirst);
    // Deleting one keeps the files for the other.
    assert.deepEqual(await deleteMedia(db.kysely, storage, editor, a.id), { filesRemoved: false, usedBy: [] });
    assert.ok(statSync(join(root, b.key.slice(0, 2), b.key, 'original.jpg')).isFile());
    assert.deepEqual(await deleteMedia(db.kysely, storage, editor, b.id), { filesRemoved: true, usedBy: [] });
    assert.equal(filesUnder(root).some((p) => p.includes(b.key)), false);
  });

  test('search by alt text, caption, credit or file name, any case; paging', async () => {
    const bytes = (w: number) => photoJpeg(w, 100);
    const x = await upload(writer, { bytes: await bytes(101), alt: 'Oil tanker at Bandar Abbas', caption: 'Loading crude', credit: 'Reza Karimi', filename: 'port.jpg' });
    const y = await upload(writer, { bytes: await bytes(102), alt: 'Parliament session', caption: 'Deputies vote on the BUDGET', credit: 'IFP photo', filename: 'majlis_100%.jpg' });
    const z = await upload(otherWriter, { bytes: await bytes(103), alt: 'Football final', caption: '', credit: 'Reza Karimi', filename: 'stadium.jpg' });
    const ids = async (q: string, extra: { uploadedBy?: number } = {}) => (await searchMedia(db.kysely, { q, ...extra })).items.map((m) => m.id);
    assert.deepEqual(await ids('TANKER'), [x.id], 'alt, any case');
    assert.deepEqual(await ids('budget'), [y.id], 'caption');
    assert.deepEqual(await ids('reza karimi'), [z.id, x.id], 'credit, every word, newest first');
    assert.deepEqual(await ids('stadium'), [z.id], 'file name');
    assert.deepEqual(await ids('s_100%'), [y.id], 'LIKE wildcards in a word are its own letters');
    assert.deepEqual(await ids('p_rt'), [], '_ is not "any letter"');
    assert.deepEqual(await ids('po%t'), [], '% is not "anything"');
    assert.deepEqual(await ids('karimi final'), [z.id]);
    assert.deepEqual(await ids('reza', { uploadedBy: writer.userId }), [x.id]);
    assert.deepEqual(await ids('nothing-like-this'), []);
    const page = await searchMedia(db.kysely, { q: 'reza', limit: 1 });
    assert.deepEqual([page.items.length, page.total, page.more], [1, 2, true]);
    const second = await searchMedia(db.kysely, { q: 'reza', limit: 1, offset: 1 });
    assert.deepEqual([second.items[0]!.id, second.more], [x.id, false]);
  });

  test('text changes: the uploader or an editor; alt text stays required', async () => {
    const media = await upload(writer, { bytes: await photoJpeg(104, 100), alt: 'Before' });
    const changed = await updateMediaText(db.kysely, writer, media.id, { caption: 'A caption' }, new Date('2026-11-28T09:00:00Z'));
    assert.deepEqual([changed.alt, changed.caption, changed.updatedAt], ['Before', 'A caption', '2026-11-28T09:00:00.000Z']);
    await assert.rejects(updateMediaText(db.kysely, otherWriter, media.id, { alt: 'Mine now' }), (e: unknown) => e instanceof NewsroomError && e.code === 'forbidden');
    assert.equal((await updateMediaText(db.kysely, editor, media.id, { alt: 'After', credit: 'Desk' })).alt, 'After');
    await assert.rejects(updateMediaText(db.kysely, writer, media.id, { alt: '' }), refusal({ alt: /alt text/ }));
    await assert.rejects(updateMediaText(db.kysely, editor, 999_999, { alt: 'x' }), (e: unknown) => e instanceof NewsroomError && e.code === 'not_found');
  });

  test('delete: editors only; refused while a story shows the image, unless forced', async () => {
    const desk = await createDesk(db.kysely, { name: 'Politics' });
    const lead = await upload(writer, { bytes: await photoJpeg(800, 400), alt: 'Lead' });
    const inBody = await upload(writer, { bytes: await photoJpeg(801, 400), alt: 'Body' });
    const storyId = await createArticle(db.kysely, {
      headline: 'Ministers meet',
      deskId: desk.id,
      leadImage: { url: mediaUrl(lead), alt: lead.alt, caption: '', credit: '' },
      bodyHtml: `<p>Text.</p>${bodyFigureHtml(inBody)}`,
    });
    assert.deepEqual(await mediaUses(db.kysely, lead), [{ articleId: storyId, headline: 'Ministers meet', status: 'draft', as: ['lead'] }]);
    assert.deepEqual((await mediaUses(db.kysely, inBody)).map((u) => u.as), [['body']]);

    await assert.rejects(deleteMedia(db.kysely, storage, writer, lead.id), (e: unknown) => e instanceof NewsroomError && e.code === 'forbidden');
    await assert.rejects(deleteMedia(db.kysely, storage, editor, lead.id), (e: unknown) => {
      assert.ok(e instanceof NewsroomError && e.code === 'conflict');
      assert.match(e.message, /used by a story/);
      assert.deepEqual((e.details as { usedBy: Array<{ articleId: number }> }).usedBy.map((u) => u.articleId), [storyId]);
      return true;
    });
    assert.ok(statSync(join(root, lead.key.slice(0, 2), lead.key, 'original.jpg')).isFile(), 'nothing removed');
    const forced = await deleteMedia(db.kysely, storage, editor, lead.id, { force: true });
    assert.equal(forced.filesRemoved, true);
    assert.deepEqual(forced.usedBy.map((u) => u.articleId), [storyId]);
    assert.equal(filesUnder(root).some((p) => p.includes(lead.key)), false);
    await assert.rejects(getMedia(db.kysely, lead.id), (e: unknown) => e instanceof NewsroomError && e.code === 'not_found');
  });

  test('pictureForMediaId gives what <picture> needs', async () => {
    const media = await upload(writer, { bytes: await photoJpeg(1000, 500), alt: 'Wide view' });
    const picture = await pictureForMediaId(db.kysely, media.id, '100vw');
    assert.equal(picture.alt, 'Wide view');
    assert.deepEqual([picture.width, picture.height, picture.sizes, picture.type], [1000, 500, '100vw', 'image/jpeg']);
    assert.equal(picture.sources[1]!.srcset, `/media/${media.key}/320x160.webp 320w, /media/${media.key}/640x320.webp 640w, /media/${media.key}/1000x500.webp 1000w`);
    // Every URL it names is a stored file.
    const urls = [picture.src, ...[picture.srcset, ...picture.sources.map((s) => s.srcset)].flatMap((s) => s.split(', ').map((c) => c.split(' ')[0]!))];
    for (const url of urls) assert.ok(media.files.some((f) => url === `/media/${media.key}/${f.name}`), url);
  });
});
