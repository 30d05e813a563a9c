// Recovery time (cli/figures/recovery.ts) on synthetic timelines whose answer is known by
// construction: the tolerance is the baseline phase's own noise (median + 3 scaled MADs of its
// rolling 5 s-window p95s, never below +10 %), and a run that cannot tell says so.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { K6Ndjson, prng } from '../../bench/cli-synthetic.ts';
import { RECOVERY_MIN_TOLERANCE, recoveryLimit } from '../../cli/figures/recovery.ts';
import { buildReport } from '../../cli/report/build-report.ts';
import { renderMarkdown } from '../../cli/report/render-md.ts';
import { loadRun } from '../../cli/run/load-run.ts';
import { assertValidReport, tempDir } from './helpers.ts';

const T0 = Date.UTC(2026, 0, 1);
const SLOS = {
  name: 'recovery',
  slos: [
    { id: 'recovery', metric: 'recovery_time_s', aggregation: 'value', operator: '<', fail: 30, warn: 5, evaluate: 'report' },
    // Always met by these timelines: the run's verdict turns on the recovery row.
    { id: 'p99', metric: 'http_req_duration', aggregation: 'p(99)', operator: '<', fail: 1000 },
  ],
};

async function reportOf(out: K6Ndjson) {
  const tmp = tempDir('recovery');
  try {
    const dir = join(tmp.dir, 'run');
    mkdirSync(dir);
    writeFileSync(join(dir, 'k6.json'), out.toString());
    writeFileSync(join(dir, 'thresholds.json'), JSON.stringify(SLOS));
    const report = buildReport(await loadRun(dir));
    // derived.recovery in every status is what report.schema.json describes.
    assertValidReport(JSON.parse(JSON.stringify(report)));
    return report;
  } finally {
    tmp.cleanup();
  }
}

/**
 * A burst-recovery timeline, 50 requests/s: `latencyAt(s, u)` gives the latency of a request at
 * second s (u: a uniform random number for per-request jitter).
 */
function timeline(baselineS: number, burstS: number, recoveryS: number, latencyAt: (s: number, u: number) => number, seed = 1): K6Ndjson {
  const out = new K6Ndjson();
  const u = prng(seed); // seeded: every run of the test sees the same noise
  for (let ms = 0; ms < (baselineS + burstS + recoveryS) * 1000; ms += 20) {
    const s = ms / 1000;
    const phase = s < baselineS ? 'baseline' : s < baselineS + burstS ? 'burst' : 'recovery';
    out.request(T0 + ms, latencyAt(s, u()), { name: 'submit', phase });
  }
  return out;
}

/** Baseline noise as a loaded loopback shows it: a level around 1.6 ms that drifts every 3 s by up to +50 %, ±10 % jitter per request. */
function noisyLevel(seed: number): (s: number) => number {
  const u = prng(seed); // seeded: every run of the test sees the same noise
  const levels = Array.from({ length: 100 }, () => 1.6 * (1 + 0.5 * u()));
  return (s) => levels[Math.floor(s / 3)]!;
}

test('recoveryLimit: median + 3 scaled MADs of the baseline windows, never below +10 % over the median', () => {
  // median 2, |x - 2| = 0.5 0.2 0 0.1 0.3 → MAD 0.2; 3 × 1.4826 × 0.2 = 0.88956.
  const noisy = recoveryLimit([1.5, 1.8, 2, 2.1, 2.3]);
  assert.equal(noisy.medianMs, 2);
  assert.ok(Math.abs(noisy.limitMs - (2 + 3 * 1.4826 * 0.2)) < 1e-9, `${noisy.limitMs}`);
  assert.equal(noisy.floored, false);
  // A steady baseline (MAD 0) still leaves the 10 % floor.
  const steady = recoveryLimit([5, 5, 5, 5.01, 5]);
  assert.equal(steady.floored, true);
  assert.ok(Math.abs(steady.limitMs - 5 * (1 + RECOVERY_MIN_TOLERANCE)) < 1e-9);
});

