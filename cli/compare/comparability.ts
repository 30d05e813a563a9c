// Runs that measured different things must not be compared: another script, another load
// profile, dropped iterations (the offered load was not delivered) or a blown error budget
// (latency of failing requests is meaningless). Each problem names the run and the fix.
import type { RunSummary } from '../model/run-summary.ts';
import { droppedIterations, errorRate } from './run-metrics.ts';

export interface ComparabilityResult {
  problems: string[];
  warnings: string[];
}

function label(r: RunSummary): string {
  return r.meta.sources.join('+') || r.meta.testId || '(run)';
}

export function checkComparable(base: RunSummary[], cand: RunSummary[], errorBudget: number): ComparabilityResult {
  const all = [...base, ...cand];
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const field of ['scriptHash', 'profile', 'workload'] as const) {
    const values = new Map<string, string[]>();
    for (const r of all) {
      const v = r.meta[field];
      if (v === undefined) continue;
      values.set(v, [...(values.get(v) ?? []), label(r)]);
    }
    if (values.size > 1) problems.push(`runs differ in ${field}: ${[...values.entries()].map(([v, runs]) => `${field === 'scriptHash' ? v.slice(0, 12) : v} (${runs.join(', ')})`).join(' vs ')}`);
    const missing = all.filter((r) => r.meta[field] === undefined);
    if (missing.length > 0 && field === 'scriptHash') warnings.push(`cannot verify that all runs used the same script: no run.json scriptHash for ${missing.map(label).join(', ')}`);
  }
  for (const r of all) {
    const dropped = droppedIterations(r);
    if (dropped > 0) problems.push(`${label(r)} dropped ${dropped} iterations (the arrival rate was not delivered)`);
    const er = errorRate(r);
    if (er !== null && er > errorBudget) problems.push(`${label(r)} has an error rate of ${(er * 100).toFixed(2)} %, over the budget of ${(errorBudget * 100).toFixed(2)} % (--error-budget)`);
  }
  return { problems, warnings };
}
