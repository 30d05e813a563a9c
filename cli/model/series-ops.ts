// Combining series: used to roll tag sets up to one endpoint, and to merge segment outputs.
import { cloneHistogram } from '../stats/histogram.ts';
import { emptyMoments, mergeMoments } from '../stats/welford.ts';
import type { Series } from './run-summary.ts';

export function emptySeries(metric: string, type: Series['type'], contains: string, tags: Record<string, string>): Series {
  return { metric, type, contains, tags, moments: emptyMoments(), nonZero: 0, last: 0, firstMs: Infinity, lastMs: -Infinity };
}

/** Adds `b` into `a` (a is mutated; b's histogram is copied, never shared). */
export function addSeriesInto(a: Series, b: Series, gauge: 'sum' | 'max' = 'max'): void {
  a.moments = mergeMoments(a.moments, b.moments);
  a.nonZero += b.nonZero;
  if (a.type === 'gauge') a.last = gauge === 'sum' ? a.last + b.last : Math.max(a.last, b.last);
  else if (b.lastMs >= a.lastMs) a.last = b.last;
  a.firstMs = Math.min(a.firstMs, b.firstMs);
  a.lastMs = Math.max(a.lastMs, b.lastMs);
  if (b.hist) {
    if (a.hist) a.hist.add(b.hist);
    else a.hist = cloneHistogram(b.hist);
  }
}

export function combineSeries(list: readonly Series[], tags: Record<string, string>): Series | undefined {
  const first = list[0];
  if (!first) return undefined;
  const out = emptySeries(first.metric, first.type, first.contains, tags);
  for (const s of list) addSeriesInto(out, s);
  return out;
}
