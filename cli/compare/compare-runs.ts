// The comparison itself. Each run is one sample: requests inside a run share the same machine,
// warm-up and noise, so they are not independent evidence; only repeated runs are.
import type { RunSummary } from '../model/run-summary.ts';
import { median, medianCi, shiftCi } from '../stats/intervals.ts';
import { mannWhitney, minimumPValue } from '../stats/mann-whitney.ts';
import { metricDefs, type MetricDef } from './run-metrics.ts';

export type Verdict = 'regressed' | 'improved' | '~' | 'n/a';

export interface CompareOptions {
  alpha: number;
  /** Default noise band: percent for relative metrics. */
  noisePct: number;
  /** Noise band for absolute (rate) metrics, in percentage points. */
  noisePp: number;
  /** Per-metric overrides: metric id prefix -> band (percent, or pp for rates). */
  noiseFor: Record<string, number>;
  /** Fixed tolerance used with one run per side: percent, and percentage points for rates. */
  tolerancePct: number;
  tolerancePp: number;
  /**
   * Percentiles from fewer observations than this in any run are not judged (verdict n/a): the
   * p95 of four setup requests is noise, and would make the table cry wolf. Default 0 (off).
   */
  minSamples?: number;
}

export interface SideStats {
  n: number;
  values: number[];
  median: number | null;
  ci: { low: number; high: number } | null;
}

export interface MetricComparison {
  id: string;
  unit: MetricDef['unit'];
  better: MetricDef['better'];
  scale: MetricDef['scale'];
  baseline: SideStats;
  candidate: SideStats;
  /** Change of the candidate vs the baseline: fraction (relative) or difference (absolute). */
  delta: { estimate: number; low: number; high: number } | null;
  p: number | null;
  test: 'mann-whitney-exact' | 'mann-whitney-normal' | 'fixed-tolerance' | 'none';
  band: number;
  verdict: Verdict;
  note: string;
}

export interface Comparison {
  mode: 'statistics' | 'fixed-tolerance';
  alpha: number;
  /** Confidence of each one-sided bound of Δ (the interval shown is two-sided at 1−2α). */
  deltaLevel: number;
  baselineRuns: string[];
  candidateRuns: string[];
  metrics: MetricComparison[];
  geomean: { ratio: number; deltaPct: number; metrics: number } | null;
  warnings: string[];
  insufficient: boolean;
  regressions: number;
  improvements: number;
}

function bandFor(def: SampleSpec, o: CompareOptions): number {
  let best: string | undefined;
  for (const prefix of Object.keys(o.noiseFor)) if (def.id.startsWith(prefix) && (!best || prefix.length > best.length)) best = prefix;
  const raw = best !== undefined ? o.noiseFor[best]! : def.scale === 'absolute' ? o.noisePp : o.noisePct;
  return raw / 100;
}

function side(values: number[], alpha: number): SideStats {
  return { n: values.length, values, median: values.length ? median(values) : null, ci: medianCi(values, alpha) };
}

/** Direction-aware verdict from an interval of the change and the band around zero. */
function verdictFrom(def: SampleSpec, low: number, high: number, band: number): Verdict {
  const worse = def.better === 'lower' ? low > band : high < -band;
  const better = def.better === 'lower' ? high < -band : low > band;
  return worse ? 'regressed' : better ? 'improved' : '~';
}

function compareOne(def: MetricDef, base: RunSummary[], cand: RunSummary[], o: CompareOptions, fixed: boolean): MetricComparison {
  const bv = base.map((r) => def.value(r)).filter((v): v is number => v !== null && Number.isFinite(v));
  const cv = cand.map((r) => def.value(r)).filter((v): v is number => v !== null && Number.isFinite(v));
  const row = compareSamples(def, bv, cv, o, fixed);
  const min = o.minSamples ?? 0;
  if (def.samples && min > 0 && row.verdict !== 'n/a') {
    const fewest = Math.min(...[...base, ...cand].map((r) => def.samples!(r)));
    if (fewest < min) {
      row.verdict = 'n/a';
      row.note = `only ${fewest} observation(s) in a run (< --min-samples ${min}): not judged`;
    }
  }
  return row;
}

export type SampleSpec = Pick<MetricDef, 'id' | 'unit' | 'better' | 'scale'>;

