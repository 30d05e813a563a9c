// Interleaved A/B: runs one workload alternately against two deployments and compares them
// with the paired design — the fair way to compare two builds of a platform. Runs made back to
// back (all A, then all B) against long-lived, stateful servers pick up drift (caches warming,
// the database growing, the machine's neighbours) and call it a difference; pairing each A run
// with the B run next to it cancels slow drift, and alternating the order inside the pairs
// (A B, B A, A B, … by default) cancels what is left of a linear trend and any "second run is
// faster" effect. Each run's setup creates its own organisation and register on the target, so
// no run reads another run's data.
//
//   tsx tools/runner/ab.ts --a http://127.0.0.1:5380 --b http://127.0.0.1:5381 \
//     [--workload mixed-workload] [--profile smoke] [--pairs 8] [--order abba|abab] \
//     [-e ITERATIONS=60 ...] [--primary "http_req_duration p50" ...] [--out reports/ab-<time>]
//
// The verdicts come from the CLI's engine (cli/compare), the same code as `ledger-perf compare
// --paired`. Exit codes are compare's: 0 no regression of B vs A, 1 regression, 2 bad input,
// 3 incomparable runs or too few pairs.

import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { checkComparable } from '../../cli/compare/comparability.ts';
import { type CompareOptions, type Comparison, compareRuns } from '../../cli/compare/compare-runs.ts';
import { renderCompareJson, renderCompareMarkdown } from '../../cli/compare/render-compare.ts';
import { CliError, EXIT } from '../../cli/errors.ts';
import { writeFileAtomic } from '../../cli/io/atomic-write.ts';
import { loadRun } from '../../cli/run/load-run.ts';
import { DEFAULT_PROFILE } from '../../lib/shared/profiles/catalog.ts';
import { projectRoot } from '../install/k6.mjs';
import { runWorkload, timestampForPath } from './run-workload.ts';

export interface AbOptions {
  workload: string;
  profile: string;
  /** Base URLs of the two deployments: A is the baseline, B the candidate. */
  a: string;
  b: string;
  pairs: number;
  /** abba: A B, B A, A B, … (default; cancels order and linear drift); abab: A B, A B, … */
  order?: 'abba' | 'abab';
  outDir: string;
  env?: Record<string, string>;
  /** Metric ids that gate the verdict (default: compare's primary metrics). */
  primary?: string[];
  compare?: Partial<CompareOptions>;
  /** k6 output to <run>/k6.log instead of this terminal. */
  quiet?: boolean;
  /** Progress lines ("pair 3/8: B …"). */
  log?: (line: string) => void;
}

export interface AbResult {
  runs: { a: string[]; b: string[] };
  comparison: Comparison;
  exitCode: number;
  markdown: string;
}

const DEFAULTS: CompareOptions = { alpha: 0.05, noisePct: 5, noisePp: 0.5, noiseFor: {}, tolerancePct: 10, tolerancePp: 1, minSamples: 100, minTail: 20 };

