// Derived figures on synthetic runs whose answer is known by construction.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { K6Ndjson } from '../../bench/cli-synthetic.ts';
import { buildReport } from '../../cli/report/build-report.ts';
import { loadRun } from '../../cli/run/load-run.ts';
import { tempDir } from './helpers.ts';

const T0 = Date.UTC(2026, 0, 1);

async function reportOf(out: K6Ndjson, runJson?: object, slos?: object) {
  const tmp = tempDir('derived');
  try {
    const dir = join(tmp.dir, 'run');
    mkdirSync(dir);
    writeFileSync(join(dir, 'k6.json'), out.toString());
    if (runJson) writeFileSync(join(dir, 'run.json'), JSON.stringify(runJson));
    // The runner's copy of the effective SLO set, read by the one loader.
    if (slos) writeFileSync(join(dir, 'thresholds.json'), JSON.stringify(slos));
    return buildReport(await loadRun(dir));
  } finally {
    tmp.cleanup();
  }
}

test('latency growth per 2.5x concurrency from the concurrency tag', async () => {
  const out = new K6Ndjson();
  const levels: Array<[number, number]> = [
    [4, 10],
    [10, 11],
    [25, 14],
  ];
  let t = T0;
  for (const [c, latency] of levels) for (let i = 0; i < 500; i++) out.request((t += 5), latency, { name: 'submit', concurrency: String(c) });
  const slos = { name: 'c', slos: [{ id: 'growth', metric: 'latency_growth_per_2_5x', aggregation: 'value', operator: '<', fail: 20, unit: '%', evaluate: 'report' }] };
  const r = await reportOf(out, undefined, slos);
  const s = r.derived.concurrencyScaling!;
  assert.deepEqual(
    s.levels.map((l) => l.concurrency),
    [4, 10, 25],
  );
  // 10 -> 11 ms is +10 %, 11 -> 14 ms is +27.3 % per 2.5x; the worst step is reported.
  assert.ok(Math.abs(s.worstGrowthPer2_5xPct! - (14 / 11 - 1) * 100) < 0.5, `${s.worstGrowthPer2_5xPct}`);
  assert.ok(r.recommendations.some((x) => x.type === 'scalability'));
  assert.equal(r.slos[0]!.verdict, 'fail', '27 % growth crosses the 20 % fail level');
});

test('breaking point: the arrival rate when the run was aborted', async () => {
  const out = new K6Ndjson();
  // Arrival rate ramps 10, 20, ... 100 iterations/s over 10 s; k6 aborted at the end (exit 99).
  for (let sec = 0; sec < 10; sec++) {
    const n = 10 * (sec + 1);
    for (let i = 0; i < n; i++) {
      const t = T0 + sec * 1000 + (i * 1000) / n;
      out.request(t, 5, { name: 'submit' });
      out.iteration(t, 6);
    }
  }
  const runJson = { profile: 'ramp-to-failure', startedAt: new Date(T0).toISOString(), endedAt: new Date(T0 + 10_000).toISOString(), exitCode: 99 };
  const r = await reportOf(out, runJson);
  const b = r.derived.breakingPoint!;
  assert.ok(b, 'aborted run has a breaking point');
  // The last bucket is partial and inside the run's last iteration duration: the offered rate is
  // that of the second before it, 90/s (cli/figures/breaking-point.ts).
  assert.equal(b.arrivalRatePerS, 90);
  assert.match(b.reason, /exit code 99/);
  // The same exit code in an ordinary profile only means a threshold failed at the end.
  const ordinary = await reportOf(out, { ...runJson, profile: 'smoke' });
  assert.equal(ordinary.derived.breakingPoint, null);
});

test('docket finality: stats of the docket_finality trend', async () => {
  const out = new K6Ndjson();
  for (let i = 1; i <= 100; i++) out.point('docket_finality', T0 + i * 10, i * 10, { name: 'docket' });
  out.request(T0, 5, { name: 'submit' });
  const r = await reportOf(out);
  const d = r.derived.docketFinality!;
  assert.equal(d.count, 100);
  assert.equal(d.min, 10);
  assert.equal(d.max, 1000);
  assert.ok(Math.abs(d.median - 505) / 505 < 0.005);
});

test('latency growth: a step other than 2.5x is normalised to 2.5x; one usable level gives no figure', async () => {
  const out = new K6Ndjson();
  let t = T0;
  // 10 -> 20 VUs (2x) at +10 % p95.
  for (const [c, latency] of [
    [10, 10],
    [20, 11],
  ] as const)
    for (let i = 0; i < 500; i++) out.request((t += 5), latency, { name: 'submit', concurrency: String(c) });
  const s = (await reportOf(out)).derived.concurrencyScaling!;
  assert.ok(Math.abs(s.worstGrowthPer2_5xPct! - (1.1 ** (Math.log(2.5) / Math.log(2)) - 1) * 100) < 0.5, `${s.worstGrowthPer2_5xPct}`);

  const single = new K6Ndjson();
  for (let i = 0; i < 100; i++) single.request(T0 + i * 5, 10, { name: 'submit', concurrency: '5' });
  assert.equal((await reportOf(single)).derived.concurrencyScaling, null);
});
