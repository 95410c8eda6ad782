// Sniffing, limits and the files made from an upload (sharp, no database), and disk storage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { inspectImage, makeFiles, mediaKey, sniffType, type Inspected } from '../../src/media/images.ts';
import { DiskStorage } from '../../src/media/storage.ts';
import { imageType } from '../../src/site/seo/urls.ts';
import { exifGpsTags, gif, opaquePng, photoAvif, photoJpeg, photoWebp, pngBomb, transparentPng } from './factories.ts';

const ACCEPT = 'upload JPEG, PNG, WebP or AVIF.';

test('the type comes from the bytes: the four accepted types, and named refusals for the rest', async () => {
  assert.deepEqual(sniffType(await photoJpeg(20, 10), 'x.png'), { type: 'image/jpeg' });
  assert.deepEqual(sniffType(await opaquePng(20, 10)), { type: 'image/png' });
  assert.deepEqual(sniffType(await photoWebp(20, 10)), { type: 'image/webp' });
  assert.deepEqual(sniffType(await photoAvif(20, 10)), { type: 'image/avif' });
  assert.deepEqual(sniffType(await gif(20, 10), 'cat.jpg'), { refused: `This file is a GIF; ${ACCEPT}` });
  assert.deepEqual(sniffType(Buffer.from('%PDF-1.7\n…')), { refused: `This file is a PDF document; ${ACCEPT}` });
  assert.deepEqual(sniffType(Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>')), { refused: `This file is an SVG drawing; ${ACCEPT}` });
  const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1')]);
  assert.match((sniffType(heic) as { refused: string }).refused, /^This file is a HEIC image/);
  assert.deepEqual(sniffType(Buffer.from('Dear editor, this is not a photo.'), 'holiday.jpg'), {
    refused: `This file is not an image: its name ends in .jpg, but it is not a JPEG; ${ACCEPT}`,
  });
  assert.deepEqual(sniffType(Buffer.from('plain text'), 'notes'), { refused: `This file is not an image we can read; ${ACCEPT}` });
  // An extension named like an object property is no known extension.
  assert.deepEqual(sniffType(Buffer.from('plain text'), 'notes.constructor'), { refused: `This file is not an image we can read; ${ACCEPT}` });
});

test('limits: a side over 12,000 px, a decompression bomb, a damaged file and an animation are refused from the header', async () => {
  const wide = await sharp({ create: { width: 12_001, height: 4, channels: 3, background: '#888' } }).png().toBuffer();
  assert.match((await inspectImage(wide, 'image/png') as { refused: string }).refused, /^This image is 12,001 × 4 pixels; the largest we accept is 12,000 pixels a side/);

  const bomb = pngBomb(11_000, 10_000);
  assert.ok(bomb.length < 100_000, `the bomb is small on disk (${bomb.length} bytes)`);
  const started = Date.now();
  assert.match((await inspectImage(bomb, 'image/png') as { refused: string }).refused, /^This image has 110 megapixels; the most we accept is 100/);
  assert.ok(Date.now() - started < 1000, 'refused from its header, not by decoding it');

  const jpeg = await photoJpeg(200, 100);
  assert.match((await inspectImage(jpeg.subarray(0, 20), 'image/jpeg') as { refused: string }).refused, /cannot be read: it may be damaged or cut short/);
  // Cut inside the pixels: the header reads, the decoding fails (uploadImage turns that into a 400).
  const cut = jpeg.subarray(0, Math.floor(jpeg.length / 2));
  const header = (await inspectImage(cut, 'image/jpeg')) as Inspected;
  await assert.rejects(makeFiles(cut, header));

  const animated = await sharp(await gif(20, 20), { pages: -1 }).webp().toBuffer();
  const frames = await sharp({ create: { width: 10, height: 20, channels: 3, background: '#f00' } }).webp().toBuffer();
  assert.equal((await inspectImage(frames, 'image/webp') as Inspected).width, 10);
  const twoFrames = await sharp([await sharp({ create: { width: 10, height: 10, channels: 3, background: '#f00' } }).png().toBuffer(), await sharp({ create: { width: 10, height: 10, channels: 3, background: '#00f' } }).png().toBuffer()], { join: { animated: true } }).webp().toBuffer();
  assert.equal((await sharp(twoFrames).metadata()).pages, 2);
  assert.match((await inspectImage(twoFrames, 'image/webp') as { refused: string }).refused, /animated/);
  assert.ok(animated.length > 0);
});

test('the files: upright, sRGB, no metadata, every width in AVIF, WebP and the fallback', async () => {
  const upload = await photoJpeg(400, 300, { metadata: true, orientation: 6, halves: true });
  const before = await sharp(upload).metadata();
  assert.ok(exifGpsTags(before.exif).length >= 4, 'the upload has GPS tags');
  assert.ok(before.exif!.includes('SecretCam') && before.xmp && before.icc, 'and camera, XMP and ICC metadata');
  assert.equal(before.orientation, 6);

  const inspected = (await inspectImage(upload, 'image/jpeg')) as Inspected;
  assert.deepEqual([inspected.width, inspected.height, inspected.transparent], [300, 400, false], 'upright size');
  const { fallback, files } = await makeFiles(upload, inspected);
  assert.equal(fallback, 'jpeg');
  assert.deepEqual(files.map((f) => f.name), ['original.jpg', '300x400.avif', '300x400.webp', '300x400.jpg'], 'no variant wider than the upload');
  for (const file of files) {
    const meta = await sharp(file.data).metadata();
    assert.deepEqual([meta.width, meta.height], [file.width, file.height], file.name);
    assert.equal(meta.exif, undefined, `${file.name}: no EXIF`);
    assert.equal(meta.xmp, undefined, `${file.name}: no XMP`);
    assert.equal(meta.iptc, undefined, `${file.name}: no IPTC`);
    assert.equal(meta.icc, undefined, `${file.name}: no ICC profile (sRGB)`);
    assert.equal(meta.orientation, undefined, `${file.name}: no orientation left to apply`);
    for (const secret of ['SecretCam', 'Spy One', 'LeakyEditor', 'XmpSecretAuthor']) assert.equal(file.data.includes(secret), false, `${file.name} has no ${secret}`);
  }
  // Orientation 6 shows the image turned 90° clockwise: the red left half is now on top.
  const { data, info } = await sharp(files[0]!.data).raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number) => [...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3)];
  assert.ok(at(150, 20)[0]! > 150 && at(150, 20)[2]! < 100, `red on top: ${at(150, 20)}`);
  assert.ok(at(150, 380)[2]! > 150 && at(150, 380)[0]! < 100, `blue below: ${at(150, 380)}`);
});

