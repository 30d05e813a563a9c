// The breaking point (cli/figures/breaking-point.ts) on synthetic runs whose answer is known by
// construction: a simulated arrival-rate executor with a fixed VU pool and long iterations, where
// counting iterations by when they finish would be wrong.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { K6Ndjson } from '../../bench/cli-synthetic.ts';
import { breakingPoint } from '../../cli/figures/breaking-point.ts';
import { sortedBuckets } from '../../cli/report/timeline.ts';
import { loadRun } from '../../cli/run/load-run.ts';
import { tempDir } from './helpers.ts';

const T0 = Date.UTC(2026, 0, 1);

interface Simulated {
  out: K6Ndjson;
  /** Seconds after T0 of the first dropped iteration. */
  firstDropS: number | null;
}

/**
 * An arrival-rate executor: iterations start on `schedule` (seconds -> iterations/s), each
 * takes `iterationMs` (one request of that latency), at most `maxVus` at once; an arrival with
 * no free VU is a dropped iteration. Iterations whose end is after `stopS` never report.
 */
function simulate(o: { schedule: (s: number) => number; seconds: number; iterationMs: number; maxVus: number; stopS?: number; failFromS?: number }): Simulated {
  const out = new K6Ndjson();
  const running: number[] = [];
  let firstDropS: number | null = null;
  const stopMs = (o.stopS ?? Infinity) * 1000;
  for (let s = 0; s <= Math.ceil(o.seconds + o.iterationMs / 1000); s++) if (s * 1000 <= stopMs) out.point('vus', T0 + s * 1000, running.length, {});
  for (let ms = 0; ms < o.seconds * 1000; ) {
    for (let i = running.length - 1; i >= 0; i--) if (running[i]! <= ms) running.splice(i, 1);
    if (running.length < o.maxVus) {
      running.push(ms + o.iterationMs);
      const end = ms + o.iterationMs;
      if (end <= stopMs) {
        const failed = o.failFromS !== undefined && ms >= o.failFromS * 1000;
        out.request(T0 + end, o.iterationMs, { name: 'submit' }, failed);
        out.iteration(T0 + end, o.iterationMs);
      }
    } else {
      out.point('dropped_iterations', T0 + ms, 1, { scenario: 'default' });
      firstDropS ??= ms / 1000;
    }
    ms += 1000 / o.schedule(ms / 1000);
  }
  return { out, firstDropS };
}

async function loaded(out: K6Ndjson, extra: { slos?: object; runJson?: object } = {}) {
  const tmp = tempDir('breaking-point');
  try {
    const dir = join(tmp.dir, 'run');
    mkdirSync(dir);
    writeFileSync(join(dir, 'k6.json'), out.toString());
    if (extra.runJson) writeFileSync(join(dir, 'run.json'), JSON.stringify(extra.runJson));
    if (extra.slos) writeFileSync(join(dir, 'thresholds.json'), JSON.stringify(extra.slos));
    return await loadRun(dir);
  } finally {
    tmp.cleanup();
  }
}

// 5 iterations/s for 6 s, then 20/s; 3.5 s iterations and 50 VUs deliver at most ~14/s.
const step = (s: number) => (s < 6 ? 5 : 20);
const longIterations = () => simulate({ schedule: step, seconds: 12, iterationMs: 3500, maxVus: 50 });
const slos = (...entries: object[]) => ({ name: 'bp', slos: entries });
const LOOSE = slos(
  { id: 'p95', metric: 'http_req_duration', aggregation: 'p(95)', operator: '<', fail: 10_000 },
  { id: 'errors', metric: 'http_req_failed', aggregation: 'rate', operator: '<', fail: 0.05 },
);

test('long iterations: the offered rate at the first dropped iteration, counted by start time', async () => {
  const { out, firstDropS } = longIterations();
  assert.ok(firstDropS !== null && firstDropS > 8 && firstDropS < 8.5, `the pool of 50 runs out at ~8.2 s (${firstDropS})`);
  const run = await loaded(out, { slos: LOOSE });
  const bp = breakingPoint(run)!;
  assert.equal(bp.cause, 'dropped', bp.reason);
  const truth = step(firstDropS);
  assert.ok(Math.abs(bp.arrivalRatePerS - truth) / truth <= 0.1, `${bp.arrivalRatePerS} vs offered ${truth}: ${bp.reason}`);
  assert.equal(bp.atS, Math.floor(firstDropS));
  // Counting by finish time in the same second sees iterations started 3.5 s earlier at 5/s:
  // the figure this replaces would be more than 10 % low here.
  const bucket = sortedBuckets(run).find((b) => b.dropped > 0)!;
  assert.ok((bucket.iterations + bucket.dropped) / truth < 0.9, `finish-time count ${bucket.iterations + bucket.dropped}/s`);
});

