// Chart series for a whole run with bounded memory: buckets start at 1 s and double in width
// whenever the run spans more than MAX_BUCKETS of them, so a 10 h soak costs what a 12 min run
// does. Bucket indexes are absolute (epoch ms / width), so segment outputs line up on merge.
import type { TimeBucket, TimeSeries } from '../model/run-summary.ts';
import { newHistogram } from './histogram.ts';

export const MAX_BUCKETS = 720;

export function newTimeSeries(bucketMs = 1000): TimeSeries {
  return { bucketMs, buckets: new Map() };
}

export function emptyBucket(index: number): TimeBucket {
  // 2 significant digits: charts need shape, not the last 0.1 %, and this keeps buckets small.
  return { index, latency: newHistogram(2), latencySumMs: 0, reqs: 0, failed: 0, failedChecked: 0, iterations: 0, started: 0, dropped: 0, checks: 0, checksPassed: 0, vus: 0 };
}

export function addBucketInto(a: TimeBucket, b: TimeBucket, vus: 'sum' | 'max'): void {
  a.latency.add(b.latency);
  a.latencySumMs += b.latencySumMs;
  a.reqs += b.reqs;
  a.failed += b.failed;
  a.failedChecked += b.failedChecked;
  a.iterations += b.iterations;
  a.started += b.started;
  a.dropped += b.dropped;
  a.checks += b.checks;
  a.checksPassed += b.checksPassed;
  a.vus = vus === 'sum' ? a.vus + b.vus : Math.max(a.vus, b.vus);
}

/** Rebuckets to `bucketMs` (a multiple of the current width). */
export function coarsen(ts: TimeSeries, bucketMs: number): void {
  if (bucketMs === ts.bucketMs) return;
  const factor = bucketMs / ts.bucketMs;
  const merged = new Map<number, TimeBucket>();
  for (const b of ts.buckets.values()) {
    const index = Math.floor(b.index / factor);
    let target = merged.get(index);
    if (!target) {
      target = emptyBucket(index);
      merged.set(index, target);
    }
    addBucketInto(target, b, 'max');
  }
  ts.buckets = merged;
  ts.bucketMs = bucketMs;
}

export class TimeSeriesBuilder {
  readonly ts: TimeSeries = newTimeSeries();
  private minIndex = Infinity;
  private maxIndex = -Infinity;

  bucketAt(timeMs: number): TimeBucket {
    let index = Math.floor(timeMs / this.ts.bucketMs);
    let b = this.ts.buckets.get(index);
    if (b) return b;
    if (index < this.minIndex) this.minIndex = index;
    if (index > this.maxIndex) this.maxIndex = index;
    while (this.maxIndex - this.minIndex + 1 > MAX_BUCKETS) {
      coarsen(this.ts, this.ts.bucketMs * 2);
      this.minIndex = Math.floor(this.minIndex / 2);
      this.maxIndex = Math.floor(this.maxIndex / 2);
      index = Math.floor(timeMs / this.ts.bucketMs);
    }
    b = this.ts.buckets.get(index);
    if (!b) {
      b = emptyBucket(index);
      this.ts.buckets.set(index, b);
    }
    return b;
  }
}
