// Execution segments the way k6-operator hands them to its runners (pkg/segmentation): runner i
// of n (1-based) gets `(i-1)/n:i/n` of the sequence `0,1/n,…,1`. The local segmented runner
// uses the same split, so a local run and a cluster run divide the load identically.

export interface SegmentArgs {
  segment: string;
  sequence: string;
}

const point = (i: number, n: number) => (i === 0 ? '0' : i === n ? '1' : `${i}/${n}`);

export function executionSegments(n: number): SegmentArgs[] {
  if (!Number.isInteger(n) || n < 1) throw new Error(`the number of segments must be a whole number >= 1, got ${n}`);
  const sequence = Array.from({ length: n + 1 }, (_, i) => point(i, n)).join(',');
  return Array.from({ length: n }, (_, i) => ({ segment: `${point(i, n)}:${point(i + 1, n)}`, sequence }));
}
