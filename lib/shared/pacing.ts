// Latency levels of seed 000 ("single / light / moderate / heavy"), as pacing: how long a VU
// waits from the start of one submission to the start of the next. `single` leaves the target
// idle between requests (unloaded latency); `heavy` sends back to back. PACING_SCALE shrinks the
// intervals for quick runs. Pure: the workload sleeps what `pauseSeconds` returns.
import type { ProblemList } from './config-errors.ts';

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
export function parsePacing(env: Record<string, string | undefined>, problems: ProblemList): PacingPlan {
  const raw = (env.PACING ?? 'all').trim();
  let levels: PacingLevel[] = [];
  if (raw === '' || raw === 'all') levels = [...PACING_LEVELS];
  else {
    for (const part of raw.split(',').map((s) => s.trim())) {
      if ((PACING_LEVELS as readonly string[]).includes(part)) levels.push(part as PacingLevel);
      else problems.add(`PACING: ${JSON.stringify(part)} is not a pacing level; valid: all, ${PACING_LEVELS.join(', ')}`);
    }
  }
  const requestsRaw = env.LATENCY_REQUESTS ?? '5';
  const requestsPerLevel = Number(requestsRaw);
  if (!Number.isInteger(requestsPerLevel) || requestsPerLevel < 1 || requestsPerLevel > 10000) {
    problems.add(`LATENCY_REQUESTS: expected a whole number from 1 to 10000, got ${JSON.stringify(requestsRaw)}`);
  }
  const scaleRaw = env.PACING_SCALE ?? '1';
  const scale = Number(scaleRaw);
  if (!Number.isFinite(scale) || scale < 0 || scale > 100) problems.add(`PACING_SCALE: expected a number from 0 to 100, got ${JSON.stringify(scaleRaw)}`);
  return { levels, requestsPerLevel, scale };
}

/** Seconds to sleep after a submission that took `elapsedMs`, so starts are `interval` apart. */
export function pauseSeconds(level: PacingLevel, scale: number, elapsedMs: number): number {
  return Math.max(0, PACING_INTERVAL_MS[level] * scale - elapsedMs) / 1000;
}