test('a transparent PNG gets a PNG fallback with its alpha; an opaque one a JPEG', async () => {
  const png = await transparentPng(800, 400);
  const inspected = (await inspectImage(png, 'image/png')) as Inspected;
  assert.equal(inspected.transparent, true);
  const { fallback, files } = await makeFiles(png, inspected);
  assert.equal(fallback, 'png');
  assert.deepEqual(files.map((f) => f.name), ['original.png', ...[[320, 160], [640, 320], [800, 400]].flatMap(([w, h]) => [`${w}x${h}.avif`, `${w}x${h}.webp`, `${w}x${h}.png`])]);
  for (const file of files) assert.equal((await sharp(file.data).metadata()).hasAlpha, true, `${file.name} keeps transparency`);
  const opaque = (await inspectImage(await opaquePng(100, 50), 'image/png')) as Inspected;
  assert.equal((await makeFiles(await opaquePng(100, 50), opaque)).fallback, 'jpeg');
});

test('the key is a content address: same bytes, same key', async () => {
  const a = await photoJpeg(30, 20);
  assert.match(mediaKey(a), /^[0-9a-f]{32}$/);
  assert.equal(mediaKey(a), mediaKey(Buffer.from(a)));
  assert.notEqual(mediaKey(a), mediaKey(await photoJpeg(31, 20)));
});

