#!/usr/bin/env node
// Writes a WordPress export (WXR 1.2) of N posts to stdout, for timing `dateline import wxr`:
//   node bench/make-wxr.mjs 10000 > /tmp/10k.xml
//   /usr/bin/time -v node bin/dateline.js import wxr /tmp/10k.xml
// Posts have 5-9 paragraphs of classic content (about 3 KB), a caption every fifth, blocks
// every third, 1-3 tags, a category among 12 (some nested), one of 20 authors, and every tenth
// a featured image (an attachment item). Deterministic: the same N gives the same file.
import { createWriteStream } from 'node:fs';

const n = Number(process.argv[2] ?? 10000);
const out = process.argv[3] ? createWriteStream(process.argv[3]) : process.stdout;
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (list) => list[Math.floor(rand() * list.length)];
const words = 'the minister said talks would resume next week in Vienna while markets in Tehran opened higher after a quiet morning and traders watched oil prices climb for a third day as negotiators met officials from both sides'.split(' ');
const sentence = () => {
  const len = 8 + Math.floor(rand() * 14);
  const s = Array.from({ length: len }, () => pick(words)).join(' ');
  return s[0].toUpperCase() + s.slice(1) + '.';
};
const paragraph = () => Array.from({ length: 3 + Math.floor(rand() * 4) }, sentence).join(' ');
const cats = [['politics', 'Politics', ''], ['economy', 'Economy', ''], ['world', 'World', ''], ['middle-east', 'Middle East', 'world'], ['europe', 'Europe', 'world'], ['sports', 'Sports', ''], ['football', 'Football', 'sports'], ['culture', 'Culture', ''], ['science', 'Science', ''], ['health', 'Health', ''], ['opinion', 'Opinion', ''], ['tech', 'Technology', 'science']];
const tags = Array.from({ length: 200 }, (_, i) => [`tag-${i}`, `Tag ${i}`]);
const authors = Array.from({ length: 20 }, (_, i) => [`author${i}`, `Author Number ${i}`]);
const cdata = (s) => `<![CDATA[${s.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
const pad = (x) => String(x).padStart(2, '0');

const w = (s) => out.write(s);
w(`<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>Bench Daily</title>
	<link>https://bench.example</link>
	<description>Generated</description>
	<language>en-US</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://bench.example</wp:base_site_url>
	<wp:base_blog_url>https://bench.example</wp:base_blog_url>
