// The comparison itself. Each run is one sample: requests inside a run share the same machine,
// warm-up and noise, so they are not independent evidence; only repeated runs are.
//
// Δ has ONE definition everywhere (table, JSON, JUnit, fixed-tolerance mode): the Hodges–Lehmann
// estimate of the change candidate vs baseline — for relative metrics on log values, so it reads
// as "the typical candidate/baseline ratio − 1"; for rates, in percentage points. Its interval
// is the one that inverts the test (Moses for independent runs, Walsh averages for pairs).
import { CliError, EXIT } from '../errors.ts';
import type { RunSummary } from '../model/run-summary.ts';
import { median, medianCi, shiftCi } from '../stats/intervals.ts';
import { mannWhitney, minimumPValue } from '../stats/mann-whitney.ts';
import { normalQuantile } from '../stats/normal.ts';
import { minimumPairedPValue, pairedShiftCi, signedRank } from '../stats/signed-rank.ts';
import { primaryMetricsFor } from './primary-metrics.ts';
import { type MetricDef, metricDefs } from './run-metrics.ts';

/** Every verdict a row can get; docs/cli.md defines each (a test holds them together). */
export const VERDICTS = ['regressed', 'improved', 'equivalent', 'inconclusive', 'n/a'] as const;
export type Verdict = (typeof VERDICTS)[number];

export { DEFAULT_PRIMARY } from './primary-metrics.ts';

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
  /** Percentiles from fewer observations than this in any run are not judged (n/a). */
  minSamples?: number;
  /** A percentile q is judged only with ≥ this many observations beyond it per run: n·min(q, 1−q). Default 20. */
  minTail?: number;
  /** Metric ids whose rows gate the exit code (Holm over them). Default: declared for the workload (primary-metrics.ts). */
  primary?: string[];
  /** Run-to-run spread per metric id recorded by a saved baseline (fraction, or absolute for rates). */
  historyNoise?: Record<string, number>;
  /** Pair baseline i with candidate i (interleaved A/B runs): signed-rank test on the pairs. */
  paired?: boolean;
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
  /** Δ: Hodges–Lehmann change of the candidate vs the baseline (fraction or difference) with its interval. */
  delta: { estimate: number; low: number; high: number } | null;
  /** Raw two-sided p of the row's test. */
  p: number | null;
  /** Holm-adjusted p within the row's family (gating rows, or all rows for the others). */
  pAdjusted: number | null;
  test: 'mann-whitney-exact' | 'mann-whitney-normal' | 'signed-rank-exact' | 'signed-rank-normal' | 'fixed-tolerance' | 'none';
  band: number;
  /** Where the band came from: the option, or the baseline's recorded run-to-run spread (larger). */
  bandSource: 'option' | 'history';
  /** Whether the row gates the exit code (a primary metric). */
  gating: boolean;
  verdict: Verdict;
  /** For an inconclusive row: runs per side that would decide at the observed noise (null: unknown). */
  runsNeeded: number | null;
  note: string;
}

export interface Comparison {
  mode: 'statistics' | 'paired' | 'fixed-tolerance';
  alpha: number;
  /** Confidence of each one-sided bound of Δ (the interval shown is two-sided at 1−2α). */
  deltaLevel: number;
  baselineRuns: string[];
  candidateRuns: string[];
  metrics: MetricComparison[];
  /** Family-wise control: Holm over the gating rows. */
  family: { method: 'holm'; gating: string[] /** --primary, declared for the workload, or default. */; source: string };
  /** Candidate-only breakdowns (error budget blown, iterations dropped): regressions by themselves. */
  severe: string[];
  warnings: string[];
  insufficient: boolean;
  /** Gating rows regressed + severe regressions: what exit code 1 means. */
  regressions: number;
  improvements: number;
}

function configuredBand(def: SampleSpec, o: CompareOptions): number {
  let best: string | undefined;
  for (const prefix of Object.keys(o.noiseFor)) if (def.id.startsWith(prefix) && (!best || prefix.length > best.length)) best = prefix;
  const raw = best !== undefined ? o.noiseFor[best]! : def.scale === 'absolute' ? o.noisePp : o.noisePct;
  return raw / 100;
}

function side(values: number[], alpha: number): SideStats {
  return { n: values.length, values, median: values.length ? median(values) : null, ci: medianCi(values, alpha) };
}

