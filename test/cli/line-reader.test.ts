// Long lines: the reader joins a line's pieces once (linear time; it used to re-concatenate per
// 64 KiB piece, quadratic), and refuses a line past MAX_LINE_BYTES with the file and line named.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
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

test('gzip of many inflate chunks arrives whole and in order, multi-byte characters on every boundary', async () => {
  // ~12 MiB inflated: many 256 KiB zlib chunks and 64 KiB blocks, split wherever they fall.
  const lines = Array.from({ length: 120_000 }, (_, i) => `{"type":"Point","seq":${i},"pad":"${'é'.repeat(i % 90)}"}`);
  const gz = join(tmp.dir, 'many-chunks.json.gz');
  writeFileSync(gz, gzipSync(`${lines.join('\n')}\n`));
  const got = await linesOf(gz);
  assert.equal(got.length, lines.length);
  assert.ok(
    got.every((l, i) => l === lines[i]),
    'every line, in order',
  );
});

test('an error thrown by the line handler stops the read with that error', async () => {
  const gz = join(tmp.dir, 'stop-early.json.gz');
  writeFileSync(gz, gzipSync(Array.from({ length: 200_000 }, (_, i) => `line ${i}`).join('\n')));
  const stop = new Error('handler says stop');
  let seen = 0;
  await assert.rejects(
    readLines(gz, () => {
      if (++seen === 10) throw stop;
    }),
    (err) => err === stop,
  );
  assert.equal(seen, 10, 'no line after the error');
});

test('a long line is joined once, not once per block (linear time, counted, not timed)', async (t) => {
  // 1 MiB in one line = 16 blocks of 64 KiB. Re-concatenating the carried start per block (the
  // old reader) copied O(n²) bytes; joining the pieces when the newline comes copies each byte once.
  const line = 'z'.repeat(1 << 20);
  const file = join(tmp.dir, 'one-long-line.json');
  writeFileSync(file, `${line}\nshort\n`);
  const concat = t.mock.method(Buffer, 'concat');
  const got = await linesOf(file);
  assert.deepEqual(
    got.map((l) => l.length),
    [line.length, 5],
  );
  const copied = concat.mock.calls.reduce((n, c) => n + (c.arguments[0] as Buffer[]).reduce((m, b) => m + b.length, 0), 0);
  assert.ok(copied <= 2 * line.length, `bytes copied by joins: ${copied} for a ${line.length}-byte line`);
});
