// The one reader of configuration knobs (k6 `-e NAME=value`, the process env, the reference
// server's flags). Every reader records a problem instead of throwing, so a caller reads every
// knob, then calls throwIfAny() and the user sees every problem at once, in one style:
//   NAME="bad value" is not valid: expected <the accepted form, with an example>
// Pure: no k6, no Node; unit-tested under Node.
import { parseDurationSeconds } from './profiles/duration.ts';

export type Env = Readonly<Record<string, string | undefined>>;

/** Where problems go; EnvKnobs is one, and so is any `{ add }` a parser is handed. */
export interface ProblemSink {
  add(problem: string): void;
}

/** Bad configuration: `problems` has one self-contained line per problem, each naming its knob. */
export class ConfigError extends Error {
  constructor(
    readonly problems: readonly string[],
    consequence = 'nothing was sent to the system under test',
  ) {
    // The problem lines come first so the first line names the knob (tools point at it).
    super(`${problems.join('\n')}\n(invalid configuration, ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${consequence}; fix every line above)`);
    this.name = 'ConfigError';
  }
}

/** The one wording of a bad value. */
export function invalidValue(name: string, raw: string, expected: string): string {
  return `${name}=${JSON.stringify(raw)} is not valid: expected ${expected}`;
}

export interface NumberSpec {
  integer?: boolean;
  /** Inclusive bounds. */
  min?: number;
  max?: number;
  /** Exclusive bounds (e.g. `above: 0` for "positive"). */
  above?: number;
  below?: number;
  /** Shown after "such as", e.g. "0.1 or 2". */
  example: string;
}

/** "a positive whole number such as 5", "a number from 0 to 100 such as 1", … */
export function describeNumber(spec: NumberSpec): string {
  const kind = spec.integer ? 'whole number' : 'number';
  let text: string;
  if (spec.above === 0 && spec.below === 1) text = 'a fraction between 0 and 1';
  else if (spec.min !== undefined && spec.max !== undefined) text = `a ${kind} from ${spec.min} to ${spec.max}`;
  else if (spec.above === 0 && spec.max === undefined && spec.below === undefined) text = `a positive ${kind}`;
  else {
    const bounds = [
      spec.min !== undefined ? `>= ${spec.min}` : '',
      spec.above !== undefined ? `> ${spec.above}` : '',
      spec.max !== undefined ? `<= ${spec.max}` : '',
      spec.below !== undefined ? `< ${spec.below}` : '',
    ].filter((b) => b !== '');
    text = `a ${kind}${bounds.length ? ` ${bounds.join(' and ')}` : ''}`;
  }
  return `${text} such as ${spec.example}`;
}

function fitsNumber(n: number, spec: NumberSpec): boolean {
  if (!Number.isFinite(n) || (spec.integer && !Number.isInteger(n))) return false;
  if (spec.min !== undefined && n < spec.min) return false;
  if (spec.max !== undefined && n > spec.max) return false;
  if (spec.above !== undefined && n <= spec.above) return false;
  if (spec.below !== undefined && n >= spec.below) return false;
  return true;
}

export class EnvKnobs implements ProblemSink {
  readonly problems: string[] = [];
  /** Every name a reader asked for: what the plan checker knows as this run's knobs. */
  readonly readNames = new Set<string>();

  constructor(readonly env: Env) {}

  add(problem: string): void {
    this.problems.push(problem);
  }

  invalid(name: string, raw: string, expected: string): void {
    this.add(invalidValue(name, raw, expected));
  }

  /** The trimmed value, or undefined when unset or blank (blank means "use the default"). */
  raw(name: string): string | undefined {
    this.readNames.add(name);
    const v = this.env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  }

  optionalNumber(name: string, spec: NumberSpec): number | undefined {
    const raw = this.raw(name);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!fitsNumber(n, spec)) {
      this.invalid(name, raw, describeNumber(spec));
      return undefined;
    }
    return n;
  }

  number(name: string, spec: NumberSpec, fallback: number): number {
    return this.optionalNumber(name, spec) ?? fallback;
  }

  oneOf<T extends string>(name: string, valid: readonly T[], fallback: T): T {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    if ((valid as readonly string[]).includes(raw)) return raw as T;
    this.invalid(name, raw, `one of ${valid.join(', ')}`);
    return fallback;
  }

  onOff(name: string, fallback: boolean): boolean {
    return this.oneOf(name, ['on', 'off'] as const, fallback ? 'on' : 'off') === 'on';
  }

  /** A k6/Go duration ("30s", "2m", "1h30m"), in seconds. */
  optionalDuration(name: string, minSeconds: number, example: string): number | undefined {
    const raw = this.raw(name);
    if (raw === undefined) return undefined;
    const s = parseDurationSeconds(raw);
    if (s === undefined || s < minSeconds) {
      this.invalid(name, raw, `a duration of at least ${minSeconds < 1 ? `${minSeconds * 1000}ms` : `${minSeconds}s`} such as ${example}`);
      return undefined;
    }
    return s;
  }

  /** Comma-separated items; `item` returns the parsed item or undefined when the part is bad. */
  list<T>(name: string, expected: string, item: (part: string) => T | undefined): T[] | undefined {
    const raw = this.raw(name);
    if (raw === undefined) return undefined;
    const parts = raw.split(',').map((p) => p.trim());
    const items = parts.map(item);
    if (parts.some((p, i) => p === '' || items[i] === undefined)) {
      this.invalid(name, raw, expected);
      return undefined;
    }
    return items as T[];
  }

  throwIfAny(consequence?: string): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems, consequence);
  }
}
