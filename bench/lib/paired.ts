// Paired, interleaved measurement of whole processes (A B A B …) with GNU time: each figure is
// the median of the runs and each ratio the median of the pair-by-pair ratios, so a machine whose
// speed drifts (other jobs on the cores) shifts both sides of a pair alike.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { benchKnobs } from './knobs.ts';

export interface ProcessCost {
  wallS: number;
  cpuS: number;
  maxRssMiB: number;
  stdout: string;
}

export function requireGnuTime(): void {
  if (!existsSync('/usr/bin/time')) {
    process.stderr.write('bench needs GNU time at /usr/bin/time (Debian package `time`): apt-get install time\n');
    process.exit(2);
  }
}

/**
 * Runs argv once under GNU time; throws with its output when it exits non-zero. With
 * `discardStdout` the output goes to /dev/null (zcat of a 10 M-point file writes gigabytes, more
 * than any buffer, and buffering it would only measure this process).
 */
export function measure(argv: string[], env: NodeJS.ProcessEnv = process.env, opts: { discardStdout?: boolean } = {}): ProcessCost {
  const stdio: ['ignore', 'ignore' | 'pipe', 'pipe'] = ['ignore', opts.discardStdout ? 'ignore' : 'pipe', 'pipe'];
  const r = spawnSync('/usr/bin/time', ['-f', '@@time %e %U %S %M', ...argv], { encoding: 'utf8', env, maxBuffer: 1 << 28, stdio });
  const m = /@@time ([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(r.stderr ?? '');
  if (r.status !== 0 || !m) throw new Error(`${argv.join(' ')} exited ${r.status}\n${(r.stderr ?? '').slice(-2000)}`);
  return { wallS: Number(m[1]), cpuS: Number(m[2]) + Number(m[3]), maxRssMiB: Number(m[4]) / 1024, stdout: r.stdout ?? '' };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface Paired<A, B = A> {
  a: A[];
  b: B[];
}

/** A then B, `runs` times, after one unrecorded warm-up pair. */
export function interleave<A, B = A>(runs: number, a: () => A, b: () => B): Paired<A, B> {
  a();
  b();
  const out: Paired<A, B> = { a: [], b: [] };
  for (let i = 0; i < runs; i++) {
    out.a.push(a());
    out.b.push(b());
  }
  return out;
}

/** Median of the pair-by-pair ratios f(a)/f(b). */
export function pairedRatio<T>(p: Paired<T, T>, f: (x: T) => number): number {
  return median(p.a.map((x, i) => f(x) / f(p.b[i]!)));
}

/** BENCH_RUNS: pairs per figure (checked with the bench's other knobs by knobsChecked()). */
export const runsFromEnv = (fallback: number): number => benchKnobs.number('BENCH_RUNS', { integer: true, above: 0, example: '5' }, fallback);

/** One line of the ratio table every bench prints and bench/all.ts gathers: `@@row <json>`. */
export interface BenchRow {
  figure: string;
  peer: string;
  ratio?: number;
  value?: string;
  goal: string;
  met: boolean | null;
  runs: number;
}

export function emitRow(row: BenchRow): void {
  process.stdout.write(`@@row ${JSON.stringify(row)}\n`);
}