/** The decision for one metric from per-run values (one value per run and side). */
export function compareSamples(def: SampleSpec, bv: number[], cv: number[], o: CompareOptions, fixed = bv.length === 1 || cv.length === 1): MetricComparison {
  const band = bandFor(def, o);
  const row: MetricComparison = { id: def.id, unit: def.unit, better: def.better, scale: def.scale, baseline: side(bv, o.alpha), candidate: side(cv, o.alpha), delta: null, p: null, test: 'none', band, verdict: 'n/a', note: '' };
  if (bv.length === 0 || cv.length === 0) {
    row.note = `no data on the ${bv.length === 0 ? 'baseline' : 'candidate'} side`;
    return row;
  }
  // Relative changes are computed on logs: a ratio, symmetric for speed-ups and slow-downs.
  const relative = def.scale === 'relative' && bv.every((v) => v > 0) && cv.every((v) => v > 0);
  if (def.scale === 'relative' && !relative) row.scale = 'absolute';
  const t = (v: number) => (relative ? Math.log(v) : v);
  const back = (d: number) => (relative ? Math.exp(d) - 1 : d);
  if (fixed) {
    const d = back(t(median(cv)) - t(median(bv)));
    row.delta = { estimate: d, low: d, high: d };
    row.test = 'fixed-tolerance';
    row.band = (relative ? o.tolerancePct : o.tolerancePp) / 100;
    row.verdict = verdictFrom(def, d, d, row.band);
    row.note = 'no statistics (1 run per side)';
    return row;
  }
  const mw = mannWhitney(cv, bv);
  const shift = shiftCi(bv.map(t), cv.map(t), 2 * o.alpha);
  row.p = mw.p;
  row.test = mw.method === 'exact' ? 'mann-whitney-exact' : 'mann-whitney-normal';
  // Too few runs for an interval: keep it unbounded rather than exp(−∞) − 1 = −100 %.
  row.delta = { estimate: back(shift.estimate), low: Number.isFinite(shift.low) ? back(shift.low) : -Infinity, high: Number.isFinite(shift.high) ? back(shift.high) : Infinity };
  if (mw.p < o.alpha) row.verdict = verdictFrom(def, row.delta.low, row.delta.high, band);
  else row.verdict = '~';
  if (row.verdict === '~' && mw.p < o.alpha) row.note = 'significant, but the change may be within the noise band';
  if (!Number.isFinite(shift.low)) row.note = 'too few runs for an interval of the change';
  return row;
}

function geomean(rows: MetricComparison[]): Comparison['geomean'] {
  // Direction-normalised cost ratios (>1 = worse) of the relative metrics, like benchstat's row.
  let sum = 0;
  let k = 0;
  for (const r of rows) {
    // Rows left unjudged (e.g. too few requests) would only add their noise to the summary.
    if (r.verdict === 'n/a' || r.scale !== 'relative' || !r.baseline.median || !r.candidate.median || r.baseline.median <= 0 || r.candidate.median <= 0) continue;
    const ratio = r.candidate.median / r.baseline.median;
    sum += Math.log(r.better === 'lower' ? ratio : 1 / ratio);
    k++;
  }
  if (k === 0) return null;
  const ratio = Math.exp(sum / k);
  return { ratio, deltaPct: (ratio - 1) * 100, metrics: k };
}

export function compareRuns(base: RunSummary[], cand: RunSummary[], o: CompareOptions, labels: { baseline: string[]; candidate: string[] }): Comparison {
  const m = base.length;
  const n = cand.length;
  const fixed = m === 1 || n === 1;
  const warnings: string[] = [];
  let insufficient = false;
  if (fixed) {
    warnings.push(`only ${m} vs ${n} run(s): no statistics possible; using a fixed tolerance of ±${o.tolerancePct} % (±${o.tolerancePp} pp for rates) on the medians. Use ≥ 5 runs per side for a statistical verdict.`);
  } else {
    const minP = minimumPValue(m, n);
    if (minP >= o.alpha) {
      insufficient = true;
      warnings.push(`${m} vs ${n} runs cannot show a significant difference: the smallest p-value Mann–Whitney can reach with these sizes is ${minP.toFixed(3)} ≥ α = ${o.alpha}. Every verdict will be "~". Use at least 4 runs per side (5+ recommended).`);
    }
  }
  const metrics = metricDefs([...base, ...cand]).map((def) => compareOne(def, base, cand, o, fixed));
  return {
    mode: fixed ? 'fixed-tolerance' : 'statistics',
    alpha: o.alpha,
    deltaLevel: 1 - o.alpha,
    baselineRuns: labels.baseline,
    candidateRuns: labels.candidate,
    metrics: metrics.filter((r) => r.baseline.n > 0 || r.candidate.n > 0),
    geomean: geomean(metrics),
    warnings,
    insufficient,
    regressions: metrics.filter((r) => r.verdict === 'regressed').length,
    improvements: metrics.filter((r) => r.verdict === 'improved').length,
  };
}
