// What a reader types, made safe: words, "quoted phrases" and -excluded words, with everything
// else (operators, brackets, stars, control characters, markup) reduced to word boundaries.
// Each engine renders the same parsed query in its own syntax, so no raw input ever reaches
// FTS5 or PostgreSQL's query parser.

/** A word, or several that must stand next to each other (a phrase). */
export interface SearchTerm {
  words: string[];
}

export type QueryProblem =
  /** Nothing to search for: no letters or digits at all. */
  | 'empty'
  /** Only words too common to search for ("the", "and or not"). */
  | 'common'
  /** Only excluded words: a minus sign leaves words out, it finds nothing by itself. */
  | 'only_excluded';

export interface ParsedQuery {
  /** The query as typed, cut to MAX_INPUT and cleaned of control characters, for the search box. */
  text: string;
  include: SearchTerm[];
  exclude: SearchTerm[];
  /** Some of what was typed was left out because the query was too long. */
  truncated: boolean;
  problem?: QueryProblem;
}

/** Characters of the input considered; a 10 KB paste is cut here first. */
export const MAX_INPUT = 200;
/** Terms (words or phrases) used, included and excluded together. */
export const MAX_TERMS = 16;
/** Words in one phrase. */
const MAX_PHRASE_WORDS = 8;
/** Longer "words" are cut: no real word is this long, and it keeps queries small. */
const MAX_WORD = 40;

/**
 * Letters, digits and marks of any script make words; the zero-width joiner and non-joiner stay
 * inside a word (Persian writes them within words) and the engines split there themselves.
 */
const WORD = /[\p{L}\p{N}\p{M}\u200C\u200D]+/gu;
const HAS_LETTER = /[\p{L}\p{N}]/u;

/**
 * English stop words (PostgreSQL's english.stop): PostgreSQL drops them from queries, so SQLite
 * does too, and both databases answer alike.
 */
export const STOP_WORDS = new Set(
  (
    'i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its ' +
    'itself they them their theirs themselves what which who whom this that these those am is are was were be been being have ' +
    'has had having do does did doing a an the and but if or because as until while of at by for with about against between ' +
    'into through during before after above below to from up down in out on off over under again further then once here ' +
    'there when where why how all any both each few more most other some such no nor not only own same so than too very s t ' +
    'can will just don should now'
  ).split(' '),
);

/** Control and format characters (but the joiners words need), and lone surrogates. */
const CONTROL = /[\p{Cc}\p{Co}\p{Cn}\u00AD\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u206F\uFEFF]|[\uD800-\uDFFF]/gu;

/** The input as the search box shows it again: cut, control characters gone, spaces collapsed. */
export function cleanInput(raw: string): { text: string; truncated: boolean } {
  const points = Array.from(raw.normalize('NFC'));
  const truncated = points.length > MAX_INPUT;
  const text = points
    .slice(0, MAX_INPUT)
    .join('')
    .replace(CONTROL, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
  return { text, truncated };
}

function wordsOf(chunk: string): string[] {
  return (chunk.toLowerCase().match(WORD) ?? [])
    .filter((w) => HAS_LETTER.test(w))
    .map((w) => Array.from(w).slice(0, MAX_WORD).join(''));
}

/** A term with at least one word that is not a stop word is worth searching for. */
const meaningful = (term: SearchTerm) => term.words.some((w) => !STOP_WORDS.has(w));

export function parseQuery(raw: string): ParsedQuery {
  const { text, truncated: cut } = cleanInput(raw);
  const include: SearchTerm[] = [];
  const exclude: SearchTerm[] = [];
  let sawCommon = false;
  let truncated = cut;
  // A quoted phrase, or a run of anything but spaces and quotes; a leading minus excludes.
  const pieces = /(-?)"([^"]*)"?|(-?)([^\s"]+)/gu;
  for (const match of text.matchAll(pieces)) {
    const quoted = match[2] !== undefined;
    const negated = (quoted ? match[1] : match[3]) === '-';
    // Unquoted, "al-Assad", "U.S." and "24/7" are one thing typed with punctuation inside a word:
    // a phrase of their parts; other punctuation ("oil,gas", "NEAR(oil") separates words.
    const groups = quoted ? [match[2] ?? ''] : (match[4] ?? '').split(/[^-\p{L}\p{N}\p{M}'’./_&\u200C\u200D]+/u);
    for (const group of groups) {
      const words = wordsOf(group);
      if (words.length === 0) continue;
      const term: SearchTerm = { words: words.slice(0, MAX_PHRASE_WORDS) };
      if (words.length > MAX_PHRASE_WORDS) truncated = true;
      if (!meaningful(term)) {
        sawCommon = true;
        continue;
      }
      const list = negated ? exclude : include;
      if (include.length + exclude.length >= MAX_TERMS) {
        truncated = true;
        continue;
      }
      if (!list.some((t) => sameTerm(t, term))) list.push(term);
    }
  }
  const parsed: ParsedQuery = { text, include, exclude, truncated };
  if (include.length === 0) parsed.problem = exclude.length > 0 ? 'only_excluded' : sawCommon ? 'common' : 'empty';
  return parsed;
}

const sameTerm = (a: SearchTerm, b: SearchTerm) => a.words.length === b.words.length && a.words.every((w, i) => w === b.words[i]);

/** Every word of the included terms, for engines that highlight word by word. */
export const includedWords = (query: ParsedQuery): string[] => [...new Set(query.include.flatMap((t) => t.words))];
