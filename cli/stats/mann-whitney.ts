// Mann–Whitney U (Wilcoxon rank-sum): does one side tend to have larger values? Distribution-
// free, so it needs no normality assumption about per-run medians — important with 3–10 runs.
// Exact null distribution for up to 50 runs per side, also with ties: then the distribution
// is the one conditional on the observed tie pattern (every way to split each group of tied
// values between the sides), the same rule as benchstat (go-moremath), which is exact with ties
// up to 25 per side. Tied per-run values are common (integer Trends, rates at 0, percentiles of
// few requests) and the normal approximation gets small samples with ties badly wrong. Beyond
// 50 per side: the normal approximation with tie and continuity correction.
import { normalQuantile, normalUpperTail } from './normal.ts';

export interface MannWhitneyResult {
  /** U statistic of the first sample (number of pairs (x, y) with x > y, ties counting ½). */
  u: number;
  /** Two-sided p-value. */
  p: number;
  method: 'exact' | 'exact-ties' | 'normal';
  m: number;
  n: number;
}

const EXACT_LIMIT = 50;
const cache = new Map<string, Float64Array>();

/** Counts of U = 0..m·n over all C(m+n, m) arrangements (no ties), as probabilities. */
export function uDistribution(m: number, n: number): Float64Array {
  const key = `${m},${n}`;
  const hit = cache.get(key);
  if (hit) return hit;
  // f[i][j][u]: arrangements of i x's and j y's with U = u; recurse on the largest element.
  let prev: Float64Array[] = [];
  for (let i = 0; i <= m; i++) {
    const row: Float64Array[] = [];
    for (let j = 0; j <= n; j++) {
      const f = new Float64Array(i * j + 1);
      if (i === 0 || j === 0) f[0] = 1;
      else {
        // largest is an x: it beats all j y's -> shift by j; largest is a y: no change.
        const fx = prev[j]!;
        const fy = row[j - 1]!;
        for (let u = 0; u < fx.length; u++) f[u + j]! += fx[u]!;
        for (let u = 0; u < fy.length; u++) f[u]! += fy[u]!;
      }
      row.push(f);
    }
    prev = row;
  }
  const counts = prev[n]!;
  let total = 0;
  for (const c of counts) total += c;
  const probs = counts.map((c) => c / total);
  cache.set(key, probs);
  return probs;
}

function cdf(dist: Float64Array, u: number): number {
  let s = 0;
  for (let k = 0; k <= Math.floor(u + 1e-9) && k < dist.length; k++) s += dist[k]!;
  return s;
}

/** Sizes of the groups of equal values, in ascending order of value. */
function tieGroups(values: readonly number[]): number[] {
  const s = [...values].sort((a, b) => a - b);
  const groups: number[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[i]) j++;
    groups.push(j - i + 1);
    i = j + 1;
  }
  return groups;
}

const tieCache = new Map<string, Float64Array>();

/**
 * Null distribution of U of a sample of m among m+n values with the given tie groups (sizes in
 * ascending value order), as probabilities indexed by 2U (U is a multiple of ½ with ties).
 * Counts the ways to take j of the t values of each group (C(t, j) each), every x in a group
 * scoring that group's midrank: a dynamic programme over (x's taken, 2·rank sum).
 */
export function uDistributionTies(m: number, n: number, groups: readonly number[]): Float64Array {
  const key = `${m},${n}:${groups.join(',')}`;
  const hit = tieCache.get(key);
  if (hit) return hit;
  const N = m + n;
  const maxR2 = 2 * ((N * (N + 1)) / 2);
  let f: Float64Array[] = Array.from({ length: m + 1 }, () => new Float64Array(maxR2 + 1));
  f[0]![0] = 1;
  let start = 1;
  for (const t of groups) {
    const r2 = 2 * start + t - 1; // twice the midrank of the group
    const binom = [1];
    for (let j = 1; j <= t; j++) binom.push((binom[j - 1]! * (t - j + 1)) / j);
    const g: Float64Array[] = Array.from({ length: m + 1 }, () => new Float64Array(maxR2 + 1));
    for (let k = 0; k <= m; k++) {
      const row = f[k]!;
      for (let r = 0; r <= maxR2; r++) {
        const c = row[r]!;
        if (c === 0) continue;
        for (let j = 0; j <= t && k + j <= m; j++) g[k + j]![r + j * r2]! += c * binom[j]!;
      }
    }
    f = g;
    start += t;
  }
  // 2U = 2R − m(m+1)
  const offset = m * (m + 1);
  const out = new Float64Array(2 * m * n + 1);
  let total = 0;
  const last = f[m]!;
  for (let r = offset; r <= maxR2 && r - offset < out.length; r++) {
    out[r - offset] = last[r]!;
    total += last[r]!;
  }
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / total;
  tieCache.set(key, out);
  return out;
}

