// Exact running count/mean/variance/min/max (Welford), mergeable with Chan et al.'s formula so
// segment outputs combine into exactly the figures one run would have produced.

export interface Moments {
  count: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
  sum: number;
}

export function emptyMoments(): Moments {
  return { count: 0, mean: 0, m2: 0, min: Infinity, max: -Infinity, sum: 0 };
}

export function addValue(m: Moments, x: number): void {
  m.count++;
  const d = x - m.mean;
  m.mean += d / m.count;
  m.m2 += d * (x - m.mean);
  if (x < m.min) m.min = x;
  if (x > m.max) m.max = x;
  m.sum += x;
}

export function mergeMoments(a: Moments, b: Moments): Moments {
  if (a.count === 0) return { ...b };
  if (b.count === 0) return { ...a };
  const count = a.count + b.count;
  const d = b.mean - a.mean;
  return {
    count,
    mean: a.mean + (d * b.count) / count,
    m2: a.m2 + b.m2 + (d * d * a.count * b.count) / count,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
    sum: a.sum + b.sum,
  };
}

/** Sample standard deviation (n−1), 0 for fewer than two values. */
export function stddev(m: Moments): number {
  return m.count > 1 ? Math.sqrt(m.m2 / (m.count - 1)) : 0;
}
