// The statistics behind `compare`: textbook Mann–Whitney p-values, interval coverage, and the
// verdict rule's false-positive rate and power on synthetic runs from a seeded PRNG.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mannWhitney, minimumPValue, uDistribution, shiftCiRank } from '../../cli/stats/mann-whitney.ts';
import { median, medianCi, shiftCi } from '../../cli/stats/intervals.ts';
import { normalQuantile, normalUpperTail } from '../../cli/stats/normal.ts';
import { compareSamples, type CompareOptions } from '../../cli/compare/compare-runs.ts';
import { gaussian, prng } from '../../bench/cli-synthetic.ts';

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
  // Ties switch to the tie-corrected normal approximation.
  assert.equal(mannWhitney([1, 2, 2, 3], [2, 3, 4, 5]).method, 'normal');
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

function lognormalRuns(rnd: () => number, n: number, median: number, sigma: number): number[] {
  return Array.from({ length: n }, () => median * Math.exp(sigma * gaussian(rnd)));
}

test('A/A: runs from one distribution are almost never called changed (≤ 5 % of 1000 trials)', () => {
  const rnd = prng(2024);
  let flagged = 0;
  let flaggedNoBand = 0;
  const trials = 1000;
  for (let t = 0; t < trials; t++) {
    const base = lognormalRuns(rnd, 5, 100, 0.03);
    const cand = lognormalRuns(rnd, 5, 100, 0.03);
    if (compareSamples(LATENCY, base, cand, OPTIONS).verdict !== '~') flagged++;
    // Without a noise band the rule is the bare test: its rate must still respect α.
    if (compareSamples(LATENCY, base, cand, { ...OPTIONS, noisePct: 0 }).verdict !== '~') flaggedNoBand++;
  }
  assert.ok(flagged / trials <= 0.05, `false-positive rate ${flagged / trials}`);
  assert.ok(flaggedNoBand / trials <= 0.05, `false-positive rate without band ${flaggedNoBand / trials}`);
});

test('a 10 % slowdown with 5 runs per side and 2 % run-to-run noise is flagged in ≥ 90 % of trials', () => {
  const rnd = prng(99);
  let regressed = 0;
  let wrongWay = 0;
  const trials = 1000;
  for (let t = 0; t < trials; t++) {
    const r = compareSamples(LATENCY, lognormalRuns(rnd, 5, 100, 0.02), lognormalRuns(rnd, 5, 110, 0.02), OPTIONS);
    if (r.verdict === 'regressed') regressed++;
    if (r.verdict === 'improved') wrongWay++;
  }
  assert.ok(regressed / trials >= 0.9, `power ${regressed / trials}`);
  assert.equal(wrongWay, 0);
});

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
  // A change inside the noise band is "~" even when it is statistically clear.
  const tiny = compareSamples(LATENCY, [100, 100.1, 100.2, 100.3, 100.4], [102, 102.1, 102.2, 102.3, 102.4], OPTIONS);
  assert.ok(tiny.p! < 0.05);
  assert.equal(tiny.verdict, '~');
});

test('one run per side uses the fixed tolerance and says there are no statistics', () => {
  const r = compareSamples(LATENCY, [100], [125], OPTIONS);
  assert.equal(r.test, 'fixed-tolerance');
  assert.equal(r.verdict, 'regressed');
  assert.equal(r.p, null);
  assert.match(r.note, /no statistics/);
  assert.equal(compareSamples(LATENCY, [100], [105], OPTIONS).verdict, '~');
});
