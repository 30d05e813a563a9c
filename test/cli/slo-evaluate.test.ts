// The one SLO evaluator (cli/slo/): typed levels judged on a run summary, k6's own verdicts
// taking precedence, k6 thresholds outside the SLO set still judged, no SLOs never a pass.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunSummary, Series } from '../../cli/model/run-summary.ts';
import type { Derived } from '../../cli/report/report-types.ts';
import { type BuildManifest, effectiveSloSet } from '../../cli/run-folder/build-manifest.ts';
import { evaluateSlos, overallVerdict } from '../../cli/slo/evaluate.ts';
import { judgeRun } from '../../cli/slo/judge.ts';
import { slosForRun } from '../../cli/slo/slo.ts';
import { selectedSloSetName, type ThresholdsFile } from '../../lib/shared/slo.ts';

const NO_FIGURES: Derived = { recovery: null, concurrencyScaling: null, breakingPoint: null, docketFinality: null };

/** A run whose only series is the rate metric `checks` with the given pass fraction. */
function runWithChecks(passRate: number): RunSummary {
  const checks: Series = {
    metric: 'checks',
    type: 'rate',
    contains: 'default',
    tags: {},
    moments: { count: 1000, mean: passRate, m2: 0, min: 0, max: 1, sum: passRate * 1000 },
    nonZero: passRate * 1000,
    last: 1,
    firstMs: 0,
    lastMs: 1000,
  };
  return {
    meta: { sources: ['t'], segments: 1 },
    startMs: 0,
    endMs: 1000,
    series: new Map([['checks', checks]]),
    k6Thresholds: [],
    ingest: { files: [], lines: 0, points: 0, badLines: 0, truncated: [], unknownMetricPoints: 0 },
  };
}

const set = (slo: Record<string, unknown>): ThresholdsFile => ({ name: 't', slos: [{ id: 'checks', metric: 'checks', aggregation: 'rate', ...slo } as ThresholdsFile['slos'][number]] });

describe('SLO levels', () => {
  const levels = set({ operator: '>', fail: 0.9, warn: 0.95, target: 0.99 });
  const verdictAt = (rate: number) => {
    const [r] = evaluateSlos(runWithChecks(rate), slosForRun(levels, []), NO_FIGURES);
    return [r!.verdict, r!.targetMet];
  };
  it('fail when the fail level does not hold, warn when only warn does not, target judged apart', () => {
    assert.deepEqual(verdictAt(0.995), ['pass', true]);
    assert.deepEqual(verdictAt(0.97), ['pass', false]);
    assert.deepEqual(verdictAt(0.92), ['warn', false]);
    assert.deepEqual(verdictAt(0.9), ['fail', false]);
  });
  it('renders the typed levels as k6 expressions for people', () => {
    const [r] = evaluateSlos(runWithChecks(0.92), slosForRun(levels, []), NO_FIGURES);
    assert.deepEqual([r!.expression, r!.warnExpression, r!.targetExpression], ['rate>0.9', 'rate>0.95', 'rate>0.99']);
  });
});

describe('k6 verdicts', () => {
  it("k6's verdict on an enforced fail level wins over the recomputation", () => {
    const run = { ...runWithChecks(0.95), k6Thresholds: [{ metric: 'checks', expression: 'rate>0.9', failed: true }] };
    const [r] = evaluateSlos(run, slosForRun(set({ operator: '>', fail: 0.9 }), run.k6Thresholds), NO_FIGURES);
    assert.deepEqual([r!.verdict, r!.detail], ['fail', 'k6 reported this threshold as crossed']);
  });
  it('a k6 threshold the SLO set does not hold is judged too', () => {
    const run = { ...runWithChecks(0.95), k6Thresholds: [{ metric: 'checks', expression: 'rate>0.99', failed: true }] };
    run.sloSet = set({ operator: '>', fail: 0.9 });
    const j = judgeRun(run, NO_FIGURES);
    assert.deepEqual(
      j.results.map((r) => [r.id, r.source, r.verdict]),
      [
        ['checks', 'thresholds-file', 'pass'],
        [null, 'k6-summary', 'fail'],
        // No generator.csv: k6's CPU was not measured, so the row is unknown, not an invented pass.
        ['generator', 'implicit', 'unknown'],
      ],
    );
    assert.equal(j.verdict, 'fail');
  });
});

describe('overall verdict', () => {
  it('no SLOs at all is unknown, never pass', () => {
    assert.equal(judgeRun(runWithChecks(1), NO_FIGURES).verdict, 'unknown');
    assert.equal(overallVerdict([]), 'unknown');
  });
  it('an SLO on a metric the run lacks is unknown', () => {
    const run = { ...runWithChecks(1), sloSet: { name: 't', slos: [{ id: 'x', metric: 'transaction_success', aggregation: 'rate', operator: '>', fail: 0.9 }] } };
    const j = judgeRun(run, NO_FIGURES);
    assert.deepEqual([j.results[0]!.verdict, j.verdict], ['unknown', 'unknown']);
  });
});

describe('the effective SLO set of a run (dist/manifest.json)', () => {
  const set = (name: string): ThresholdsFile => ({ name, slos: [{ id: 'c', metric: 'checks', aggregation: 'rate', operator: '>', fail: 0.9 }] });
  const manifest: BuildManifest = {
    builtAt: '2026-01-01T00:00:00Z',
    workloads: { w: { script: 'dist/w.js', bytes: 1, sloSet: 'workload-w', selectableSloSets: ['workload-w', 'smoke'] } },
    sloSets: {
      'workload-w': { file: 'thresholds/workload-w.json', set: set('workload-w') },
      smoke: { file: 'thresholds/smoke.json', set: set('smoke') },
      other: { file: 'thresholds/other.json', set: set('other') },
    },
  };
  it("is the workload's own set, or the one THRESHOLDS selects by k6's rule", () => {
    assert.equal(effectiveSloSet(manifest, 'w', {})?.name, 'workload-w');
    assert.deepEqual(effectiveSloSet(manifest, 'w', { THRESHOLDS: ' smoke ' }), { name: 'smoke', file: 'thresholds/smoke.json', set: set('smoke') });
    // Bundled for another workload, not selectable in this one: k6 refuses it, so no set is recorded.
    assert.equal(effectiveSloSet(manifest, 'w', { THRESHOLDS: 'other' }), undefined);
    assert.throws(() => selectedSloSetName({ THRESHOLDS: 'other' }, 'workload-w', ['workload-w', 'smoke']), /THRESHOLDS="other" is not a known SLO set\. Valid: workload-w, smoke/);
    assert.equal(effectiveSloSet(manifest, 'nope', {}), undefined);
  });
});