function midranks(values: number[]): { ranks: number[]; tieTerm: number; ties: boolean } {
  const idx = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  let tieTerm = 0;
  let ties = false;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1]![0] === idx[i]![0]) j++;
    const t = j - i + 1;
    if (t > 1) {
      ties = true;
      tieTerm += t * t * t - t;
    }
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[idx[k]![1]] = r;
    i = j + 1;
  }
  return { ranks, tieTerm, ties };
}

export function mannWhitney(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const m = x.length;
  const n = y.length;
  if (m === 0 || n === 0) return { u: NaN, p: 1, method: 'exact', m, n };
  const { ranks, tieTerm, ties } = midranks([...x, ...y]);
  let rx = 0;
  for (let i = 0; i < m; i++) rx += ranks[i]!;
  const u = rx - (m * (m + 1)) / 2;
  if (ties && m <= EXACT_LIMIT && n <= EXACT_LIMIT) {
    const groups = tieGroups([...x, ...y]);
    if (groups.length === 1) return { u, p: 1, method: 'exact-ties', m, n };
    // benchstat's two-sided rule: twice the lower tail at min(U, mn − U).
    const dist = uDistributionTies(m, n, groups);
    const small = Math.min(u, m * n - u);
    if (small * 2 === m * n) return { u, p: 1, method: 'exact-ties', m, n };
    let lower = 0;
    for (let k = 0; k <= Math.round(2 * small) && k < dist.length; k++) lower += dist[k]!;
    return { u, p: Math.min(1, 2 * lower), method: 'exact-ties', m, n };
  }
  if (!ties && m <= EXACT_LIMIT && n <= EXACT_LIMIT) {
    const dist = uDistribution(m, n);
    const lower = cdf(dist, u);
    const upper = 1 - cdf(dist, u - 1);
    return { u, p: Math.min(1, 2 * Math.min(lower, upper)), method: 'exact', m, n };
  }
  const N = m + n;
  const mu = (m * n) / 2;
  const variance = ((m * n) / 12) * (N + 1 - tieTerm / (N * (N - 1)));
  if (variance <= 0) return { u, p: 1, method: 'normal', m, n };
  const z = Math.max(0, Math.abs(u - mu) - 0.5) / Math.sqrt(variance);
  return { u, p: Math.min(1, 2 * normalUpperTail(z)), method: 'normal', m, n };
}

/** Smallest two-sided p-value the test can ever produce for these sizes (no ties). */
export function minimumPValue(m: number, n: number): number {
  if (m === 0 || n === 0) return 1;
  if (m > EXACT_LIMIT || n > EXACT_LIMIT) return 0;
  return Math.min(1, 2 * uDistribution(m, n)[0]!);
}

/**
 * Largest K with P(U ≤ K−1) ≤ α/2 (exact for small sizes, normal approximation beyond).
 * The shift CI is [D(K), D(mn−K+1)] over the sorted pairwise differences. 0 = no CI possible.
 */
export function shiftCiRank(m: number, n: number, alpha: number): number {
  if (m <= EXACT_LIMIT && n <= EXACT_LIMIT) {
    const dist = uDistribution(m, n);
    let cum = 0;
    let k = 0;
    while (k < dist.length && cum + dist[k]! <= alpha / 2 + 1e-12) {
      cum += dist[k]!;
      k++;
    }
    return k;
  }
  const z = normalQuantile(1 - alpha / 2);
  return Math.max(0, Math.floor((m * n) / 2 - z * Math.sqrt((m * n * (m + n + 1)) / 12)));
}
