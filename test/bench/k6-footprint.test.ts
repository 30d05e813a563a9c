// Smoke of bench/k6-footprint.ts (figures are never asserted): one tiny round against the local
// reference server emits every kind of row the bench table shows (bundle size, peak RSS per VU
// level against the bare peer, CPU per request against the bare peer and wrk), and bad knobs are
// refused with what was expected.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import type { BenchRow } from '../../bench/lib/paired.ts';

const bench = (env: Record<string, string>) => spawnSync(process.execPath, ['--import', 'tsx', 'bench/k6-footprint.ts'], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 26 });

test('k6-footprint emits its rows for a tiny round', () => {
  const r = bench({ BENCH_RUNS: '1', BENCH_VUS: '1,2', BENCH_BUNDLES: 'mixed-workload', BENCH_DURATION: '1s', BENCH_REQS: '2000' });
  assert.equal(r.status, 0, r.stderr.slice(-3000));
  const rows = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('@@row '))
    .map((l) => JSON.parse(l.slice(6)) as BenchRow);
  assert.deepEqual(
    rows.map((x) => x.figure),
    [
      'bundle size per workload',
      'k6 peak RSS, mixed-workload, 1 VU',
      'k6 peak RSS, mixed-workload, 2 VUs',
      'k6 CPU per request, mixed-workload health only, 20 VUs',
      'k6 CPU per request, bare GET script vs wrk',
    ],
  );
  for (const row of rows.slice(1, 3)) assert.ok(row.ratio! > 0, `${row.figure}: ratio ${row.ratio}`);
  // Only that the slope was computed is checked (a figure from one run is noise). 2000 vs 200
  // requests differ by ~90 ms of k6 CPU; 200 vs 20 differed by ~9 ms, under GNU time's 10 ms
  // resolution, so the bare slope could read 0 and the ratio Infinity (null in the row).
  assert.ok(Number.isFinite(rows[3]!.ratio), `CPU ratio ${rows[3]!.ratio}`);
  assert.match(rows[1]!.peer, /^bare GET script: \d+ MiB$/);
});

test('k6-footprint refuses bad VU levels, unknown bundles and a bad duration, all at once, before it builds or measures', () => {
  const bad = bench({ BENCH_VUS: '0,abc', BENCH_BUNDLES: 'nope', BENCH_DURATION: 'soon', BENCH_RUNS: '0' });
  assert.equal(bad.status, 2);
  // The project's one env-knob reader (lib/shared/env-knobs.ts), in its one wording.
  assert.match(bad.stderr, /^BENCH_RUNS="0" is not valid: expected a positive whole number such as 5$/m);
  assert.match(bad.stderr, /^BENCH_VUS="0,abc" is not valid: expected comma-separated whole numbers from 1 to 1000 such as 1,100,500$/m);
  assert.match(bad.stderr, /^BENCH_DURATION="soon" is not valid: expected a duration of at least 1s such as 8s$/m);
  assert.match(bad.stderr, /^BENCH_BUNDLES="nope" is not valid: expected some of .*mixed-workload/m);
  assert.match(bad.stderr, /\(invalid configuration, 4 problems: nothing was measured; fix every line above\)/);
  assert.doesNotMatch(bad.stdout, /Bundle sizes/, 'nothing was built or measured');
});
