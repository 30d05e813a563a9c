// User classes of seed 003 (Locust): each class has a think-time range and a weight. A VU's
// class follows from its VU id through a smooth weighted round-robin, so every run assigns the
// same classes to the same VUs and any `sum(weights)` consecutive VUs match the weights exactly.
// Pure: unit-tested under Node.
import type { EnvKnobs } from './env-knobs.ts';
import { parseWeights } from './weighted.ts';

export const USER_CLASSES = ['api', 'blockchain', 'session', 'admin'] as const;
export type UserClass = (typeof USER_CLASSES)[number];

/** Think time between a user's tasks, seconds (seed 003: 1–3, 5–10, 2–5, 10–30). */
export const THINK_RANGES: Readonly<Record<UserClass, readonly [number, number]>> = {
  api: [1, 3],
  blockchain: [5, 10],
  session: [2, 5],
  admin: [10, 30],
};

/**
 * Seed 003 names the classes and their wait times but no weights; these follow its emphasis
 * (general API traffic most, admin least). Override with USER_CLASS_WEIGHTS.
 */
export const DEFAULT_CLASS_WEIGHTS: Readonly<Record<UserClass, number>> = { api: 4, blockchain: 3, session: 2, admin: 1 };

export function parseClassWeights(knobs: EnvKnobs): Record<UserClass, number> {
  const raw = knobs.raw('USER_CLASS_WEIGHTS');
  return raw === undefined ? { ...DEFAULT_CLASS_WEIGHTS } : parseWeights(raw, 'USER_CLASS_WEIGHTS', DEFAULT_CLASS_WEIGHTS, knobs);
}

/** THINK_SCALE: 1 = the seed's think times, 0.01 for quick runs. */
export function parseThinkScale(knobs: EnvKnobs): number {
  return knobs.number('THINK_SCALE', { min: 0, max: 10, example: '1 or 0.01' }, 1);
}

/**
 * One full cycle of the smooth weighted round-robin (as nginx balances upstreams): each class
 * appears `weight` times, spread out rather than in runs. Weights are rounded to whole numbers.
 */
export function classCycle(weights: Readonly<Record<UserClass, number>>): UserClass[] {
  const entries = USER_CLASSES.map((c) => ({ c, w: Math.round(weights[c]) })).filter((e) => e.w > 0);
  if (entries.length === 0) throw new Error('classCycle: no user class has a positive weight');
  const total = entries.reduce((s, e) => s + e.w, 0);
  const current = new Map(entries.map((e) => [e.c, 0]));
  const cycle: UserClass[] = [];
  for (let i = 0; i < total; i++) {
    let best = entries[0]!;
    for (const e of entries) {
      current.set(e.c, current.get(e.c)! + e.w);
      if (current.get(e.c)! > current.get(best.c)!) best = e;
    }
    current.set(best.c, current.get(best.c)! - total);
    cycle.push(best.c);
  }
  return cycle;
}

/** The class of VU `vuId` (1-based, as k6 numbers VUs). */
export function classOfVu(cycle: readonly UserClass[], vuId: number): UserClass {
  return cycle[(((vuId - 1) % cycle.length) + cycle.length) % cycle.length]!;
}

/** Think time in seconds: uniform in the class's range (`random` in [0, 1)), times `scale`. */
export function thinkSeconds(userClass: UserClass, random: number, scale: number): number {
  const [min, max] = THINK_RANGES[userClass];
  return (min + (max - min) * random) * scale;
}
