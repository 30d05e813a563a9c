// Stall windows from a run's timeline: found where VUs are active and nothing completes (or
// completions collapse), not in a healthy run, a short hiccup, or a sparse workload's think time.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findStalls } from '../../cli/figures/stall.ts';
import type { TimeSeries } from '../../cli/model/run-summary.ts';
import { emptyBucket, newTimeSeries } from '../../cli/stats/timeseries.ts';

/** One bucket per second from t0: [completed requests, active VUs]. */
function timeline(perSecond: Array<[number, number]>, t0 = 1_700_000_000): TimeSeries {
  const ts = newTimeSeries(1000);
  perSecond.forEach(([reqs, vus], k) => {
    const b = emptyBucket(t0 + k);
    b.reqs = reqs;
    b.vus = vus;
    ts.buckets.set(b.index, b);
  });
  return ts;
}

const steady = (n: number, reqs = 200, vus = 20): Array<[number, number]> => Array.from({ length: n }, () => [reqs, vus]);

test('a frozen system under test: VUs active, nothing completes for 9 s -> one no-progress window', () => {
  const ts = timeline([...steady(6), ...Array.from({ length: 9 }, (): [number, number] => [0, 20])]);
  const stalls = findStalls(ts)!;
  assert.equal(stalls.length, 1);
  assert.equal(stalls[0]!.kind, 'no-progress');
  assert.equal(stalls[0]!.seconds, 9);
  assert.equal(stalls[0]!.startMs, (1_700_000_000 + 6) * 1000);
  assert.equal(stalls[0]!.endMs, (1_700_000_000 + 15) * 1000);
  assert.equal(stalls[0]!.steadyRatePerS, 200);
});

test('completions collapsing to under 10 % of the steady rate is a collapse window', () => {
  const ts = timeline([...steady(5), [5, 20], [3, 20], [8, 20], [4, 20], ...steady(5)]);
  const stalls = findStalls(ts)!;
  assert.deepEqual(
    stalls.map((s) => [s.kind, s.seconds]),
    [['collapse', 4]],
  );
  assert.equal(stalls[0]!.ratePerS, 5);
});

test('a healthy run, a 2 s hiccup and idle (0 VU) stretches are not stalls', () => {
  assert.deepEqual(findStalls(timeline(steady(20))), []);
  assert.deepEqual(findStalls(timeline([...steady(5), [0, 20], [0, 20], ...steady(5)])), []);
  assert.deepEqual(findStalls(timeline([...steady(5), ...Array.from({ length: 10 }, (): [number, number] => [0, 0]), ...steady(5)])), []);
});

test('sparse workloads: gaps shorter than five expected intervals between completions are not stalls', () => {
  // One completion every 2 s on average (think time): 4 s without one is normal, 20 s is not.
  const sparse: Array<[number, number]> = Array.from({ length: 20 }, (_, k) => [k % 2 === 0 ? 1 : 0, 1]);
  assert.deepEqual(findStalls(timeline(sparse)), []);
  const frozen: Array<[number, number]> = [...sparse, ...Array.from({ length: 20 }, (): [number, number] => [0, 1]), ...sparse];
  const stalls = findStalls(timeline(frozen))!;
  assert.equal(stalls.length, 1);
  assert.ok(stalls[0]!.seconds >= 20, String(stalls[0]!.seconds));
});

test('too short a timeline has no steady rate: null, not "no stall"', () => {
  assert.equal(findStalls(timeline(steady(3))), null);
});