test('a noisy baseline that recovers: back at a level inside the baseline noise (but 20 % over its median) counts as recovered', async () => {
  const level = noisyLevel(7);
  // 30 s baseline, 10 s burst at 20 ms, then steady at 1.2 × the baseline's median level.
  const baselineLevels = Array.from({ length: 10 }, (_, i) => level(i * 3)).sort((a, b) => a - b);
  const back = 1.2 * ((baselineLevels[4]! + baselineLevels[5]!) / 2);
  const out = timeline(30, 10, 30, (s, u) => (s < 30 ? level(s) : s < 40 ? 20 : back) * (0.9 + 0.2 * u));
  const r = await reportOf(out);
  const rec = r.derived.recovery!;
  assert.equal(rec.status, 'recovered', rec.detail);
  assert.ok(rec.limitMs !== null && rec.baselineWindows >= 20, `${rec.baselineWindows} windows`);
  // The noise, not the 10 % floor, set the limit: the windows after the burst sit more than 10 %
  // over the baseline windows' median p95 and still count as back.
  const m = /back at ([\d.]+) ms ≤ limit [\d.]+ ms: median baseline 5 s-window p95 ([\d.]+) ms \+ 3 scaled MADs [\d.]+ ms over \d+ baseline windows/.exec(rec.detail);
  assert.ok(m, rec.detail);
  assert.ok(Number(m[1]) > 1.1 * Number(m[2]), rec.detail);
  assert.ok(rec.recoveryTimeS !== null && rec.recoveryTimeS <= 1.5, `recovered ${rec.recoveryTimeS} s after the burst (latency was back at once)`);
  assert.equal(r.slos[0]!.verdict, 'pass');
  assert.equal(r.slos[0]!.observed, rec.recoveryTimeS);
  assert.match(renderMarkdown(r), /Recovery after burst: [\d.]+ s \(p95 over a 5 s window back at [\d.]+ ms ≤ limit [\d.]+ ms/);
});

test('a steady baseline: the 10 % floor sets the limit; a linear decay recovers when it reaches it', async () => {
  // 20 s baseline at 10 ms, 10 s burst at 50 ms, then latency decays linearly to 10 ms over 8 s.
  const out = timeline(20, 10, 20, (s) => (s < 20 ? 10 : s < 30 ? 50 : Math.max(10, 50 - 5 * (s - 30))));
  const r = await reportOf(out);
  const rec = r.derived.recovery!;
  assert.ok(Math.abs(rec.baselineP95Ms - 10) < 0.05);
  assert.ok(Math.abs(rec.limitMs! - 11) < 0.05, `limit ${rec.limitMs} ms`);
  assert.match(rec.detail, /the 10 % floor/);
  // The first whole 5 s window with p95 ≤ 11 ms starts once latency is ≤ 11 ms, ~7.8 s after the burst.
  assert.ok(rec.recoveryTimeS !== null && rec.recoveryTimeS >= 7 && rec.recoveryTimeS <= 9, `recovery ${rec.recoveryTimeS} s`);
  // A derived figure can be an SLO ("evaluate": "report"): 8 s is over warn 5 s, under fail 30 s.
  assert.equal(r.slos[0]!.verdict, 'warn');
});

test('a noisy baseline that never recovers: not recovered, an infinite recovery time, a fail and a recommendation', async () => {
  const level = noisyLevel(11);
  // After the burst latency settles at 3 × the baseline level and stays there.
  const out = timeline(30, 10, 30, (s, u) => (s < 30 ? level(s) : s < 40 ? 20 : 3 * level(s)) * (0.9 + 0.2 * u));
  const r = await reportOf(out);
  const rec = r.derived.recovery!;
  assert.equal(rec.status, 'not-recovered', rec.detail);
  assert.equal(rec.recoveryTimeS, null);
  assert.match(rec.detail, /^no 5 s window in the 30\.0 s observed had its p95 within the limit \(lowest [\d.]+ ms\); limit [\d.]+ ms: .*; counted from the burst's end$/);
  assert.equal(r.slos[0]!.observed, Infinity);
  assert.equal(r.slos[0]!.verdict, 'fail');
  assert.equal(r.sloVerdict, 'fail');
  assert.ok(r.recommendations.some((x) => x.type === 'resilience' && x.priority === 'high'));
  assert.match(renderMarkdown(r), /Recovery after burst: \*\*did not recover\*\*/);
});

test('a baseline too short to estimate its noise: not judged, the SLO inconclusive (never a pass), nothing claims (non-)recovery', async () => {
  // 8 s of baseline: fewer than 11 rolling 5 s windows (15 s). Latency never comes back, yet the
  // figure must not say "did not recover" either: without the noise there is no limit.
  const out = timeline(8, 5, 20, (s) => (s < 8 ? 2 : 10));
  const r = await reportOf(out);
  const rec = r.derived.recovery!;
  assert.equal(rec.status, 'unknown');
  assert.equal(rec.recoveryTimeS, null);
  assert.equal(rec.limitMs, null);
  assert.match(rec.detail, /^cannot judge recovery: the baseline phase has \d rolling 5 s window\(s\) with at least 20 requests; 11 \(15 s of baseline\) are needed to estimate its noise/);
  const slo = r.slos[0]!;
  assert.equal(slo.observed, null, 'no data, not an infinite recovery time');
  assert.equal(slo.verdict, 'inconclusive');
  assert.match(slo.detail, /^inconclusive: cannot judge recovery: the baseline phase has/);
  // Another SLO passes; a recovery the run cannot judge still keeps it from passing.
  assert.equal(r.slos[1]!.verdict, 'pass');
  assert.equal(r.sloVerdict, 'inconclusive');
  assert.ok(!r.recommendations.some((x) => x.priority === 'high' && x.type === 'resilience'));
  assert.match(renderMarkdown(r), /Recovery after burst: \*\*not judged\*\* \(cannot judge recovery/);
});

test('a recovery phase shorter than one whole window: not judged, the limit still shown, teardown requests after it ignored', async () => {
  const out = timeline(20, 10, 3, (s) => (s < 20 ? 2 : s < 30 ? 10 : 2));
  // 10 s of untagged requests after the profile (k6's teardown) at baseline latency.
  for (let ms = 34_000; ms < 44_000; ms += 20) out.request(T0 + ms, 2, { name: 'teardown' });
  const r = await reportOf(out);
  const rec = r.derived.recovery!;
  assert.equal(rec.status, 'unknown', rec.detail);
  assert.equal(r.slos[0]!.verdict, 'inconclusive');
  assert.ok(rec.limitMs !== null);
  assert.match(rec.detail, /no whole 5 s window with at least 20 requests after the burst \(the measurements end [\d.]+ s after it\)/);
});

test('an idle gap between burst and recovery phase (a schedule with gaps, or any k6 output): the clock starts when load resumes', async () => {
  // baseline 0–20 s at 2 ms, burst 20–30 s at 10 ms, nothing 30–39 s, recovery from 39 s: still
  // 10 ms for 4 s, then 2 ms. Recovery time is ~4 s of load, not ~13 s of wall time (nor a
  // window that starts in the gap and holds a sliver of the recovery phase).
  const out = new K6Ndjson();
  for (let ms = 0; ms < 59_000; ms += 20) {
    const s = ms / 1000;
    if (s >= 30 && s < 39) continue;
    const phase = s < 20 ? 'baseline' : s < 30 ? 'burst' : 'recovery';
    out.request(T0 + ms, s < 20 ? 2 : s < 43 ? 10 : 2, { name: 'submit', phase });
  }
  const rec = (await reportOf(out)).derived.recovery!;
  assert.equal(rec.status, 'recovered', rec.detail);
  assert.ok(Math.abs(rec.loadResumedS! - 39) < 0.05, `load resumed at ${rec.loadResumedS} s`);
  assert.ok(rec.recoveryTimeS !== null && rec.recoveryTimeS >= 3.5 && rec.recoveryTimeS <= 5, `recovery ${rec.recoveryTimeS} s`);
  assert.match(rec.detail, /counted from load resumed, 9\.0 s after the burst's end/);
});
