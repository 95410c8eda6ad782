// The responsive-image helpers and the site's Picture component: pure, no database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'preact-render-to-string';
import { h } from 'preact';
import { bodyFigureHtml, largestVariant, mediaUrl, pictureForMedia, pictureFromUrl, variantSizes, LEAD_IMAGE_SIZES } from '../../src/media/picture.ts';
import { Picture } from '../../src/site/views/components.tsx';
import { sanitizeBody } from '../../src/newsroom/body.ts';

const KEY = '0123456789abcdef0123456789abcdef';

test('variant sizes: standard widths below the image, never larger than the upload', () => {
  assert.deepEqual(
    variantSizes(4000, 3000).map((s) => `${s.width}x${s.height}`),
    ['320x240', '640x480', '960x720', '1280x960', '1920x1440'],
  );
  assert.deepEqual(variantSizes(1000, 500).map((s) => s.width), [320, 640, 1000], '960 is within 10% of 1000: skipped');
  assert.deepEqual(variantSizes(500, 800).map((s) => `${s.width}x${s.height}`), ['320x512', '500x800']);
  assert.deepEqual(variantSizes(200, 100).map((s) => `${s.width}x${s.height}`), ['200x100'], 'a small image is not upscaled');
  assert.deepEqual(largestVariant(3000, 1), { width: 1920, height: 1 }, 'a sliver keeps at least one pixel');
});

test('pictureFromUrl: a media URL lists every variant; other URLs are left alone', () => {
  const url = mediaUrl({ key: KEY, width: 4000, height: 3000, fallback: 'jpeg' });
  assert.equal(url, `/media/${KEY}/1920x1440.jpg`);
  const p = pictureFromUrl(url, '100vw')!;
  assert.deepEqual(p, pictureForMedia({ key: KEY, width: 4000, height: 3000, fallback: 'jpeg' }, '100vw'), 'the URL alone says as much as the row');
  assert.deepEqual(p.sources.map((s) => s.type), ['image/avif', 'image/webp']);
  assert.equal(p.sources[0]!.srcset, [320, 640, 960, 1280, 1920].map((w) => `/media/${KEY}/${w}x${(w * 3) / 4}.avif ${w}w`).join(', '));
  assert.equal(p.srcset, [320, 640, 960, 1280, 1920].map((w) => `/media/${KEY}/${w}x${(w * 3) / 4}.jpg ${w}w`).join(', '));
  assert.equal(p.src, url);
  assert.equal(p.type, 'image/jpeg');
  assert.deepEqual([p.width, p.height, p.sizes], [1920, 1440, '100vw']);
  assert.equal(pictureFromUrl(`/media/${KEY}/500x800.png`)!.type, 'image/png');
  assert.equal(pictureFromUrl(`/media/${KEY}/500x800.png`)!.sizes, LEAD_IMAGE_SIZES);

  for (const other of [
    'https://example.com/photo.jpg',
    '/media/convoy-lead.jpg',
    `https://cdn.example.com/media/${KEY}/1920x1440.jpg`,
    `/media/${KEY}/original.jpg`,
    `/media/${KEY}/1920x1440.webp`,
    `/media/${KEY}/4000x3000.jpg`,
    `/media/${KEY.toUpperCase()}/1920x1440.jpg`,
    `/media/${KEY}/1920x1440.jpg?x=1`,
  ]) {
    assert.equal(pictureFromUrl(other), undefined, other);
  }
});

test('Picture renders <picture> with sources for a library image and a plain <img> for an external one', () => {
  const image = { url: `/media/${KEY}/1920x1280.jpg`, alt: 'Lorries "queue" at the crossing', caption: '', credit: '' };
  const html = render(h(Picture, { image, eager: true }));
  assert.match(html, /^<picture><source type="image\/avif" srcset="[^"]+" sizes="[^"]+"\s*\/?><source type="image\/webp" srcset="[^"]+" sizes="[^"]+"\s*\/?><img [^>]+><\/picture>$/);
  const img = /<img [^>]+>/.exec(html)![0];
  assert.match(img, new RegExp(`src="/media/${KEY}/1920x1280.jpg"`));
  assert.match(img, new RegExp(`srcset="/media/${KEY}/320x213.jpg 320w, `));
  assert.match(img, /sizes="\(min-width: 74rem\) 50rem, [^"]+"/);
  assert.match(img, /width="1920" height="1280"/);
  assert.match(img, /alt="Lorries &quot;queue&quot; at the crossing"/);
  assert.match(img, /loading="eager" decoding="async" fetchpriority="high"/);
  assert.match(render(h(Picture, { image, sizes: '50vw' })), /sizes="50vw"/);
  assert.match(render(h(Picture, { image })), /loading="lazy"/);
  assert.doesNotMatch(render(h(Picture, { image })), /fetchpriority/);

  const external = render(h(Picture, { image: { ...image, url: 'https://example.com/a.jpg' } }));
  assert.equal(external.startsWith('<img '), true, external);
  assert.doesNotMatch(external, /srcset|sizes|<picture/);
  assert.match(external, /src="https:\/\/example.com\/a.jpg"/);
});

test('a body figure survives the body allowlist with its srcset and sizes', () => {
  const media = { key: KEY, width: 1200, height: 800, fallback: 'jpeg' as const, alt: 'A <b>bold</b> "alt"', caption: 'The crossing at dawn.', credit: 'IFP photo' };
  const html = bodyFigureHtml(media);
  assert.match(html, /^<figure class="image"><img src="\/media\/[0-9a-f]{32}\/1200x800.jpg" alt="A &lt;b&gt;bold&lt;\/b&gt; &quot;alt&quot;" width="1200" height="800" srcset="[^"]+ 320w, [^"]+ 640w, [^"]+ 960w, [^"]+ 1200w" sizes="[^"]+"><figcaption>The crossing at dawn. — <cite>IFP photo<\/cite><\/figcaption><\/figure>$/);
  const kept = sanitizeBody(html);
  for (const attribute of ['src', 'srcset', 'sizes', 'width', 'height', 'alt']) {
    assert.equal(/<img [^>]*>/.exec(kept)![0].includes(`${attribute}="`), true, `${attribute} kept: ${kept}`);
  }
  assert.match(kept, /<figcaption>The crossing at dawn. — <cite>IFP photo<\/cite><\/figcaption>/);
  assert.equal(bodyFigureHtml({ ...media, caption: '', credit: '' }).includes('figcaption'), false);
});
