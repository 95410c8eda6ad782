#!/usr/bin/env node
// The corpus of ../shared/corpus/make-corpus.mjs, written one line at a time. That script builds
// the whole corpus as one string before writing it, and V8 caps a string below 1 GB: it cannot
// make 1,000,000 stories (about 4.8 GB). Same generator, same random sequence, same bytes (checked:
// identical output at 1,000 and 100,000 stories); only the writing differs.
//   node bench/make-corpus-stream.mjs 1000000 > corpus.jsonl
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 1000);
const seedArg = args.find((a) => a.startsWith('--seed='));
let state = Number(seedArg ? seedArg.slice(7) : 1) >>> 0 || 1;
const rand = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

const here = dirname(fileURLToPath(import.meta.url));
const shared = process.env.BENCH_CORPUS_DIR ?? resolve(here, '..', '..', 'shared', 'corpus');
const reference = JSON.parse(readFileSync(join(shared, 'reference-article.json'), 'utf8'));
const words = reference.bodyHtml.replace(/<[^>]+>/g, ' ').toLowerCase().match(/[a-z]{3,}/g);
const sections = ['Politics', 'Economy', 'World', 'Society', 'Sports', 'Culture', 'Science', 'Opinion'];
const authors = ['IFP Editorial Staff', 'Sara Karimi', 'Reza Ahmadi', 'Leila Hosseini', 'Omid Rahimi', 'Nadia Farahani'];
const kickers = ['', '', '', 'Exclusive', 'Analysis', 'Breaking'];
const tagPool = Array.from(new Set(words)).slice(0, 60);

const sentence = (n) => {
  const ws = Array.from({ length: n }, () => pick(words));
  ws[0] = ws[0][0].toUpperCase() + ws[0].slice(1);
  return ws.join(' ') + '.';
};
const paragraph = () => Array.from({ length: 3 + Math.floor(rand() * 4) }, () => sentence(8 + Math.floor(rand() * 14))).join(' ');
const slugify = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** Writes with back-pressure, about a megabyte at a time. */
let buffer = '';
async function write(line) {
  buffer += line + '\n';
  if (buffer.length < 1 << 20) return;
  const chunk = buffer;
  buffer = '';
  if (!process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once('drain', resolve));
}

const start = Date.parse('2026-11-27T12:00:00Z');
await write(JSON.stringify({ ...reference, publishedAt: new Date(start).toISOString(), updatedAt: new Date(start).toISOString() }));
for (let i = 1; i < count; i++) {
  const title = sentence(6 + Math.floor(rand() * 6)).slice(0, -1);
  const paras = Array.from({ length: 6 + Math.floor(rand() * 8) }, paragraph);
  const bodyHtml = paras.map((p, j) => (j === 2 ? `<blockquote><p>“${p}”</p></blockquote>` : `<p>${p}</p>`)).join('\n');
  const at = new Date(start - i * 37 * 60 * 1000).toISOString();
  await write(
    JSON.stringify({
      slug: `${slugify(title)}-${i}`,
      title,
      kicker: pick(kickers),
      section: pick(sections),
      authors: [pick(authors)],
      tags: Array.from(new Set([pick(tagPool), pick(tagPool), pick(tagPool)])),
      publishedAt: at,
      updatedAt: at,
      excerpt: paras[0].slice(0, 160),
      bodyHtml,
    }),
  );
}
process.stdout.write(buffer);