test('a fail-level latency SLO broken before any drop is the break: the offered rate then', async () => {
  const { out } = longIterations();
  for (const aggregation of ['p(95)', 'avg']) {
    const run = await loaded(out, { slos: slos({ id: 'tight', metric: 'http_req_duration', aggregation, operator: '<', fail: 1000 }) });
    const bp = breakingPoint(run)!;
    assert.equal(bp.cause, 'slo', bp.reason);
    assert.match(bp.reason, /SLO tight/);
    // The first 3.5 s responses arrive at 3.5 s; ten of them (a judgeable window) by ~5.5 s, still at 5/s.
    assert.ok(bp.atS >= 3 && bp.atS < 6, `${aggregation}: at ${bp.atS} s`);
    assert.ok(Math.abs(bp.arrivalRatePerS - 5) <= 0.5, `${aggregation}: ${bp.arrivalRatePerS}: ${bp.reason}`);
  }
});

test('an error-rate SLO judged per window: the rate when failures begin, not at the end', async () => {
  const { out } = simulate({ schedule: (s) => (s < 8 ? 10 : 30), seconds: 12, iterationMs: 100, maxVus: 50, failFromS: 5 });
  const bp = breakingPoint(await loaded(out, { slos: LOOSE }))!;
  assert.equal(bp.cause, 'slo', bp.reason);
  assert.match(bp.reason, /SLO errors/);
  assert.equal(bp.atS, 5);
  assert.ok(Math.abs(bp.arrivalRatePerS - 10) <= 1, bp.reason);
});

test('an aborted run: the offered rate before the run’s last iteration duration, which never reported', async () => {
  // 10, 20, ... iterations/s; k6 aborts at 10 s (exit 108) and the 3.5 s iterations still running never report.
  const ramp = (s: number) => 10 * (Math.floor(s) + 1);
  const { out } = simulate({ schedule: ramp, seconds: 10, iterationMs: 3500, maxVus: 10_000, stopS: 10 });
  const run = await loaded(out, { runJson: { profile: 'smoke', exitCode: 108 } });
  const bp = breakingPoint(run)!;
  assert.equal(bp.cause, 'aborted', bp.reason);
  // The run ends at 10 s; its last 3.5 s are not judged, so the last judgeable second is 5..6 s.
  assert.equal(bp.arrivalRatePerS, ramp(5), bp.reason);
  assert.match(bp.reason, /had not reported/);
  // run.json's end may be later than k6's last sample (teardown, output flush): k6 stopped at its last sample.
  const recordedLater = await loaded(out, { runJson: { profile: 'smoke', exitCode: 108, startedAt: new Date(T0).toISOString(), endedAt: new Date(T0 + 12_000).toISOString() } });
  assert.equal(breakingPoint(recordedLater)!.arrivalRatePerS, ramp(5));
  // Exit 99 is an abort only in a ramp-to-failure run.
  assert.equal(breakingPoint(await loaded(out, { runJson: { profile: 'smoke', exitCode: 99 } })), null);
  assert.equal(breakingPoint(await loaded(out, { runJson: { profile: 'breakpoint', exitCode: 99 } }))?.cause, 'aborted');
});

test('no break: no figure; SLOs that a window cannot judge (tagged, counts) do not make one', async () => {
  const { out } = simulate({ schedule: () => 10, seconds: 10, iterationMs: 3500, maxVus: 100 });
  const untouched = slos(
    { id: 'tagged', metric: 'http_req_duration{name:submit}', aggregation: 'p(95)', operator: '<', fail: 1000 },
    { id: 'count', metric: 'http_reqs', aggregation: 'count', operator: '<', fail: 5 },
  );
  assert.equal(breakingPoint(await loaded(out, { slos: untouched })), null);
  assert.equal(breakingPoint(await loaded(out, { slos: LOOSE })), null);
});

test('without iteration_duration points there is no start time: no figure rather than a finish-time guess', async () => {
  const out = new K6Ndjson();
  for (let ms = 0; ms < 5000; ms += 100) out.request(T0 + ms, 5, { name: 'submit' }).point('iterations', T0 + ms, 1, { scenario: 'default' });
  out.point('dropped_iterations', T0 + 2500, 3, { scenario: 'default' });
  assert.equal(breakingPoint(await loaded(out)), null);
});
