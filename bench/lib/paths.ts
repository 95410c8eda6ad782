// Where the suite reads and writes: everything it makes lives under bench/.cache (git-ignored).
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(REPO, 'bin', 'dateline.js');
export const CACHE = join(REPO, 'bench', '.cache');
/** The shared corpus generator sits beside the repository, as issue 6 names it. */
export const MAKE_CORPUS = process.env.BENCH_MAKE_CORPUS ?? resolve(REPO, '..', 'shared', 'corpus', 'make-corpus.mjs');
/** The same corpus written line by line, for sizes the shared generator cannot hold in one string. */
export const MAKE_CORPUS_STREAM = join(REPO, 'bench', 'make-corpus-stream.mjs');
export const REFERENCE_PATH = '/politics/no-talks-to-be-held-with-us-at-any-level-iran-leader';
