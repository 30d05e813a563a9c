// Wilcoxon signed-rank test for paired runs (interleaved A/B: pair i = the A and B runs made
// next to each other in time, so slow drift of the machine or the target cancels out). Exact
// null distribution — every sign pattern equally likely — also with tied |differences|
// (midranks); zero differences are dropped (Wilcoxon's rule). Normal approximation beyond 50.
import { median } from './intervals.ts';
import { normalQuantile, normalUpperTail } from './normal.ts';

export interface SignedRankResult {
  /** Sum of the ranks of the positive differences. */
  w: number;
  p: number;
  method: 'exact' | 'normal';
  /** Pairs with a non-zero difference. */
  n: number;
}

const EXACT_LIMIT = 50;

/** Null distribution of 2·W+ over the 2^n sign patterns, given doubled ranks (probabilities). */
function distribution(ranks2: readonly number[]): Float64Array {
  const total = ranks2.reduce((a, b) => a + b, 0);
  let f = new Float64Array(total + 1);
  f[0] = 1;
  for (const r of ranks2) {
    const g = new Float64Array(total + 1);
    for (let s = 0; s <= total; s++) {
      const c = f[s]!;
      if (c === 0) continue;
      g[s]! += c / 2;
      g[s + r]! += c / 2;
    }
    f = g;
  }
  return f;
}

function doubledMidranks(abs: readonly number[]): number[] {
  const idx = abs.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(abs.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1]![0] === idx[i]![0]) j++;
    for (let k = i; k <= j; k++) out[idx[k]![1]] = i + j + 2; // 2 × midrank (i+j)/2 + 1
    i = j + 1;
  }
  return out;
}

export function signedRank(differences: readonly number[]): SignedRankResult {
  const d = differences.filter((v) => v !== 0);
  const n = d.length;
  if (n === 0) return { w: 0, p: 1, method: 'exact', n };
  const r2 = doubledMidranks(d.map(Math.abs));
  let w2 = 0;
  d.forEach((v, i) => {
    if (v > 0) w2 += r2[i]!;
  });
  const total2 = r2.reduce((a, b) => a + b, 0);
  if (n <= EXACT_LIMIT) {
    const dist = distribution(r2);
    let lower = 0;
    let upper = 0;
    for (let s = 0; s <= total2; s++) {
      if (s <= w2) lower += dist[s]!;
      if (s >= w2) upper += dist[s]!;
    }
    return { w: w2 / 2, p: Math.min(1, 2 * Math.min(lower, upper)), method: 'exact', n };
  }
  const mu = total2 / 4;
  const variance = r2.reduce((a, r) => a + (r / 2) ** 2, 0) / 4;
  const z = Math.max(0, Math.abs(w2 / 2 - mu) - 0.5) / Math.sqrt(variance);
  return { w: w2 / 2, p: Math.min(1, 2 * normalUpperTail(z)), method: 'normal', n };
}

/** Smallest two-sided p-value n pairs can reach: all signs alike. */
export function minimumPairedPValue(n: number): number {
  return Math.min(1, 2 / 2 ** n);
}

/**
 * Hodges–Lehmann estimate of the paired shift (median of the Walsh averages) with the interval
 * that inverts the signed-rank test at level α: [A(k), A(M−k+1)] over the sorted averages.
 */
export function pairedShiftCi(differences: readonly number[], alpha: number): { estimate: number; low: number; high: number } {
  const d = [...differences];
  const n = d.length;
  const walsh: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) walsh.push((d[i]! + d[j]!) / 2);
  walsh.sort((a, b) => a - b);
  const estimate = median(walsh);
  let k = 0;
  if (n <= EXACT_LIMIT) {
    const dist = distribution(Array.from({ length: n }, (_, i) => 2 * (i + 1)));
    let cum = 0;
    // dist is indexed by 2W; W = k−1 is index 2(k−1).
    while (2 * k < dist.length && cum + dist[2 * k]! <= alpha / 2 + 1e-12) {
      cum += dist[2 * k]!;
      k++;
    }
  } else {
    const z = normalQuantile(1 - alpha / 2);
    k = Math.max(0, Math.floor((n * (n + 1)) / 4 - z * Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24)));
  }
  if (k === 0) return { estimate, low: -Infinity, high: Infinity };
  return { estimate, low: walsh[k - 1]!, high: walsh[walsh.length - k]! };
}