export async function runAb(o: AbOptions): Promise<AbResult> {
  if (!Number.isInteger(o.pairs) || o.pairs < 2) throw new CliError(`--pairs must be an integer ≥ 2, got ${o.pairs}`, EXIT.usage);
  if (o.a === o.b) throw new CliError(`--a and --b are the same deployment (${o.a}); an A/B needs two`, EXIT.usage);
  const stamp = timestampForPath();
  const runs = { a: [] as string[], b: [] as string[] };
  for (let i = 0; i < o.pairs; i++) {
    const order: Array<'a' | 'b'> = (o.order ?? 'abba') === 'abba' && i % 2 === 1 ? ['b', 'a'] : ['a', 'b'];
    for (const side of order) {
      const name = `${String(i + 1).padStart(2, '0')}-${side.toUpperCase()}`;
      o.log?.(`pair ${i + 1}/${o.pairs}: ${side.toUpperCase()} (${side === 'a' ? o.a : o.b})`);
      const { exitCode, runDir } = await runWorkload({
        workload: o.workload,
        profile: o.profile,
        baseUrl: side === 'a' ? o.a : o.b,
        outDir: o.outDir,
        runName: name,
        quiet: o.quiet,
        env: { ...o.env, TESTID: `ab-${stamp}-${name}` },
      });
      // k6 exit 99 = thresholds crossed: still a measurement. Anything else: the run is broken.
      if (exitCode !== 0 && exitCode !== 99) throw new CliError(`run ${runDir} failed (k6 exit ${exitCode}); see its k6.log`, EXIT.incomparable);
      runs[side].push(runDir);
    }
  }
  const base = await Promise.all(runs.a.map((d) => loadRun(d)));
  const cand = await Promise.all(runs.b.map((d) => loadRun(d)));
  const options: CompareOptions = { ...DEFAULTS, ...o.compare, primary: o.primary ?? o.compare?.primary, paired: true };
  const comparable = checkComparable(base, cand, 0.01);
  // Every run was made here, by this command, on this machine: the machine rule has nothing to add.
  const problems = comparable.problems.filter((p) => p.rule !== 'machine');
  if (problems.length) throw new CliError(`the A/B runs are not comparable:\n  - ${problems.map((p) => `[${p.rule}] ${p.message}`).join('\n  - ')}`, EXIT.incomparable);
  const comparison = compareRuns(base, cand, options, { baseline: runs.a, candidate: runs.b }, comparable.severe);
  comparison.warnings.unshift(`interleaved A/B (${o.order ?? 'abba'}): A = ${o.a} (baseline), B = ${o.b} (candidate), ${o.pairs} pairs of ${o.workload}/${o.profile}`);
  const markdown = renderCompareMarkdown(comparison);
  writeFileAtomic(join(o.outDir, 'compare.md'), markdown);
  writeFileAtomic(join(o.outDir, 'compare.json'), renderCompareJson(comparison));
  const exitCode = comparison.regressions > 0 ? EXIT.regression : comparison.insufficient ? EXIT.incomparable : EXIT.ok;
  return { runs, comparison, exitCode, markdown };
}

function parseEnv(value: string, previous: Record<string, string>): Record<string, string> {
  const i = value.indexOf('=');
  if (i <= 0) throw new InvalidArgumentError(`-e expects KEY=VALUE, got "${value}"`);
  return { ...previous, [value.slice(0, i)]: value.slice(i + 1) };
}

async function main(argv: string[]): Promise<number> {
  const program = new Command('ab')
    .description('interleaved A/B: one workload alternately against two deployments, compared pair by pair')
    .requiredOption('--a <url>', 'deployment A (baseline)')
    .requiredOption('--b <url>', 'deployment B (candidate)')
    .option('--workload <name>', 'workload (dist/<name>.js)', 'mixed-workload')
    .option('--profile <name>', 'load profile', DEFAULT_PROFILE)
    .option('--pairs <n>', 'A/B pairs (8+ for a verdict over several gating metrics)', (v) => Number(v), 8)
    .option('--order <order>', 'abba (A B, B A, …) or abab', 'abba')
    .option('-e, --env <KEY=VALUE>', 'extra variable for the script, repeatable', parseEnv, {} as Record<string, string>)
    .option('--primary <metrics...>', 'metric ids that gate the verdict')
    .option('--out <dir>', 'folder for the run folders and compare.md/json')
    .exitOverride();
  program.parse(argv, { from: 'user' });
  const opts = program.opts<{ a: string; b: string; workload: string; profile: string; pairs: number; order: string; env: Record<string, string>; primary?: string[]; out?: string }>();
  if (opts.order !== 'abba' && opts.order !== 'abab') throw new CliError(`--order must be abba or abab, got "${opts.order}"`, EXIT.usage);
  const outDir = resolve(opts.out ?? join(projectRoot, 'reports', `ab-${timestampForPath()}`));
  const r = await runAb({ ...opts, order: opts.order, outDir, quiet: true, log: (l) => process.stderr.write(`▶ ${l}\n`) });
  process.stdout.write(r.markdown);
  process.stdout.write(`\nruns and compare.md/json: ${outDir}\n`);
  return r.exitCode;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      if (err instanceof CliError) {
        process.stderr.write(`ab: ${err.message}\n`);
        process.exit(err.exitCode);
      }
      const e = err as { code?: string; exitCode?: number; message?: string };
      if (e.code?.startsWith('commander.')) process.exit(e.code === 'commander.helpDisplayed' ? 0 : EXIT.usage);
      process.stderr.write(`ab: ${e.message ?? String(err)}\n`);
      process.exit(EXIT.usage);
    },
  );
}
