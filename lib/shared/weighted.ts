// Weighted random choice for traffic mixes and corridors. Pure: unit-tested under Node.
import type { ProblemList } from './config-errors.ts';

export interface Weighted<T> {
  item: T;
  weight: number;
}

/** Picks an item with probability weight/sum; `random` is a value in [0, 1). */
export function pickWeighted<T>(entries: readonly Weighted<T>[], random: number): T {
  let total = 0;
  for (const e of entries) total += e.weight;
  let point = random * total;
  for (const e of entries) {
    if (point < e.weight) return e.item;
    point -= e.weight;
  }
  // Floating-point rounding can leave `point` a hair past the last bucket: take the last
  // item that can be chosen at all.
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i]!.weight > 0) return entries[i]!.item;
  throw new Error('pickWeighted: no entry has a positive weight');
}

/**
 * Parses a weights override like `{"submit":50,"read":50}` for the given keys. Unknown keys,
 * negative or non-numeric weights, and an all-zero mix are reported to `problems`.
 */
export function parseWeights<K extends string>(
  source: string,
  envName: string,
  defaults: Readonly<Record<K, number>>,
  problems: ProblemList,
): Record<K, number> {
  const valid = Object.keys(defaults) as K[];
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch {
    problems.add(`${envName}: not valid JSON (${JSON.stringify(source)}); expected an object like ${JSON.stringify(defaults)}`);
    return { ...defaults };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    problems.add(`${envName}: expected a JSON object like ${JSON.stringify(defaults)}`);
    return { ...defaults };
  }
  // Keys left out of an override get weight 0: the override describes the whole mix.
  const result = Object.fromEntries(valid.map((k) => [k, 0])) as Record<K, number>;
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!valid.includes(key as K)) {
      problems.add(`${envName}: unknown key "${key}"; valid keys: ${valid.join(', ')}`);
      continue;
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      problems.add(`${envName}: weight of "${key}" must be a number >= 0, got ${JSON.stringify(value)}`);
      continue;
    }
    result[key as K] = value;
  }
  if (valid.every((k) => result[k] === 0)) problems.add(`${envName}: at least one weight must be > 0`);
  return result;
}

/** Parses `40,25,20,15` into positive weights. */
export function parseWeightList(source: string, envName: string, problems: ProblemList): number[] {
  const parts = source.split(',').map((s) => s.trim());
  const weights = parts.map(Number);
  if (parts.length === 0 || weights.some((w, i) => parts[i] === '' || !Number.isFinite(w) || w <= 0)) {
    problems.add(`${envName}: expected comma-separated positive numbers like "40,25,20,15", got ${JSON.stringify(source)}`);
    return [1];
  }
  return weights;
}
