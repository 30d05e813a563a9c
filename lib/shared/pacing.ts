// Latency levels of seed 000 ("single / light / moderate / heavy"), as pacing: how long a VU
// waits from the start of one submission to the start of the next. `single` leaves the system under test
// idle between requests (unloaded latency); `heavy` sends back to back. PACING_SCALE shrinks the
// intervals for quick runs. Pure: the workload sleeps what `pauseSeconds` returns.
import type { EnvKnobs } from './env-knobs.ts';

export const PACING_LEVELS = ['single', 'light', 'moderate', 'heavy'] as const;
export type PacingLevel = (typeof PACING_LEVELS)[number];

/** Nominal interval between submission starts, per VU, in milliseconds. */
export const PACING_INTERVAL_MS: Readonly<Record<PacingLevel, number>> = { single: 500, light: 200, moderate: 50, heavy: 0 };

export interface PacingPlan {
  levels: PacingLevel[];
  /** Submissions per level per iteration. */
  requestsPerLevel: number;
  scale: number;
}

/**
 * PACING: one level, a comma-separated list, or "all" (default: every level, one after another,
 * in each iteration). LATENCY_REQUESTS: submissions per level (default 5). PACING_SCALE: factor
 * on every interval (default 1).
 */
export function parsePacing(knobs: EnvKnobs): PacingPlan {
  const raw = knobs.raw('PACING') ?? 'all';
  const levels: PacingLevel[] = [];
  if (raw === 'all') levels.push(...PACING_LEVELS);
  else {
    for (const part of raw.split(',').map((s) => s.trim())) {
      if ((PACING_LEVELS as readonly string[]).includes(part)) levels.push(part as PacingLevel);
      else knobs.invalid('PACING', raw, `all, or pacing levels from ${PACING_LEVELS.join(', ')} (${JSON.stringify(part)} is not one)`);
    }
  }
  const requestsPerLevel = knobs.number('LATENCY_REQUESTS', { integer: true, min: 1, max: 10000, example: '5' }, 5);
  const scale = knobs.number('PACING_SCALE', { min: 0, max: 100, example: '1 or 0.1' }, 1);
  return { levels, requestsPerLevel, scale };
}

/** Seconds to sleep after a submission that took `elapsedMs`, so starts are `interval` apart. */
export function pauseSeconds(level: PacingLevel, scale: number, elapsedMs: number): number {
  return Math.max(0, PACING_INTERVAL_MS[level] * scale - elapsedMs) / 1000;
}
