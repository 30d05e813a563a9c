// Weighted random choice for traffic mixes and corridors. Pure: unit-tested under Node.
import { invalidValue, type ProblemSink } from './env-knobs.ts';

export interface Weighted<T> {
  item: T;
  weight: number;
}

/** Picks an item with probability weight/sum; `random` is a value in [0, 1). */
// Indexed loops, not for...of: called per iteration in k6, where Sobek allocates an iterator
// result object per for...of step (~8 % of k6's CPU in bench/k6-footprint.ts's health-only mix).
export function pickWeighted<T>(entries: readonly Weighted<T>[], random: number): T {
  let total = 0;
  for (let i = 0; i < entries.length; i++) total += entries[i]!.weight;
  let point = random * total;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
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
export function parseWeights<K extends string>(source: string, envName: string, defaults: Readonly<Record<K, number>>, problems: ProblemSink): Record<K, number> {
  const valid = Object.keys(defaults) as K[];
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch {
    problems.add(invalidValue(envName, source, `a JSON object such as ${JSON.stringify(defaults)} (this is not valid JSON)`));
    return { ...defaults };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    problems.add(invalidValue(envName, source, `a JSON object such as ${JSON.stringify(defaults)}`));
    return { ...defaults };
  }
  // Keys left out of an override get weight 0: the override describes the whole mix.
  const result = Object.fromEntries(valid.map((k) => [k, 0])) as Record<K, number>;
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!valid.includes(key as K)) {
      problems.add(invalidValue(envName, source, `only the keys ${valid.join(', ')} (unknown key "${key}")`));
      continue;
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      problems.add(invalidValue(envName, source, `weights that are numbers >= 0 ("${key}" is ${JSON.stringify(value)})`));
      continue;
    }
    result[key as K] = value;
  }
  if (valid.every((k) => result[k] === 0)) problems.add(invalidValue(envName, source, 'at least one weight > 0'));
  return result;
}

/** Parses `40,25,20,15` into positive weights. */
export function parseWeightList(source: string, envName: string, problems: ProblemSink): number[] {
  const parts = source.split(',').map((s) => s.trim());
  const weights = parts.map(Number);
  if (parts.length === 0 || weights.some((w, i) => parts[i] === '' || !Number.isFinite(w) || w <= 0)) {
    problems.add(invalidValue(envName, source, 'comma-separated positive numbers such as 40,25,20,15'));
    return [1];
  }
  return weights;
}
