// The benchmarks' BENCH_* knobs, read with the project's one env-knob reader
// (lib/shared/env-knobs.ts): one wording for a bad value, and every bad value listed at once
// before anything is measured (exit 2).
import { ConfigError, EnvKnobs } from '../../lib/shared/env-knobs.ts';

export const benchKnobs = new EnvKnobs(process.env);

/** Positive whole numbers, comma-separated, within [min, max]. */
export function integerList(name: string, min: number, max: number, example: string, fallback: number[]): number[] {
  const item = (part: string) => {
    const n = Number(part);
    return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
  };
  return benchKnobs.list(name, `comma-separated whole numbers from ${min} to ${max} such as ${example}`, item) ?? fallback;
}

/** Some of `valid`, comma-separated. */
export function someOf(name: string, valid: readonly string[], fallback: readonly string[]): string[] {
  return benchKnobs.list(name, `some of ${valid.join(', ')}`, (part) => (valid.includes(part) ? part : undefined)) ?? [...fallback];
}

/** Call once every knob is read: prints every problem and exits 2 when there is one. */
export function knobsChecked(): void {
  if (benchKnobs.problems.length === 0) return;
  process.stderr.write(`${new ConfigError(benchKnobs.problems, 'nothing was measured').message}\n`);
  process.exit(2);
}
