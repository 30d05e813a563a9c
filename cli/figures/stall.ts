// Stalls: windows where VUs are active but nothing completes, or where completions collapse
// against the run's own steady rate. A frozen system under test looks fast and error-free to
// every latency and error figure (its requests simply never finish), so this is the figure that
// keeps such a run from passing.
import type { TimeSeries } from '../model/run-summary.ts';

export interface StallWindow {
  startMs: number;
  endMs: number;
  seconds: number;
  /** 'no-progress': nothing completed; 'collapse': completions fell below the collapse fraction. */
  kind: 'no-progress' | 'collapse';
  /** Completions per second in the window, and the steady rate it is judged against. */
  ratePerS: number;
  steadyRatePerS: number;
}

export interface StallOptions {
  /** A window shorter than this is noise (GC pause, a slow request), not a stall. */
  minSeconds?: number;
  /** Completion rate below this fraction of the steady rate counts as a collapse. */
  collapseFraction?: number;
}

export const STALL_DEFAULTS: Required<StallOptions> = { minSeconds: 3, collapseFraction: 0.1 };

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Stall windows of a run's timeline. A bucket's completions are its finished requests plus
 * finished iterations; the steady rate is the median over active buckets that completed
 * something, first and last (partial) buckets left out. Sparse workloads (long think times) get a longer minimum: a window
 * must also span five expected gaps between completions before it is called a stall.
 * Returns null when the timeline is too short to have a steady rate (fewer than 3 full buckets).
 */
export function findStalls(ts: TimeSeries, options: StallOptions = {}): StallWindow[] | null {
  const { minSeconds, collapseFraction } = { ...STALL_DEFAULTS, ...options };
  const indexes = [...ts.buckets.keys()].sort((a, b) => a - b);
  if (indexes.length < 5) return null;
  const first = indexes[0]!;
  const last = indexes[indexes.length - 1]!;
  const bucketS = ts.bucketMs / 1000;
  const completions = (i: number) => {
    const b = ts.buckets.get(i);
    return b ? b.reqs + b.iterations : 0;
  };
  const active = (i: number) => (ts.buckets.get(i)?.vus ?? 0) > 0;

  const full: number[] = [];
  let activeFullSeconds = 0;
  let totalCompletions = 0;
  for (let i = first + 1; i < last; i++) {
    if (!active(i)) continue;
    activeFullSeconds += bucketS;
    totalCompletions += completions(i);
    if (completions(i) > 0) full.push(completions(i) / bucketS);
  }
  if (full.length < 3) return null;
  const steady = median(full);
  // The mean gap (zeros included) is what think time makes normal between completions.
  const expectedGapS = activeFullSeconds / totalCompletions;
  const minWindowS = Math.max(minSeconds, 5 * expectedGapS);

  const windows: StallWindow[] = [];
  let runStart: number | undefined;
  let runCompletions = 0;
  const close = (endIndex: number) => {
    if (runStart === undefined) return;
    const seconds = (endIndex - runStart) * bucketS;
    if (seconds >= minWindowS) {
      const rate = runCompletions / seconds;
      windows.push({ startMs: runStart * ts.bucketMs, endMs: endIndex * ts.bucketMs, seconds, kind: runCompletions === 0 ? 'no-progress' : 'collapse', ratePerS: rate, steadyRatePerS: steady });
    }
    runStart = undefined;
    runCompletions = 0;
  };
  // Gaps in the bucket map (no point at all, not even a VU gauge) are buckets with nothing.
  for (let i = first; i <= last; i++) {
    const stalled = active(i) && completions(i) / bucketS < collapseFraction * steady;
    if (stalled) {
      runStart ??= i;
      runCompletions += completions(i);
    } else close(i);
  }
  close(last + 1);
  return windows;
}