`);
authors.forEach(([login, name], i) => w(`	<wp:author><wp:author_id>${i + 1}</wp:author_id><wp:author_login>${cdata(login)}</wp:author_login><wp:author_email>${cdata(`${login}@bench.example`)}</wp:author_email><wp:author_display_name>${cdata(name)}</wp:author_display_name><wp:author_first_name>${cdata('')}</wp:author_first_name><wp:author_last_name>${cdata('')}</wp:author_last_name></wp:author>\n`));
cats.forEach(([slug, name, parent], i) => w(`	<wp:category><wp:term_id>${i + 1}</wp:term_id><wp:category_nicename>${cdata(slug)}</wp:category_nicename><wp:category_parent>${cdata(parent)}</wp:category_parent><wp:cat_name>${cdata(name)}</wp:cat_name></wp:category>\n`));
tags.forEach(([slug, name], i) => w(`	<wp:tag><wp:term_id>${100 + i}</wp:term_id><wp:tag_slug>${cdata(slug)}</wp:tag_slug><wp:tag_name>${cdata(name)}</wp:tag_name></wp:tag>\n`));

async function main() {
  const start = Date.UTC(2020, 0, 1);
  for (let i = 1; i <= n; i++) {
    const id = i * 2;
    const at = new Date(start + i * 3_600_000 * 3);
    const gmt = `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:00`;
    const local = new Date(at.getTime() + 3.5 * 3_600_000);
    const localStr = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:00`;
    const [catSlug, catName] = pick(cats);
    const postTags = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(tags));
    const [login] = pick(authors);
    const title = `${sentence().slice(0, 70).replace(/\.$/, '')} ${i}`;
    const slug = `story-${i}`;
    let content;
    if (i % 3 === 0) {
      content = Array.from({ length: 5 + Math.floor(rand() * 5) }, () => `<!-- wp:paragraph -->\n<p>${paragraph()}</p>\n<!-- /wp:paragraph -->`).join('\n\n');
    } else {
      content = Array.from({ length: 5 + Math.floor(rand() * 5) }, paragraph).join('\n\n');
      if (i % 5 === 0) content += `\n\n[caption id="attachment_${id + 1}" width="640"]<img src="https://bench.example/wp-content/uploads/img-${i}.jpg" alt="Picture ${i}" width="640" height="427" /> Caption of picture ${i}[/caption]`;
    }
    const thumb = i % 10 === 0;
    const status = i % 50 === 0 ? 'draft' : 'publish';
    w(`	<item>
		<title>${cdata(title)}</title>
		<link>https://bench.example/${at.getUTCFullYear()}/${pad(at.getUTCMonth() + 1)}/${slug}/</link>
		<pubDate>${at.toUTCString()}</pubDate>
		<dc:creator>${cdata(login)}</dc:creator>
		<guid isPermaLink="false">https://bench.example/?p=${id}</guid>
		<description></description>
		<content:encoded>${cdata(content)}</content:encoded>
		<excerpt:encoded>${cdata(i % 4 === 0 ? sentence() : '')}</excerpt:encoded>
		<wp:post_id>${id}</wp:post_id>
		<wp:post_date>${cdata(localStr)}</wp:post_date>
		<wp:post_date_gmt>${cdata(gmt)}</wp:post_date_gmt>
		<wp:post_name>${cdata(slug)}</wp:post_name>
		<wp:status>${cdata(status)}</wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:menu_order>0</wp:menu_order>
		<wp:post_type>${cdata('post')}</wp:post_type>
		<wp:post_password>${cdata('')}</wp:post_password>
		<wp:is_sticky>${i === n ? 1 : 0}</wp:is_sticky>
		<category domain="category" nicename="${catSlug}">${cdata(catName)}</category>
${postTags.map(([s, name]) => `		<category domain="post_tag" nicename="${s}">${cdata(name)}</category>`).join('\n')}
${thumb ? `		<wp:postmeta><wp:meta_key>${cdata('_thumbnail_id')}</wp:meta_key><wp:meta_value>${cdata(String(id + 1))}</wp:meta_value></wp:postmeta>` : ''}
	</item>
`);
    if (thumb) {
      w(`	<item>
		<title>${cdata(`img-${i}`)}</title>
		<wp:post_id>${id + 1}</wp:post_id>
		<wp:post_date>${cdata(localStr)}</wp:post_date>
		<wp:post_date_gmt>${cdata(gmt)}</wp:post_date_gmt>
		<wp:status>${cdata('inherit')}</wp:status>
		<wp:post_parent>${id}</wp:post_parent>
		<wp:post_type>${cdata('attachment')}</wp:post_type>
		<excerpt:encoded>${cdata(`Caption of picture ${i}`)}</excerpt:encoded>
		<wp:attachment_url>${cdata(`https://bench.example/wp-content/uploads/img-${i}.jpg`)}</wp:attachment_url>
		<wp:postmeta><wp:meta_key>${cdata('_wp_attached_file')}</wp:meta_key><wp:meta_value>${cdata(`img-${i}.jpg`)}</wp:meta_value></wp:postmeta>
		<wp:postmeta><wp:meta_key>${cdata('_wp_attachment_image_alt')}</wp:meta_key><wp:meta_value>${cdata(`Picture ${i}`)}</wp:meta_value></wp:postmeta>
	</item>
`);
    }
    if (i % 500 === 0 && out.writableNeedDrain) await new Promise((r) => out.once('drain', r));
  }
  w('</channel>\n</rss>\n');
  if (out !== process.stdout) out.end();
}
main();