/** The decision from an interval of the change, the band around zero and (adjusted) significance. */
function decide(better: MetricDef['better'], low: number, high: number, band: number, significant: boolean): Verdict {
  if (low > -band && high < band) return 'equivalent';
  const worse = better === 'lower' ? low > band : high < -band;
  const improved = better === 'lower' ? high < -band : low > band;
  if (significant && worse) return 'regressed';
  if (significant && improved) return 'improved';
  return 'inconclusive';
}

function sd(values: readonly number[]): number {
  if (values.length < 2) return NaN;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
}

/**
 * Runs per side (pairs when paired) at which an interval of the observed width per run would
 * clear the band, given the estimate: n ≈ k·(z·σ/d)², d = distance of the estimate from the
 * band edge; k = 2·π/3 for two independent samples (rank tests are ~95 % as efficient as t),
 * π/3 for pairs. Never below the size at which the test can reach α at all.
 */
function runsToDecide(est: number, sigma: number, bandT: number, alpha: number, paired: boolean, current: number): number | null {
  const d = Math.abs(Math.abs(est) - bandT);
  if (!Number.isFinite(sigma) || d === 0) return null;
  const z = normalQuantile(1 - alpha);
  let n = Math.ceil((paired ? Math.PI / 3 : (2 * Math.PI) / 3) * ((z * sigma) / d) ** 2);
  let floor = 2;
  while ((paired ? minimumPairedPValue(floor) : minimumPValue(floor, floor)) >= alpha && floor < 1000) floor++;
  n = Math.max(n, floor, current + 1);
  return n > 1000 ? null : n;
}

export type SampleSpec = Pick<MetricDef, 'id' | 'unit' | 'better' | 'scale'>;

/**
 * The row for one metric from per-run values (one value per run and side). The verdict uses the
 * row's own p against α; compareRuns re-decides it with the Holm-adjusted p of its family.
 */
export function compareSamples(def: SampleSpec, bv: number[], cv: number[], o: CompareOptions, fixed = bv.length === 1 || cv.length === 1): MetricComparison {
  let band = configuredBand(def, o);
  let bandSource: MetricComparison['bandSource'] = 'option';
  const history = o.historyNoise?.[def.id];
  if (history !== undefined && history > band) {
    band = history;
    bandSource = 'history';
  }
  const row: MetricComparison = {
    id: def.id,
    unit: def.unit,
    better: def.better,
    scale: def.scale,
    baseline: side(bv, o.alpha),
    candidate: side(cv, o.alpha),
    delta: null,
    p: null,
    pAdjusted: null,
    test: 'none',
    band,
    bandSource,
    gating: false,
    verdict: 'n/a',
    runsNeeded: null,
    note: '',
  };
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
    // Hodges–Lehmann of 1 vs k runs: the median of the k ratios — the same Δ as with statistics.
    const s = shiftCi(bv.map(t), cv.map(t), 1);
    const d = back(s.estimate);
    row.delta = { estimate: d, low: d, high: d };
    row.test = 'fixed-tolerance';
    row.band = (relative ? o.tolerancePct : o.tolerancePp) / 100;
    row.bandSource = 'option';
    const worse = def.better === 'lower' ? d > row.band : d < -row.band;
    const better = def.better === 'lower' ? d < -row.band : d > row.band;
    row.verdict = worse ? 'regressed' : better ? 'improved' : 'inconclusive';
    row.note = row.verdict === 'inconclusive' ? 'within the tolerance; one run per side cannot show equivalence (no statistics)' : 'no statistics (1 run per side)';
    return row;
  }
  const bt = bv.map(t);
  const ct = cv.map(t);
  let sigma: number;
  if (o.paired && bv.length === cv.length) {
    const diffs = ct.map((c, i) => c - bt[i]!);
    const sr = signedRank(diffs);
    const ci = pairedShiftCi(diffs, 2 * o.alpha);
    row.p = sr.p;
    row.test = sr.method === 'exact' ? 'signed-rank-exact' : 'signed-rank-normal';
    row.delta = { estimate: back(ci.estimate), low: Number.isFinite(ci.low) ? back(ci.low) : -Infinity, high: Number.isFinite(ci.high) ? back(ci.high) : Infinity };
    sigma = sd(diffs);
  } else {
    const mw = mannWhitney(cv, bv);
    const shift = shiftCi(bt, ct, 2 * o.alpha);
    row.p = mw.p;
    row.test = mw.method === 'normal' ? 'mann-whitney-normal' : 'mann-whitney-exact';
    // Too few runs for an interval: keep it unbounded rather than exp(−∞) − 1 = −100 %.
    row.delta = { estimate: back(shift.estimate), low: Number.isFinite(shift.low) ? back(shift.low) : -Infinity, high: Number.isFinite(shift.high) ? back(shift.high) : Infinity };
    sigma = Math.sqrt((sd(bt) ** 2 + sd(ct) ** 2) / 2);
  }
  row.pAdjusted = row.p;
  finishVerdict(row, o.alpha, sigma, relative, !!o.paired);
  return row;
}

