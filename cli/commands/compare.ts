import type { Command } from 'commander';
import { baselineNoise } from '../baseline/store.ts';
import { checkComparable } from '../compare/comparability.ts';
import { type CompareOptions, compareRuns, DEFAULT_PRIMARY } from '../compare/compare-runs.ts';
import { renderCompareJson, renderCompareJunit, renderCompareMarkdown } from '../compare/render-compare.ts';
import { CliError, EXIT } from '../errors.ts';
import { writeFileAtomic } from '../io/atomic-write.ts';
import { prepareOutputFile } from '../io/out-dir.ts';
import type { RunSummary } from '../model/run-summary.ts';
import { resolveRuns } from '../run/resolve-inputs.ts';
import { judgeRun } from '../slo/judge.ts';
import { parseList, parseNumber } from './options.ts';

interface Opts {
  baseline: string[];
  candidate: string[];
  alpha: number;
  noise: number;
  noisePp: number;
  noiseFor: string[];
  tolerance: number;
  tolerancePp: number;
  minSamples: number;
  minTail: number;
  primary?: string[];
  paired?: boolean;
  errorBudget: number;
  force?: boolean;
  allowOtherMachine?: boolean;
  format: 'md' | 'json' | 'junit';
  md?: string;
  json?: string;
  junit?: string;
  baselines: string;
  lenient?: boolean;
}

function parseNoiseFor(entries: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of entries) {
    const i = e.lastIndexOf('=');
    const v = Number(e.slice(i + 1));
    if (i <= 0 || !Number.isFinite(v) || v < 0) throw new CliError(`--noise-for expects <metric>=<percent>, e.g. "http_req_duration p99=10", got "${e}"`, EXIT.usage);
    out[e.slice(0, i).trim()] = v;
  }
  return out;
}

/** The SLO verdict of a run: a saved baseline run keeps the one its full run got. */
export function runVerdict(run: RunSummary): string {
  return run.savedVerdict ?? judgeRun(run).verdict;
}

