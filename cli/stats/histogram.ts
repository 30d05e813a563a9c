// Mergeable latency histograms. HdrHistogram with 3 significant digits keeps every recorded
// value within ±0.05 % (bucket midpoint) of the truth over any range, adds exactly (so merged
// segment outputs give the same percentiles as one big run) and serialises compactly.
// Values arrive in k6's units (ms for time metrics) and are stored as integers in
// thousandths (µs for time), which is below k6's own useful resolution.
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';

export const VALUE_SCALE = 1000;
export const SIGNIFICANT_DIGITS = 3;
export const HISTOGRAM_ERROR_NOTE = 'HdrHistogram, 3 significant digits: percentiles within ±0.1 % of the exact value (values stored in thousandths of the metric unit, e.g. µs for ms trends)';

interface HistInternals {
  countsArrayLength: number;
  getCountAtIndex(i: number): number;
  valueFromIndex(i: number): number;
  medianEquivalentValue(v: number): number;
}

export function newHistogram(digits: 2 | 3 = SIGNIFICANT_DIGITS): Histogram {
  return build({ numberOfSignificantValueDigits: digits, bitBucketSize: 32, autoResize: true, lowestDiscernibleValue: 1, highestTrackableValue: 4096 });
}

export function recordValue(h: Histogram, value: number): void {
  const v = value > 0 ? Math.round(value * VALUE_SCALE) : 0;
  h.recordValue(v);
}

export function encodeHistogram(h: Histogram): string {
  return encodeIntoCompressedBase64(h);
}

export function decodeHistogram(encoded: string): Histogram {
  const h = decodeFromCompressedBase64(encoded, 32, false);
  h.autoResize = true;
  return h;
}

export function cloneHistogram(h: Histogram): Histogram {
  const c = newHistogram(h.numberOfSignificantValueDigits === 2 ? 2 : 3);
  c.add(h);
  return c;
}

/**
 * Quantiles the way k6 computes them (linear interpolation between the order statistics
 * at rank p·(n−1)), so our p95 is comparable with k6's summary. Each order statistic is the
 * midpoint of its histogram bucket, clamped to the exact min/max. `ps` are fractions (0.95).
 */
export function quantiles(h: Histogram, ps: readonly number[], exactMin: number, exactMax: number): number[] {
  const n = h.totalCount;
  if (n === 0) return ps.map(() => NaN);
  const hi = h as unknown as HistInternals;
  // Wanted 0-based ranks, each needed as floor and ceil; resolved in one ascending pass.
  const wanted = new Set<number>();
  for (const p of ps) {
    const r = Math.min(Math.max(p, 0), 1) * (n - 1);
    wanted.add(Math.floor(r));
    wanted.add(Math.ceil(r));
  }
  const ranks = [...wanted].sort((a, b) => a - b);
  const valueAtRank = new Map<number, number>();
  let cumulative = 0;
  let k = 0;
  for (let i = 0; i < hi.countsArrayLength && k < ranks.length; i++) {
    const c = hi.getCountAtIndex(i);
    if (c === 0) continue;
    cumulative += c;
    while (k < ranks.length && ranks[k]! < cumulative) {
      const raw = hi.medianEquivalentValue(hi.valueFromIndex(i)) / VALUE_SCALE;
      valueAtRank.set(ranks[k]!, Math.min(Math.max(raw, exactMin), exactMax));
      k++;
    }
  }
  return ps.map((p) => {
    const r = Math.min(Math.max(p, 0), 1) * (n - 1);
    const lo = valueAtRank.get(Math.floor(r)) ?? exactMax;
    const up = valueAtRank.get(Math.ceil(r)) ?? exactMax;
    return lo + (up - lo) * (r - Math.floor(r));
  });
}

export type { Histogram };
