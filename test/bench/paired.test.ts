// Smoke of the bench plumbing (figures are never asserted): the paired runner measures real
// processes, medians and pair ratios are computed as documented, and bench/all.ts refuses an
// unknown bench name with what it expected.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeSyntheticGz } from '../../bench/cli-synthetic.ts';
import { interleave, measure, median, pairedRatio } from '../../bench/lib/paired.ts';

test('median and paired ratio', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(
    pairedRatio({ a: [2, 9, 4], b: [1, 3, 4] }, (x) => x),
    2,
  );
});

test('measure runs a real process under GNU time and interleave alternates A and B after a warm-up', () => {
  const order: string[] = [];
  const p = interleave(
    2,
    () => (order.push('a'), measure(['true'])),
    () => (order.push('b'), measure(['true'])),
  );
  assert.deepEqual(order, ['a', 'b', 'a', 'b', 'a', 'b']);
  assert.equal(p.a.length, 2);
  assert.ok(p.a.every((c) => c.maxRssMiB > 0 && c.wallS >= 0));
  assert.throws(() => measure(['false']), /false exited 1/);
});

test('npm run bench refuses an unknown BENCH_ONLY name', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/all.ts'], { env: { ...process.env, BENCH_ONLY: 'nope' }, encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^BENCH_ONLY="nope" is not valid: expected some of k6-signing, cli-ingest, k6-footprint$/m);
});

test('measure with discardStdout never buffers the output, and still times the process', () => {
  const c = measure(['head', '-c', String(300 << 20), '/dev/zero'], process.env, { discardStdout: true });
  assert.equal(c.stdout, '');
  assert.ok(c.maxRssMiB > 0 && c.maxRssMiB < 100, `head's own RSS, not the 300 MB it wrote: ${c.maxRssMiB} MiB`);
});

test("the ingest child reports its own peak RSS, not its parent's (Linux carries maxRSS over fork + exec)", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-ingest-child-'));
  try {
    const file = join(dir, 'small.json.gz');
    await writeSyntheticGz(file, 2000);
    const ballast = Buffer.alloc(400 << 20, 1); // this process, the child's parent, holds 400 MB
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/cli-ingest-child.ts', file], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const child = JSON.parse(r.stdout) as { points: number; maxRssMb: number };
    assert.ok(child.points >= 2000, `points ${child.points}`);
    assert.ok(child.maxRssMb < 300, `the child's peak RSS ${child.maxRssMb} MB includes its parent's ${ballast.length >> 20} MB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
