// The statistics behind `compare`: textbook Mann–Whitney p-values, interval coverage, and the
// verdict rule's false-positive rate and power on synthetic runs from a seeded PRNG.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gaussian, prng } from '../../bench/cli-synthetic.ts';
import { type CompareOptions, compareSamples, holm } from '../../cli/compare/compare-runs.ts';
import { median, medianCi, shiftCi } from '../../cli/stats/intervals.ts';
import { mannWhitney, minimumPValue, shiftCiRank, uDistribution } from '../../cli/stats/mann-whitney.ts';
import { normalQuantile, normalUpperTail } from '../../cli/stats/normal.ts';
import { minimumPairedPValue, pairedShiftCi, signedRank } from '../../cli/stats/signed-rank.ts';

const OPTIONS: CompareOptions = { alpha: 0.05, noisePct: 5, noisePp: 0.5, noiseFor: {}, tolerancePct: 10, tolerancePp: 1 };
const LATENCY = { id: 'http_req_duration p95', unit: 'ms', better: 'lower', scale: 'relative' } as const;

test('Mann–Whitney matches textbook values (R wilcox.test, Hollander & Wolfe)', () => {
  // R: x <- c(0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46)
  //    y <- c(1.15, 0.88, 0.90, 0.74, 1.21); wilcox.test(x, y, alternative = "g")
  //    -> W = 35, p-value = 0.1272 (one-sided), so two-sided 0.2544.
  const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
  const y = [1.15, 0.88, 0.9, 0.74, 1.21];
  const r = mannWhitney(x, y);
  assert.equal(r.u, 35);
  assert.equal(r.method, 'exact');
  assert.ok(Math.abs(r.p - 0.2544) < 0.0005, `p = ${r.p}`);
  // Complete separation, 5 vs 5: p = 2 / C(10,5) = 2/252 (R: 0.007937).
  assert.ok(Math.abs(mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]).p - 2 / 252) < 1e-12);
  // 3 vs 3 separated: 2/20; 4 vs 4 with U = 1: 2 * 2/70.
  assert.ok(Math.abs(mannWhitney([1, 2, 3], [4, 5, 6]).p - 0.1) < 1e-12);
  assert.ok(Math.abs(mannWhitney([1, 2, 3, 5], [4, 6, 7, 8]).p - 4 / 70) < 1e-12);
  // Identical samples: no evidence at all.
  assert.equal(mannWhitney([1, 1, 1], [1, 1, 1]).p, 1);
});

test('the exact U distribution is a distribution and the normal approximation agrees with it for large n', () => {
  const d = uDistribution(7, 9);
  assert.ok(Math.abs(d.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.ok(Math.abs(d[0]! - 1 / 11440) < 1e-15); // 1 / C(16,7)
  // 40 vs 40 without ties: exact vs the normal approximation used beyond 50 (and with ties).
  const rnd = prng(7);
  const x = Array.from({ length: 40 }, () => rnd());
  const y = Array.from({ length: 40 }, () => rnd() + 0.08);
  const exact = mannWhitney(x, y);
  const mu = 800;
  const sigma = Math.sqrt((40 * 40 * 81) / 12);
  const approx = 2 * normalUpperTail((Math.abs(exact.u - mu) - 0.5) / sigma);
  assert.equal(exact.method, 'exact');
  assert.ok(exact.p > 0.01 && exact.p < 0.5, `test setup: p = ${exact.p}`);
  assert.ok(Math.abs(exact.p - approx) / exact.p < 0.05, `exact ${exact.p} vs normal ${approx}`);
  // Ties use the exact tie-conditional distribution (test/cli/stats-ties.test.ts checks its values).
  assert.equal(mannWhitney([1, 2, 2, 3], [2, 3, 4, 5]).method, 'exact-ties');
});

test('normal quantile and tail invert each other', () => {
  for (const p of [0.001, 0.025, 0.5, 0.9, 0.975]) assert.ok(Math.abs(1 - normalUpperTail(normalQuantile(p)) - p) < 1e-6);
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959964) < 1e-5);
});

test('small samples: which sizes can ever reach p < 0.05', () => {
  assert.ok(minimumPValue(2, 2) >= 0.05, '2 vs 2 can never be significant');
  assert.ok(minimumPValue(3, 3) >= 0.05);
  assert.ok(minimumPValue(4, 4) < 0.05);
  assert.ok(minimumPValue(5, 5) < 0.05);
  assert.equal(shiftCiRank(2, 2, 0.05), 0, 'no interval of the change is possible with 2 vs 2');
  assert.equal(shiftCiRank(5, 5, 0.05), 3, 'critical value for 5 vs 5 at 95 %: U ≤ 2');
});

test('order-statistic CI of the median covers the true median at its stated level', () => {
  assert.equal(medianCi([1, 2, 3, 4, 5], 0.05), null, 'n = 5 is too small for a 95 % interval');
  const rnd = prng(11);
  let covered = 0;
  const trials = 2000;
  for (let t = 0; t < trials; t++) {
    const xs = Array.from({ length: 9 }, () => gaussian(rnd));
    const ci = medianCi(xs, 0.05)!;
    if (ci.low <= 0 && ci.high >= 0) covered++;
  }
  assert.ok(covered / trials >= 0.95, `coverage ${covered / trials}`);
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
});