test('disk storage: atomic put, get, delete, and no way out of its folder', async () => {
  const root = mkdtempSync(join(tmpdir(), 'dateline-media-'));
  try {
    const storage = new DiskStorage(root);
    const key = 'ab'.repeat(16);
    await storage.put(key, '320x200.webp', Buffer.from('webp bytes'));
    assert.deepEqual(readdirSync(join(root, 'ab', key)), ['320x200.webp'], 'no temporary file left');
    const file = (await storage.get(key, '320x200.webp'))!;
    assert.equal(file.contentType, 'image/webp');
    assert.equal(file.size, 10);
    let body = '';
    for await (const chunk of file.stream) body += String(chunk);
    assert.equal(body, 'webp bytes');
    assert.equal(storage.url(key, '320x200.webp'), `/media/${key}/320x200.webp`);
    assert.equal(await storage.get(key, '640x400.webp'), undefined);
    assert.equal(await storage.get('cd'.repeat(16), '320x200.webp'), undefined);

    // A file beside the store must stay out of reach, whatever the names.
    writeFileSync(join(root, 'secret.jpg'), 'secret');
    mkdirSync(join(root, 'ab', 'x'), { recursive: true });
    for (const [k, n] of [['..', 'secret.jpg'], [key, '../../secret.jpg'], [key, '..%2F..%2Fsecret.jpg'], ['../..', 'original.jpg'], [key, 'original.jpg\0'], [key, 'original.gif'], [key, '.320x200.webp.1.tmp'], [key.toUpperCase(), '320x200.webp']]) {
      assert.equal(await storage.get(k!, n!), undefined, `${k}/${n}`);
    }
    await assert.rejects(storage.put('../x', 'original.jpg', Buffer.from('x')), /Not a media key/);
    await assert.rejects(storage.put(key, '../original.jpg', Buffer.from('x')), /Not a media file name/);
    await assert.rejects(storage.delete('..'), /Not a media key/);

    await storage.delete(key);
    assert.equal(await storage.get(key, '320x200.webp'), undefined);
    await storage.delete(key); // twice is fine
    assert.deepEqual(readdirSync(root).sort(), ['ab', 'secret.jpg'], 'a fan-out folder still in use stays');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('uploads processed at the same time all finish (two at once, the rest wait their turn)', async () => {
  const images = await Promise.all([1, 2, 3, 4, 5].map((i) => photoJpeg(100 + i, 80)));
  const results = await Promise.all(images.map(async (bytes) => makeFiles(bytes, (await inspectImage(bytes, 'image/jpeg')) as Inspected)));
  assert.deepEqual(results.map((r) => r.files[0]!.width), [101, 102, 103, 104, 105]);
  // A failure gives its slot back.
  const cut = images[0]!.subarray(0, 400);
  await assert.rejects(makeFiles(cut, { type: 'image/jpeg', width: 101, height: 80, transparent: false, greyscale: false }));
  await assert.rejects(makeFiles(cut, { type: 'image/jpeg', width: 101, height: 80, transparent: false, greyscale: false }));
  assert.equal((await makeFiles(images[1]!, (await inspectImage(images[1]!, 'image/jpeg')) as Inspected)).files.length, 4);
});

test('the type an image URL names: by its extension, and nothing for one named like an object property', () => {
  assert.equal(imageType('https://example.com/a/photo.JPG?w=2'), 'image/jpeg');
  assert.equal(imageType('/media/x.avif'), 'image/avif');
  assert.equal(imageType('https://example.com/photo.constructor'), undefined);
  assert.equal(imageType('https://example.com/photo.tostring'), undefined);
});
