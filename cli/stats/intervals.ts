// Confidence intervals that need no distributional assumption, matching Mann–Whitney:
// the order-statistic CI of a median, and the Hodges–Lehmann shift with its Moses CI.
import { shiftCiRank } from './mann-whitney.ts';

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

function binomialHalfCdf(n: number, k: number): number {
  // P(Binomial(n, ½) ≤ k)
  let term = 0.5 ** n;
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    sum += term;
    term = (term * (n - i)) / (i + 1);
  }
  return sum;
}

/**
 * Distribution-free CI of the median: [x(k), x(n−k+1)] with the largest k whose coverage is
 * still ≥ 1−α. Null when n is too small for that level (n < 6 at 95 %).
 */
export function medianCi(values: readonly number[], alpha: number): { low: number; high: number; level: number } | null {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  let k = 0;
  while (k + 1 <= n / 2 && binomialHalfCdf(n, k) <= alpha / 2) k++;
  if (k === 0) return null;
  return { low: s[k - 1]!, high: s[n - k]!, level: 1 - 2 * binomialHalfCdf(n, k - 1) };
}

export interface ShiftEstimate {
  /** Hodges–Lehmann estimate of (candidate − baseline). */
  estimate: number;
  low: number;
  high: number;
  /** Actual coverage of the interval (exact sizes give levels like 0.968, not 0.95). */
  level: number;
}

/**
 * Shift of `y` relative to `x` with its Moses CI (the interval inverting the Mann–Whitney
 * test at level α). low/high are ±Infinity when the sizes are too small for any interval.
 */
export function shiftCi(x: readonly number[], y: readonly number[], alpha: number): ShiftEstimate {
  const d: number[] = [];
  for (const a of x) for (const b of y) d.push(b - a);
  d.sort((p, q) => p - q);
  const est = median(d);
  const k = shiftCiRank(x.length, y.length, alpha);
  if (k === 0) return { estimate: est, low: -Infinity, high: Infinity, level: 1 };
  return { estimate: est, low: d[k - 1]!, high: d[d.length - k]!, level: 1 - alpha };
}
