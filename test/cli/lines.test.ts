import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { readLines } from '../../src/cli/lines.ts';

/** What readline, the reader the importers used before, makes of the file. */
async function readlineLines(file: string): Promise<string[]> {
  const handle = await open(file);
  try {
    const lines: string[] = [];
    for await (const line of createInterface({ input: handle.createReadStream({ encoding: 'utf8', autoClose: false }), crlfDelay: Infinity })) lines.push(line);
    return lines;
  } finally {
    await handle.close();
  }
}

async function ourLines(file: string, chunkBytes: number): Promise<string[]> {
  const handle = await open(file);
  try {
    const lines: string[] = [];
    for await (const line of readLines(handle, chunkBytes)) lines.push(line);
    return lines;
  } finally {
    await handle.close();
  }
}

const SAMPLES: Record<string, string | Buffer> = {
  'plain lines': '{"a":1}\n{"b":2}\n',
  'no newline at the end': '{"a":1}\n{"b":2}',
  'blank lines': '\n\n{"a":1}\n\n\n{"b":2}\n\n',
  'CRLF': '{"a":1}\r\n{"b":2}\r\n\r\nlast',
  'lone CR (old Mac)': 'one\rtwo\r\rthree\r',
  'mixed ends': 'a\r\n\rb\n\r\nc\r',
  'a CR at the very end': 'x\n\r',
  'a byte-order mark is left for the importer': '\uFEFF{"a":1}\n',
  'multi-byte characters across reads': 'Ayatollah Khamenei’s “talks” — تهران 😀\nآ\n'.repeat(7),
  'invalid UTF-8': Buffer.from([0x61, 0xff, 0x62, 0x0a, 0xe2, 0x80, 0x0a, 0x63]),
  'empty file': '',
};

test('reads every file as readline does, whatever the read size', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-lines-'));
  try {
    for (const [name, content] of Object.entries(SAMPLES)) {
      const file = join(dir, 'sample');
      writeFileSync(file, content);
      const expected = await readlineLines(file);
      for (const chunkBytes of [1, 2, 3, 5, 64, 1 << 20]) {
        assert.deepEqual(await ourLines(file, chunkBytes), expected, `${name}, reads of ${chunkBytes} bytes`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
