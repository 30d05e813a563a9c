// The judge's implicit rows: a stall is a fail with its window named; too short a timeline is
// unknown; implicit rows never make a run without SLOs pass; inconclusive beats fail.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SloResult } from '../../cli/report/report-types.ts';
import { overallVerdict } from '../../cli/slo/evaluate.ts';
import { progressResult } from '../../cli/slo/judge.ts';
import { derivedHttpTimeout } from '../../lib/shared/progress-guard.ts';

const row = (verdict: SloResult['verdict'], source: SloResult['source']): SloResult => ({
  id: 'x',
  metric: 'm',
  expression: 'e',
  warnExpression: null,
  targetExpression: null,
  targetMet: null,
  observed: 1,
  verdict,
  source,
  detail: '',
});

test('a stall window is a fail-level progress row naming start, end and length', () => {
  const r = progressResult({ windows: [{ startMs: 0, endMs: 0, startS: 6, endS: 15, seconds: 9, kind: 'no-progress', ratePerS: 0, steadyRatePerS: 200 }], guardStalls: 0 });
  assert.equal(r.verdict, 'fail');
  assert.match(r.detail, /no-progress from 6\.0 s to 15\.0 s \(9\.0 s/);
  assert.equal(r.observed, 9);
});

test('a guard stall alone fails; no windows and no guard stall passes; no timeline is unknown', () => {
  assert.equal(progressResult({ windows: [], guardStalls: 1 }).verdict, 'fail');
  assert.equal(progressResult({ windows: [], guardStalls: 0 }).verdict, 'pass');
  assert.equal(progressResult({ windows: null, guardStalls: 0 }).verdict, 'unknown');
});

test('implicit rows never turn a run without SLOs into a pass; inconclusive beats fail', () => {
  assert.equal(overallVerdict([row('pass', 'implicit'), row('pass', 'implicit')]), 'unknown');
  assert.equal(overallVerdict([row('unknown', 'thresholds-file'), row('pass', 'implicit')]), 'unknown');
  assert.equal(overallVerdict([row('pass', 'thresholds-file'), row('pass', 'implicit')]), 'pass');
  assert.equal(overallVerdict([row('fail', 'thresholds-file'), row('inconclusive', 'implicit')]), 'inconclusive');
  // A declared SLO that could not be judged does not hide another one's fail, nor turn a pass into one.
  assert.equal(overallVerdict([row('fail', 'thresholds-file'), row('inconclusive', 'thresholds-file')]), 'fail');
  assert.equal(overallVerdict([row('pass', 'thresholds-file'), row('inconclusive', 'thresholds-file')]), 'inconclusive');
  assert.equal(overallVerdict([row('pass', 'thresholds-file'), row('fail', 'implicit')]), 'fail');
});

test('request timeout: 10 x the largest latency fail level, bounded to 5-60 s, 30 s without one', () => {
  assert.equal(
    derivedHttpTimeout([
      { metric: 'http_req_duration', fail: 1000, unit: 'ms' },
      { metric: 'http_req_duration', fail: 500 },
      { metric: 'http_req_failed', fail: 0.01 },
    ]),
    '10000ms',
  );
  assert.equal(derivedHttpTimeout([{ metric: 'http_req_duration', fail: 100 }]), '5000ms');
  assert.equal(derivedHttpTimeout([{ metric: 'http_req_duration', fail: 20000 }]), '60000ms');
  assert.equal(derivedHttpTimeout([{ metric: 'checks', fail: 0.99 }]), '30s');
});
