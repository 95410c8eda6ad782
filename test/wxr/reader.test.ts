import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { CdataFixer, readWxr, type WxrItem, type WxrRecord } from '../../src/newsroom/import/wxr/reader.ts';
import { convertBody, wpautop } from '../../src/newsroom/import/wxr/body.ts';
import { sanitizeBody } from '../../src/newsroom/body.ts';

const crazy = readFileSync(new URL('../../../shared/fixtures/wordpress-importer/crazy-cdata.xml', import.meta.url));

async function records(input: Buffer, chunk: number): Promise<WxrRecord[]> {
  const pieces: Buffer[] = [];
  for (let i = 0; i < input.length; i += chunk) pieces.push(input.subarray(i, i + chunk));
  const out: WxrRecord[] = [];
  for await (const r of readWxr(Readable.from(pieces))) out.push(r);
  return out;
}

describe('WXR reader', () => {
  test('crazy-cdata.xml reads as WordPress reads it, whatever the chunk size', async () => {
    for (const chunk of [1, 2, 3, 7, 64, 1 << 20]) {
      const items = (await records(crazy, chunk)).filter((r): r is { type: 'item'; item: WxrItem } => r.type === 'item');
      assert.equal(items.length, 1);
      const item = items[0]?.item as WxrItem;
      assert.equal(item.content, 'Content with nested <![CDATA[ tags ]]> :)', `chunk ${chunk}`);
      assert.deepEqual(Object.fromEntries(item.meta), {
        'Plain string': 'Foo',
        'Closing CDATA': ']]>',
        'Alot of CDATA': 'This has <![CDATA[ opening and ]]> closing <![CDATA[ tags like this: ]]>',
      });
    }
  });

  test('multi-byte characters split between chunks survive', async () => {
    const utf = readFileSync(new URL('../../../shared/fixtures/wordpress-importer/wxr-utf-8-challenges.xml', import.meta.url));
    const whole = await records(utf, 1 << 20);
    const bytewise = await records(utf, 1);
    assert.deepEqual(bytewise, whole);
    const channel = whole.find((r) => r.type === 'channel');
    assert.ok(channel && channel.type === 'channel');
    assert.equal(channel.channel.title, 'My WordPress Website 🚀 \u202e\u202dمرحبا');
  });

  test('WordPress\'s own split "]]]]><![CDATA[>" and control characters', () => {
    const stats = { controlCharacters: 0, nestedCdataEnds: 0 };
    const fixer = new CdataFixer(stats);
    const out = fixer.push('<a><![CDATA[x ]]]]><![CDATA[> y\u000c]]></a>') + fixer.end();
    assert.equal(out, '<a><![CDATA[x ]]]]><![CDATA[> y]]></a>');
    assert.equal(stats.controlCharacters, 1);
    assert.equal(stats.nestedCdataEnds, 0);
  });

  test('a byte sequence that is not UTF-8 is refused', async () => {
    const bad = Buffer.concat([Buffer.from('<?xml version="1.0"?>\n<rss><channel><title>'), Buffer.from([0xff, 0xfe]), Buffer.from('</title></channel></rss>')]);
    await assert.rejects(records(bad, 1024), /not valid UTF-8/);
  });
});

describe('WordPress content', () => {
  const context = {
    postId: '1',
    attachment: (id: string) => (id === '5' ? { url: 'https://example.com/a.jpg', alt: 'A cat', caption: 'The cat' } : undefined),
    childAttachments: () => ['5'],
  };

  test('wpautop: blank lines make paragraphs, single newlines <br />, blocks stay', () => {
    assert.equal(wpautop('One\ntwo\n\nThree'), '<p>One<br />\ntwo</p>\n<p>Three</p>\n');
    assert.equal(wpautop('<h2>Title</h2>\nText'), '<h2>Title</h2>\n<p>Text</p>\n');
    assert.equal(wpautop('A\n<pre>x\n\ny</pre>\nB'), '<p>A</p>\n<pre>x\n\ny</pre>\n<p>B</p>\n');
    assert.equal(wpautop('<ul>\n<li>a</li>\n<li>b</li>\n</ul>'), '<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n');
  });

  test('[caption], [gallery] and an unknown shortcode', () => {
    const { html, notes } = convertBody('[caption id="attachment_5" width="300"]<img src="https://example.com/a.jpg" alt="A cat" /> The cat[/caption]\n\n[gallery]\n\n[poll id="2"] and [sic] and [[gallery]]', context);
    assert.equal(
      sanitizeBody(html),
      '<figure class="image"><img src="https://example.com/a.jpg" alt="A cat" loading="lazy" decoding="async" /><figcaption>The cat</figcaption></figure>\n' +
        '<figure class="image"><img src="https://example.com/a.jpg" alt="A cat" loading="lazy" decoding="async" /><figcaption>The cat</figcaption></figure>\n' +
        '<p>[poll id="2"] and [sic] and [gallery]</p>',
    );
    assert.deepEqual(notes, ['unknown shortcode [poll] kept as text']);
  });

  test('block comments go; embeds become links; content stays', () => {
    const { html, notes } = convertBody('<!-- wp:paragraph -->\n<p>Hi</p>\n<!-- /wp:paragraph -->\n<!-- wp:embed {"url":"https://youtu.be/x"} -->\n<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">\nhttps://youtu.be/x\n</div></figure>\n<!-- /wp:embed -->\n<!-- wp:block {"ref":12} /-->', context);
    assert.equal(sanitizeBody(html), '<p>Hi</p>\n<figure class="embed"><a href="https://youtu.be/x">https://youtu.be/x</a></figure>');
    assert.deepEqual(notes, ['reusable block 12 dropped (its content is not in the post)']);
  });
});
