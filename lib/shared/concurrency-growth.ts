// The concurrency workload's per-level submetric: one informational threshold per level
// (scenarios/concurrency.ts) so k6's summary carries each level's p95. The growth figure itself
// (latency growth per 2.5x concurrency) is computed by the CLI from the raw points
// (cli/figures/derived.ts). Pure.

/** The submetric selector the concurrency workload declares per level. */
export function levelSelector(metric: string, name: string, concurrency: number): string {
  return `${metric}{concurrency:${concurrency},name:${name}}`;
}