/** Decides the verdict from pAdjusted and the interval; says what would settle an inconclusive row. */
/** Run-to-run σ (on the test's scale) behind each row, for the runs-needed estimate. */
const sigmaOf = new WeakMap<MetricComparison, number>();

function finishVerdict(row: MetricComparison, alpha: number, sigma: number, relative: boolean, paired: boolean, familySize = 1): void {
  const d = row.delta!;
  const significant = row.pAdjusted! < alpha;
  row.verdict = decide(row.better, d.low, d.high, row.band, significant);
  row.note = '';
  row.runsNeeded = null;
  if (!Number.isFinite(d.low) || !Number.isFinite(d.high)) row.note = 'too few runs for an interval of the change';
  if (row.verdict === 'inconclusive') {
    const estT = relative ? Math.log1p(d.estimate) : d.estimate;
    const bandT = relative ? Math.log1p(row.band) : row.band;
    // Holm's first step tests at α/k: the runs needed must reach that.
    row.runsNeeded = runsToDecide(estT, sigma, bandT, alpha / familySize, paired, Math.min(row.baseline.n, row.candidate.n));
    const need =
      row.runsNeeded === null ? 'more runs than is practical (the change sits at the band edge or the noise is unknown)' : paired ? `≈ ${row.runsNeeded} pairs` : `≈ ${row.runsNeeded} runs per side`;
    const beyond = row.better === 'lower' ? d.low > row.band || d.high < -row.band : d.high < -row.band || d.low > row.band;
    const why = significant
      ? 'changed, but the interval straddles the band'
      : beyond
        ? `the interval clears the band, but p after Holm over ${familySize} row(s) is not < ${alpha}`
        : 'no significant change, and the interval is wider than the band';
    row.note = `${row.note ? `${row.note}; ` : ''}${why}: ${need} would decide at the observed noise`;
  }
  sigmaOf.set(row, sigma);
}

/** Holm step-down adjusted p-values (same order as the input). */
export function holm(ps: readonly number[]): number[] {
  const order = ps.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(ps.length);
  let running = 0;
  order.forEach(([p, i], rank) => {
    running = Math.max(running, Math.min(1, (ps.length - rank) * p));
    out[i] = running;
  });
  return out;
}

/**
 * Holm over the tested rows of a family: each row's pAdjusted, and its verdict re-decided with
 * it. `only` limits which rows are updated (the family is still all tested rows).
 */
export function adjustFamily(rows: MetricComparison[], alpha: number, paired: boolean, only: (r: MetricComparison) => boolean = () => true): void {
  const tested = rows.filter((r) => r.p !== null && r.verdict !== 'n/a' && r.test !== 'fixed-tolerance');
  const adj = holm(tested.map((r) => r.p!));
  tested.forEach((r, i) => {
    if (!only(r)) return;
    r.pAdjusted = adj[i]!;
    finishVerdict(r, alpha, sigmaOf.get(r) ?? NaN, r.scale === 'relative', paired, tested.length);
  });
}

function compareOne(def: MetricDef, base: RunSummary[], cand: RunSummary[], o: CompareOptions, fixed: boolean): MetricComparison {
  const value = (r: RunSummary) => {
    const v = def.value(r);
    return v !== null && Number.isFinite(v) ? v : null;
  };
  let bv: number[];
  let cv: number[];
  if (o.paired) {
    // A pair counts only when both of its runs have the value.
    const pairs = base.map((b, i) => [value(b), value(cand[i]!)] as const).filter(([a, b]) => a !== null && b !== null);
    bv = pairs.map((p) => p[0]!);
    cv = pairs.map((p) => p[1]!);
  } else {
    bv = base.map(value).filter((v): v is number => v !== null);
    cv = cand.map(value).filter((v): v is number => v !== null);
  }
  const row = compareSamples(def, bv, cv, o, fixed);
  if (def.samples && row.verdict !== 'n/a') {
    const fewest = Math.min(...[...base, ...cand].map((r) => def.samples!(r)));
    const min = o.minSamples ?? 0;
    const minTail = o.minTail ?? 20;
    const q = def.quantile;
    if (min > 0 && fewest < min) {
      row.verdict = 'n/a';
      row.runsNeeded = null;
      row.note = `only ${fewest} observation(s) in a run (< --min-samples ${min}): not judged`;
    } else if (q !== undefined && fewest * Math.min(q, 1 - q) < minTail) {
      row.verdict = 'n/a';
      row.runsNeeded = null;
      const need = Math.ceil(minTail / Math.min(q, 1 - q));
      row.note = `p${Math.round(q * 100)} of ${fewest} observations rests on ${Math.floor(fewest * Math.min(q, 1 - q))} tail point(s) (< ${minTail}; needs ≥ ${need} per run): not judged`;
    }
  }
  return row;
}