test('Hodges–Lehmann shift estimates a known shift and its interval contains it', () => {
  const rnd = prng(3);
  const x = Array.from({ length: 12 }, () => 100 + gaussian(rnd));
  const y = x.map((v) => v + 10 + 0.1 * gaussian(rnd));
  const s = shiftCi(x, y, 0.05);
  assert.ok(Math.abs(s.estimate - 10) < 1, `estimate ${s.estimate}`);
  assert.ok(s.low <= 10 && s.high >= 10);
  assert.equal(shiftCi([1, 2], [3, 4], 0.05).low, -Infinity);
});

// The A/A false-positive rate and the power of the rule are measured, not asserted:
// npm run bench:cli-power (bench/cli-power.ts) prints them.

test('verdicts are direction-aware: throughput down and error rate up are regressions', () => {
  const tput = { id: 'http_reqs rate', unit: '/s', better: 'higher', scale: 'relative' } as const;
  const down = compareSamples(tput, [1000, 1010, 990, 1005, 995], [800, 805, 795, 810, 790], OPTIONS);
  assert.equal(down.verdict, 'regressed');
  assert.ok(down.delta!.estimate < -0.15);
  const up = compareSamples(tput, [800, 805, 795, 810, 790], [1000, 1010, 990, 1005, 995], OPTIONS);
  assert.equal(up.verdict, 'improved');
  const errors = { id: 'http_req_failed rate', unit: 'ratio', better: 'lower', scale: 'absolute' } as const;
  const worse = compareSamples(errors, [0, 0.001, 0, 0.002, 0.001], [0.03, 0.04, 0.035, 0.03, 0.05], OPTIONS);
  assert.equal(worse.verdict, 'regressed');
  // A change inside the noise band is "equivalent" even when it is statistically clear: the
  // whole interval (+1.6 % … +2.4 %) lies inside ±5 %.
  const tiny = compareSamples(LATENCY, [100, 100.1, 100.2, 100.3, 100.4], [102, 102.1, 102.2, 102.3, 102.4], OPTIONS);
  assert.ok(tiny.p! < 0.05);
  assert.equal(tiny.verdict, 'equivalent');
  // Wide noise, no clear change: inconclusive, with how many runs would decide.
  const wide = compareSamples(LATENCY, [80, 120, 95, 110, 100], [81.6, 122.4, 96.9, 112.2, 102], OPTIONS);
  assert.equal(wide.verdict, 'inconclusive');
  assert.ok(wide.runsNeeded !== null && wide.runsNeeded > 5, `runs needed ${wide.runsNeeded}`);
  assert.match(wide.note, /≈ \d+ runs per side would decide at the observed noise/);
});

test('one run per side uses the fixed tolerance and says there are no statistics', () => {
  const r = compareSamples(LATENCY, [100], [125], OPTIONS);
  assert.equal(r.test, 'fixed-tolerance');
  assert.equal(r.verdict, 'regressed');
  assert.equal(r.p, null);
  assert.match(r.note, /no statistics/);
  // Within the tolerance is not "equivalent": one run per side cannot show that.
  const within = compareSamples(LATENCY, [100], [105], OPTIONS);
  assert.equal(within.verdict, 'inconclusive');
  assert.match(within.note, /cannot show equivalence/);
});

test('Holm step-down adjusts p-values within a family', () => {
  // Textbook example: p = 0.01, 0.04, 0.03, 0.005 -> 0.03, 0.06, 0.06, 0.02.
  const adj = holm([0.01, 0.04, 0.03, 0.005]);
  [0.03, 0.06, 0.06, 0.02].forEach((e, i) => assert.ok(Math.abs(adj[i]! - e) < 1e-12, `${adj[i]} vs ${e}`));
  assert.deepEqual(holm([0.5, 0.9]), [1, 1]);
});

test('Wilcoxon signed-rank: exact values, ties and zeros', () => {
  // 6 pairs all positive: p = 2 / 2^6.
  assert.ok(Math.abs(signedRank([1, 2, 3, 4, 5, 6]).p - 2 / 64) < 1e-12);
  // R: wilcox.test(c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30),
  //                c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29), paired = TRUE)
  //   -> V = 40, p-value = 0.03906 (Hollander & Wolfe, depression scale).
  const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
  const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
  const r = signedRank(x.map((v, i) => v - y[i]!));
  assert.equal(r.w, 40);
  assert.ok(Math.abs(r.p - 0.03906) < 5e-5, `p = ${r.p}`);
  // Tied |d| {1, 1} and a zero (dropped): midranks 1.5, 1.5, 3; observed W+ = 1.5 + 3 = 4.5.
  // The 8 sign patterns give W+ = 0, 1.5, 1.5, 3, 3, 4.5, 4.5, 6: P(W+ ≥ 4.5) = 3/8, p = 3/4.
  const tied = signedRank([1, -1, 2, 0]);
  assert.equal(tied.w, 4.5);
  assert.ok(Math.abs(tied.p - 0.75) < 1e-12, `p = ${tied.p}`);
  assert.equal(minimumPairedPValue(5) >= 0.05, true, '5 pairs can never reach p < 0.05');
  const ci = pairedShiftCi([0.1, 0.12, 0.09, 0.11, 0.1, 0.13, 0.1, 0.11], 0.1);
  assert.ok(ci.low > 0.08 && ci.high < 0.13 && ci.estimate > 0.09 && ci.estimate < 0.12, JSON.stringify(ci));
});
