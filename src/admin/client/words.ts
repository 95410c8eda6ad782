// Counting words the way a writer would: Intl.Segmenter where the browser has it (it knows
// scripts written without spaces), runs of letters and digits otherwise.

type WordSegmenter = { segment(text: string): Iterable<{ isWordLike?: boolean }> };

let segmenter: WordSegmenter | null | undefined;

function wordSegmenter(): WordSegmenter | null {
  if (segmenter === undefined) {
    const Segmenter = (Intl as unknown as { Segmenter?: new (locale: string | undefined, options: { granularity: 'word' }) => WordSegmenter }).Segmenter;
    segmenter = Segmenter ? new Segmenter(undefined, { granularity: 'word' }) : null;
  }
  return segmenter;
}

export function countWords(text: string): number {
  const seg = wordSegmenter();
  if (seg) {
    let n = 0;
    for (const part of seg.segment(text)) if (part.isWordLike) n++;
    return n;
  }
  return text.match(/[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu)?.length ?? 0;
}

export const wordsLabel = (n: number) => `${n.toLocaleString()} ${n === 1 ? 'word' : 'words'}`;
