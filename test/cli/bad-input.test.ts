// Damaged and wrong inputs: each gets a message naming the file (and line), exit code 2, and
// leaves no partial output; --lenient keeps going and says how much it skipped.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { cli, tempDir } from './helpers.ts';
import { syntheticNdjson } from './synthetic-runs.ts';

const tmp = tempDir('bad');
after(() => tmp.cleanup());

function runDir(name: string, k6File: string, content: string | Buffer): string {
  const dir = join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, k6File), content);
  return dir;
}

function assertNoOutputs(dir: string): void {
  const left = readdirSync(dir).filter((f) => f.startsWith('report') || f === 'junit.xml' || f.endsWith('.tmp'));
  assert.deepEqual(left, [], 'no report files and no temp files are left behind');
}

const good = syntheticNdjson({ seed: 1, medianMs: 10, requests: 2000 });
const goodLines = good.trimEnd().split('\n');

test('truncated gzip: clear error with file and line, exit 2; --lenient keeps the points before the cut', async () => {
  const gz = gzipSync(good);
  const dir = runDir('truncated', 'k6.json.gz', gz.subarray(0, Math.floor(gz.length * 0.6)));
  const r = await cli(['report', dir]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /k6\.json\.gz:\d+: gzip stream is truncated/);
  assert.match(r.stderr, /--lenient/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assertNoOutputs(dir);

  const lenient = await cli(['report', dir, '--lenient', '--quiet']);
  assert.equal(lenient.code, 0, lenient.stderr);
  assert.match(lenient.stderr, /warning: .*truncated.*kept the \d+ points before the cut/);
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
  assert.equal(report.ingest.truncated.length, 1);
  assert.ok(report.ingest.points > 0 && report.ingest.points < goodLines.length);
});

test('half-written last line (k6 killed mid-write): names the line; --lenient skips and counts it', async () => {
  const half = `${goodLines.slice(0, -1).join('\n')}\n${goodLines[goodLines.length - 1]!.slice(0, 40)}`;
  const dir = runDir('half', 'k6.json', half);
  const r = await cli(['report', dir]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, new RegExp(`k6\\.json:${goodLines.length}: incomplete last line`));
  assertNoOutputs(dir);
  const lenient = await cli(['report', dir, '--lenient', '--quiet']);
  assert.equal(lenient.code, 0, lenient.stderr);
  assert.match(lenient.stderr, /skipped 1 bad line/);
  assert.equal(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).ingest.badLines, 1);
});

test('a corrupt line in the middle is reported with its line number', async () => {
  const lines = [...goodLines];
  lines[100] = '{"metric":"http_reqs","type":"Point","data":{"time":"2026-01-01T00:00:00Z","value":"x"}}';
  const dir = runDir('corrupt', 'k6.json', `${lines.join('\n')}\n`);
  const r = await cli(['report', dir]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /k6\.json:101: corrupt line: Point without a numeric data\.value/);
});

test('empty file, unknown format, CSV output, missing folder, folder without output', async () => {
  const empty = await cli(['report', runDir('empty', 'k6.json.gz', '')]);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /k6\.json\.gz: file is empty/);

  const unknown = await cli(['report', runDir('unknown', 'k6.json', 'hello world\n')]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /k6\.json:1: unknown format/);

  const csv = await cli(['report', runDir('csv', 'k6.json', 'metric_name,timestamp,metric_value\nhttp_reqs,1,1\n')]);
  assert.equal(csv.code, 2);
  assert.match(csv.stderr, /k6 CSV output, which is not supported/);

  const missing = await cli(['report', join(tmp.dir, 'does-not-exist')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /does-not-exist: no such run folder or file/);

  const bare = join(tmp.dir, 'bare');
  mkdirSync(bare);
  const noOutput = await cli(['report', bare]);
  assert.equal(noOutput.code, 2);
  assert.match(noOutput.stderr, /no k6 output in this folder/);
  assert.ok(!existsSync(join(bare, 'report.json')));
});

test('invalid run.json is an input error naming the field', async () => {
  const dir = runDir('badmeta', 'k6.json', good);
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ workload: 42 }));
  const r = await cli(['report', dir]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /run\.json:\d+: \/workload: must be string, got 42 — fix: write a string here \(workload name/);
});

test('usage errors exit 2', async () => {
  const r = await cli(['compare', '--baseline', 'x']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--candidate/);
  const alpha = await cli(['compare', '--baseline', 'x', '--candidate', 'y', '--alpha', '7']);
  assert.equal(alpha.code, 2);
  assert.match(alpha.stderr, /--alpha must be a number between/);
  assert.equal((await cli(['no-such-command'])).code, 2);
});

test('--out that cannot be a folder: the path, the reason and a fix, exit 2, never "a bug", no hang', async () => {
  const dir = runDir('out-paths', 'k6.json.gz', gzipSync(good));
  const aFile = join(tmp.dir, 'a-file.txt');
  writeFileSync(aFile, 'not a folder');
  const cases: Array<[string, RegExp]> = [
    [aFile, /is a file, not a folder/],
    [join(aFile, 'below'), /is a file, so no folder can be made below it/],
    ['/dev/null/x', /kernel's \/dev filesystem/],
    ['/sys/ledger-perf', /kernel's \/sys filesystem/],
    ['/proc/self/ledger-perf', /kernel's \/proc filesystem/],
  ];
  for (const [out, reason] of cases) {
    for (const command of [
      ['report', dir, '--out', out],
      ['merge', dir, '--out', out],
    ]) {
      const r = await cli(command);
      assert.equal(r.code, 2, `${command.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, reason, command.join(' '));
      assert.match(r.stderr, /fix: /);
      assert.doesNotMatch(r.stderr, /unexpected error|this is a bug/);
    }
  }
  assertNoOutputs(dir);
});