function renderRunVerdicts(base: readonly RunSummary[], cand: readonly RunSummary[]): string {
  const line = (side: string, r: RunSummary) => `  ${side} ${r.meta.sources.join('+') || r.meta.testId || '(run)'}: ${runVerdict(r)}\n`;
  return `SLO verdicts (as \`ledger-perf report\` gives them):\n${base.map((r) => line('baseline ', r)).join('')}${cand.map((r) => line('candidate', r)).join('')}`;
}

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('compare baseline runs with candidate runs; each run is one sample (exit 0 ok, 1 regression, 2 input error, 3 incomparable/insufficient)')
    .requiredOption('-b, --baseline <runs...>', 'baseline runs: run folders, run-summary.json files, baseline folders or saved baseline names')
    .requiredOption('-c, --candidate <runs...>', 'candidate runs (same kinds)')
    .option('--alpha <p>', 'significance level of the Mann–Whitney test', parseNumber('--alpha', 0.0001, 0.5), 0.05)
    .option('--noise <percent>', 'noise band for relative metrics: changes within ±band are "~"', parseNumber('--noise', 0, 1000), 5)
    .option('--noise-pp <pp>', 'noise band for rate metrics (error rate, checks) in percentage points', parseNumber('--noise-pp', 0, 100), 0.5)
    .option('--noise-for <metric=band>', 'per-metric band (metric id prefix), repeatable, e.g. "http_req_duration p99=10"', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--tolerance <percent>', 'fixed tolerance with one run per side (no statistics)', parseNumber('--tolerance', 0, 1000), 10)
    .option('--tolerance-pp <pp>', 'fixed tolerance for rate metrics with one run per side', parseNumber('--tolerance-pp', 0, 100), 1)
    .option('--min-samples <n>', 'percentiles from fewer requests than this in any run are shown but not judged (n/a)', parseNumber('--min-samples', 0, 1e12), 100)
    .option('--min-tail <n>', 'a percentile q is judged only with n·min(q, 1−q) ≥ this many observations beyond it in every run', parseNumber('--min-tail', 0, 1e12), 20)
    .option('--primary <metrics...>', `metric ids whose rows gate the exit code, with Holm's family-wise control (default: declared per workload, else ${DEFAULT_PRIMARY.join(', ')})`)
    .option('--paired', 'baseline run i and candidate run i were made next to each other (interleaved A/B): Wilcoxon signed-rank on the pairs')
    .option(
      '--error-budget <fraction>',
      'an http_req_failed rate over this: a candidate-only breakdown is a regression, a baseline one makes the runs incomparable',
      parseNumber('--error-budget', 0, 1),
      0.01,
    )
    .option('--force', 'compare even if runs differ in script, workload, load shape or k6 version, or the baseline is unhealthy (never past duplicates or a saturated generator)')
    .option('--allow-other-machine', 'compare runs from different (or unrecorded) machines; the table says so')
    .option('--format <fmt>', 'stdout format: md, json or junit', 'md')
    .option('--md <file>', 'also write the Markdown table to this file')
    .option('--json <file>', 'also write JSON to this file')
    .option('--junit <file>', 'also write JUnit XML to this file')
    .option('--baselines <dir>', 'where saved baselines live', 'baselines')
    .option('--lenient', 'skip corrupt lines in k6 outputs (reported)')
    .action(async (opts: Opts) => {
      if (!['md', 'json', 'junit'].includes(opts.format)) throw new CliError(`--format must be md, json or junit, got "${opts.format}"`, EXIT.usage);
      // Checked before the (possibly long) ingest, and all of them, so no file is written when one cannot be.
      for (const [option, file] of [
        ['--md', opts.md],
        ['--json', opts.json],
        ['--junit', opts.junit],
      ] as const)
        if (file) prepareOutputFile(file, option);
      const warn = (m: string) => process.stderr.write(`warning: ${m}\n`);
      const base = await resolveRuns(parseList(opts.baseline.join(',')), opts.baselines, { lenient: opts.lenient, warn });
      const cand = await resolveRuns(parseList(opts.candidate.join(',')), opts.baselines, { lenient: opts.lenient, warn });
      // Each run's SLO verdict, from the one judge: what `ledger-perf report` says of that run.
      process.stderr.write(renderRunVerdicts(base, cand));
      const comparable = checkComparable(base, cand, opts.errorBudget);
      for (const w of comparable.warnings) warn(w);
      const refuse = (problems: typeof comparable.problems, fix: string) => {
        throw new CliError(`runs are not comparable:\n  - ${problems.map((p) => `[${p.rule}] ${p.message}`).join('\n  - ')}\n  fix: ${fix}`, EXIT.incomparable);
      };
      const duplicates = comparable.problems.filter((p) => p.rule === 'duplicate');
      if (duplicates.length) refuse(duplicates, 'give each run once (--force does not override this)');
      const saturated = comparable.problems.filter((p) => p.rule === 'saturated');
      if (saturated.length)
        refuse(
          saturated,
          'rerun with headroom for the generator (a lower rate or fewer VUs on this machine, more MAX_VUS, or k6 on its own machine); a saturated run is no measurement of the target (--force does not override this)',
        );
      const machine = comparable.problems.filter((p) => p.rule === 'machine');
      if (machine.length && !opts.allowOtherMachine) refuse(machine, 'compare with runs from this machine, or pass --allow-other-machine to compare anyway');
      const others = comparable.problems.filter((p) => p.rule !== 'duplicate' && p.rule !== 'machine' && p.rule !== 'saturated');
      if (others.length && !opts.force) refuse(others, 'compare runs of the same workload, script, load shape and k6 version against a healthy baseline, or pass --force');
      if (opts.paired && base.length !== cand.length)
        throw new CliError(`--paired needs as many baseline as candidate runs (pair i = baseline i, candidate i), got ${base.length} vs ${cand.length}`, EXIT.usage);
      const options: CompareOptions = {
        alpha: opts.alpha,
        noisePct: opts.noise,
        noisePp: opts.noisePp,
        noiseFor: parseNoiseFor(opts.noiseFor),
        tolerancePct: opts.tolerance,
        tolerancePp: opts.tolerancePp,
        minSamples: opts.minSamples,
        minTail: opts.minTail,
        primary: opts.primary?.length ? parseList(opts.primary.join(',')) : undefined,
        historyNoise: baselineNoise(parseList(opts.baseline.join(',')), opts.baselines),
        paired: opts.paired,
      };
      const c = compareRuns(base, cand, options, { baseline: base.map((r) => r.meta.sources.join('+')), candidate: cand.map((r) => r.meta.sources.join('+')) }, comparable.severe);
      for (const p of [...machine].reverse()) c.warnings.unshift(`other machine (--allow-other-machine): ${p.message}`);
      if (opts.force) c.warnings.unshift(...others.map((p) => `forced past [${p.rule}]: ${p.message}`));
      const md = renderCompareMarkdown(c);
      const json = renderCompareJson(c);
      const junit = renderCompareJunit(c);
      if (opts.md) writeFileAtomic(opts.md, md);
      if (opts.json) writeFileAtomic(opts.json, json);
      if (opts.junit) writeFileAtomic(opts.junit, junit);
      process.stdout.write(opts.format === 'json' ? json : opts.format === 'junit' ? junit : md);
      process.exitCode = c.regressions > 0 ? EXIT.regression : c.insufficient ? EXIT.incomparable : EXIT.ok;
    });
}
