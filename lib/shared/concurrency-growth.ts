// Seed 002's scaling yardstick: latency may grow less than 20 % per 2.5x concurrency. Given the
// p95 of each concurrency level, every step's growth is normalised to a 2.5x increase
// ((p95_b / p95_a) ^ (ln 2.5 / ln(c_b / c_a)) - 1) and the worst step is the figure. The
// report CLI computes the same figure from the raw points; this version reads k6's summary
// (summary.json from --summary-export), whose per-level p95s exist because the concurrency
// workload declares one informational threshold per level. Pure.

export interface LevelLatency {
  concurrency: number;
  p95Ms: number;
}

export interface GrowthStep {
  from: number;
  to: number;
  /** Growth normalised to 2.5x concurrency, as a fraction (0.2 = 20 %). */
  growthPer2_5x: number;
}

export function growthSteps(levels: readonly LevelLatency[]): GrowthStep[] {
  const sorted = levels.filter((l) => l.concurrency > 0 && l.p95Ms > 0 && Number.isFinite(l.p95Ms)).sort((a, b) => a.concurrency - b.concurrency);
  const steps: GrowthStep[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (b.concurrency === a.concurrency) continue;
    steps.push({ from: a.concurrency, to: b.concurrency, growthPer2_5x: (b.p95Ms / a.p95Ms) ** (Math.log(2.5) / Math.log(b.concurrency / a.concurrency)) - 1 });
  }
  return steps;
}

/** Worst (largest) growth per 2.5x over all steps; undefined with fewer than two levels. */
export function worstGrowthPer2_5x(levels: readonly LevelLatency[]): number | undefined {
  const steps = growthSteps(levels);
  return steps.length ? Math.max(...steps.map((s) => s.growthPer2_5x)) : undefined;
}

/** The submetric selector the concurrency workload declares per level. */
export function levelSelector(metric: string, name: string, concurrency: number): string {
  return `${metric}{concurrency:${concurrency},name:${name}}`;
}

/**
 * Per-level p95 from a k6 summary-export object: keys like
 * `http_req_duration{concurrency:5,name:POST /transactions/validate}` with a `p(95)` value.
 */
export function levelsFromSummary(summary: { metrics: Record<string, Record<string, number>> }, metric: string, name: string): LevelLatency[] {
  const out: LevelLatency[] = [];
  const prefix = `${metric}{concurrency:`;
  const suffix = `,name:${name}}`;
  for (const [key, values] of Object.entries(summary.metrics)) {
    if (!key.startsWith(prefix) || !key.endsWith(suffix)) continue;
    const concurrency = Number(key.slice(prefix.length, key.length - suffix.length));
    const p95 = values['p(95)'];
    if (Number.isFinite(concurrency) && typeof p95 === 'number') out.push({ concurrency, p95Ms: p95 });
  }
  return out.sort((a, b) => a.concurrency - b.concurrency);
}
