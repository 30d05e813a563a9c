// Accepted transactions per profile step: the throughput workload declares one informational
// threshold per step (`transactions_accepted{scenario:<step>}: count>=0`, never fails) so k6's
// summary carries each step's count; the schedule comes from lib/shared/profiles.ts. Pure.
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