export function compareRuns(base: RunSummary[], cand: RunSummary[], o: CompareOptions, labels: { baseline: string[]; candidate: string[] }, severe: string[] = []): Comparison {
  const m = base.length;
  const n = cand.length;
  const fixed = m === 1 || n === 1;
  const paired = !!o.paired && !fixed;
  const warnings: string[] = [];
  let insufficient = false;
  const defs = metricDefs([...base, ...cand]);
  const metrics = defs.map((def) => compareOne(def, base, cand, { ...o, paired }, fixed)).filter((r) => r.baseline.n > 0 || r.candidate.n > 0);
  const declared = primaryMetricsFor(base[0]?.meta.workload ?? cand[0]?.meta.workload);
  const primary = new Set(o.primary ?? declared.ids);
  const familySource = o.primary ? '--primary' : declared.source;
  for (const r of metrics) r.gating = primary.has(r.id);
  const unknown = (o.primary ?? []).filter((id) => !metrics.some((r) => r.id === id));
  // A typo in the gate would leave a metric ungated without anyone noticing.
  if (unknown.length)
    throw new CliError(
      `--primary: no metric ${unknown.map((u) => `"${u}"`).join(', ')} in these runs\n  fix: use metric ids as the table's first column spells them: ${metrics
        .map((r) => r.id)
        .filter((id) => !id.includes('{'))
        .join(', ')}`,
      EXIT.usage,
    );
  const gating = metrics.filter((r) => r.gating && r.verdict !== 'n/a');
  if (!fixed) {
    // Holm within the gating family decides the exit code; the other rows get Holm over the
    // whole table, so no "regressed" anywhere in the table is an uncorrected one.
    adjustFamily(gating, o.alpha, paired);
    adjustFamily(metrics, o.alpha, paired, (r) => !r.gating);
    const tested = (rows: MetricComparison[]) => rows.filter((r) => r.p !== null && r.verdict !== 'n/a');
    const k = Math.max(1, tested(gating).length);
    const minP = paired ? minimumPairedPValue(Math.min(m, n)) : minimumPValue(m, n);
    if (gating.length === 0) {
      insufficient = true;
      warnings.push(`no gating metric could be judged (gating: ${[...primary].join(', ')}); nothing decides the exit code. Use --primary with metrics present in the table.`);
    } else if (minP >= o.alpha / k) {
      insufficient = true;
      warnings.push(
        `${m} vs ${n} ${paired ? 'pairs' : 'runs'} cannot show a significant difference: the smallest p-value ${paired ? 'the signed-rank test' : 'Mann–Whitney'} can reach with these sizes is ${minP.toFixed(3)} ≥ α/${k} = ${(o.alpha / k).toFixed(4)} (Holm over ${k} gating row(s)). No row can be "regressed" or "improved". Use ${paired ? '≥ 8 pairs' : '5+ runs per side'}.`,
      );
    }
  } else {
    warnings.push(
      `only ${m} vs ${n} run(s): no statistics possible; using a fixed tolerance of ±${o.tolerancePct} % (±${o.tolerancePp} pp for rates) on Δ. Use ≥ 5 runs per side for a statistical verdict.`,
    );
  }
  const gatingRegressed = metrics.filter((r) => r.gating && r.verdict === 'regressed').length;
  return {
    mode: fixed ? 'fixed-tolerance' : paired ? 'paired' : 'statistics',
    alpha: o.alpha,
    deltaLevel: 1 - o.alpha,
    baselineRuns: labels.baseline,
    candidateRuns: labels.candidate,
    metrics,
    family: { method: 'holm', gating: gating.map((r) => r.id), source: familySource },
    severe,
    warnings,
    insufficient,
    regressions: gatingRegressed + severe.length,
    improvements: metrics.filter((r) => r.gating && r.verdict === 'improved').length,
  };
}
