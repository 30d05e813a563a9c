// Long lines: the reader joins a line's pieces once (linear time; it used to re-concatenate per
// 64 KiB piece, quadratic), and refuses a line past MAX_LINE_BYTES with the file and line named.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { InputError } from '../../cli/errors.ts';
import { MAX_LINE_BYTES, readLines } from '../../cli/io/line-reader.ts';
import { tempDir } from './helpers.ts';

async function linesOf(path: string): Promise<string[]> {
  const out: string[] = [];
  await readLines(path, (text, start, end) => out.push(text.slice(start, end)));
  return out;
}

const tmp = tempDir('line-reader');
after(() => tmp.cleanup());

test('lines spanning many read blocks come back whole, plain and gzip', async () => {
  const { dir } = tmp;
  const long = 'x'.repeat(3 * 65536 + 17) + 'é'.repeat(70000);
  const lines = ['first', long, 'mid\r', long.slice(5), 'last-without-newline'];
  const text = lines.join('\n');
  const plain = join(dir, 'plain.json');
  const gz = join(dir, 'k6.json.gz');
  writeFileSync(plain, text);
  writeFileSync(gz, gzipSync(text));
  const expected = ['first', long, 'mid', long.slice(5), 'last-without-newline'];
  assert.deepEqual(await linesOf(plain), expected);
  assert.deepEqual(await linesOf(gz), expected);
});

test('a line longer than the bound is refused with the file and line, not read into memory', async () => {
  const { dir } = tmp;
  const file = join(dir, 'k6.json.gz');
  writeFileSync(file, gzipSync(`{"a":1}\n{"b":2}\n${'y'.repeat(MAX_LINE_BYTES + 10)}\n{"c":3}\n`));
  await assert.rejects(linesOf(file), (err: unknown) => {
    assert.ok(err instanceof InputError, String(err));
    assert.match(err.message, /k6\.json\.gz:3: /);
    assert.match(err.message, /longer than 16 MiB/);
    return true;
  });
});
