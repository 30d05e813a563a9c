// Achieved TPS per profile step: transactions the system under test accepted during a step divided by the
// step's scheduled length. The throughput workload declares one informational threshold per
// step (`transactions_accepted{scenario:<step>}: count>=0`, never fails) so k6's summary carries
// each step's count; the schedule comes from lib/k6/profiles.ts. Pure: usable inside k6 and by
// Node tools reading summary.json.
import type { ScheduledProfile } from './profiles/schedule.ts';

export const ACCEPTED_METRIC = 'transactions_accepted';

export function acceptedSelector(scenario: string): string {
  return `${ACCEPTED_METRIC}{scenario:${scenario}}`;
}

/** One informational threshold per step, so the summary has each step's accepted count. */
export function perStepAcceptedThresholds(schedule: ScheduledProfile): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const step of schedule.steps) out[acceptedSelector(step.scenario)] = ['count>=0'];
  return out;
}

export interface StepThroughput {
  scenario: string;
  tags: Record<string, string>;
  /** Arrival rate the step asked for (its peak, iterations/s); undefined for closed-model steps. */
  offeredRate: number | undefined;
  accepted: number;
  seconds: number;
  achievedTps: number;
}

/** Per-step achieved TPS from a k6 summary-export object and the run's schedule. */
export function achievedTpsFromSummary(summary: { metrics: Record<string, Record<string, number>> }, schedule: ScheduledProfile): StepThroughput[] {
  return schedule.steps.map((step) => {
    const accepted = summary.metrics[acceptedSelector(step.scenario)]?.count ?? 0;
    return {
      scenario: step.scenario,
      tags: step.tags,
      offeredRate: step.model === 'open' ? step.peakRate : undefined,
      accepted,
      seconds: step.durationSeconds,
      achievedTps: step.durationSeconds > 0 ? accepted / step.durationSeconds : 0,
    };
  });
}
