// Runs a plan (plans/*.json): every run × repeat in order, against BASE_URL or a reference
// target started for the suite, into reports/suite-<timestamp>-<plan>/ with one folder per run
// plus suite.json and suite.md (exit code, duration, key figures of each run). Both summaries
// are rewritten after every run, so an interrupted suite still leaves a truthful record.
//   npm run suite -- <plan.json | plan name> [--stop-on-failure] [--base-url URL] [--out-dir DIR] [--dry-run] [--verbose]
import { Command, CommanderError } from 'commander';
import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { createGunzip } from 'node:zlib';
import { describeProfile, scheduledTargetAt } from '../../lib/k6/profiles.ts';
import type { RunResult, RunWorkloadOptions } from './run-workload.ts';
import { ConfigFileError } from '../../cli/config/json-source.ts';
import { loadPlanFile, resolvePlanPath, resolveRuns, type ResolvedRun } from './plan.ts';

export type RunWorkloadFn = (opts: RunWorkloadOptions) => Promise<RunResult>;

export type StartTargetFn = () => Promise<{ url: string; stop(): Promise<unknown> }>;

export interface SuiteDeps {
  runWorkload: RunWorkloadFn;
  startLocalTarget: StartTargetFn;
}

export interface SuiteOptions {
  planFile: string;
  /** Target under test; undefined starts the local reference target for the suite. */
  baseUrl?: string;
  outDir: string;
  stopOnFailure: boolean;
  /** Send each run's k6 output to <runDir>/k6.log instead of the terminal. */
  quiet: boolean;
  log: (line: string) => void;
  now?: () => Date;
}

/** The figures a suite summary shows per run, from k6's --summary-export (summary.json). */
export interface KeyFigures {
  requests?: number;
  requestRate?: number;
  iterations?: number;
  iterationRate?: number;
  p95Ms?: number;
  p99Ms?: number;
  errorRate?: number;
  checksRate?: number;
  droppedIterations?: number;
  failedThresholds: string[];
}

export interface BreakingPoint {
  /** Arrival rate the profile asked for when k6 aborted (iterations/s). */
  targetRate: number;
  /** Iterations/s actually started in the last 10 s before the abort. */
  achievedRate: number;
  elapsedSeconds: number;
  scenario: string;
}

export type RunOutcome = 'passed' | 'failed' | 'breaking-point' | 'error';

export interface SuiteRunRecord {
  label: string;
  workload: string;
  profile: string;
  repeat: number;
  repeats: number;
  env: Record<string, string>;
  /** Relative to the suite folder. */
  runDir: string | null;
  exitCode: number | null;
  outcome: RunOutcome;
  durationSeconds: number;
  figures: KeyFigures | null;
  breakingPoint?: BreakingPoint | null;
  error?: string;
}

export interface SuiteSummary {
  schemaVersion: 1;
  plan: string;
  planFile: string;
  description?: string;
  source?: string;
  baseUrl: string;
  target: 'local-reference' | 'external';
  startedAt: string;
  endedAt: string | null;
  stoppedEarly: boolean;
  plannedRuns: number;
  runs: SuiteRunRecord[];
  exitCode: number | null;
}

/** k6 exits 99 when thresholds are crossed (including an abortOnFail abort). */
const K6_THRESHOLDS_FAILED = 99;

function writeAtomically(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

export function suiteTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

type SummaryMetric = Record<string, number | Record<string, boolean> | undefined>;

function num(metric: SummaryMetric | undefined, field: string): number | undefined {
  const v = metric?.[field];
  return typeof v === 'number' ? v : undefined;
}

/** Key figures from a k6 summary-export file; null when the run left none. */
export function keyFigures(summaryPath: string): KeyFigures | null {
  if (!existsSync(summaryPath)) return null;
  let metrics: Record<string, SummaryMetric>;
  try {
    metrics = (JSON.parse(readFileSync(summaryPath, 'utf8')) as { metrics?: Record<string, SummaryMetric> }).metrics ?? {};
  } catch {
    return null;
  }
  const failedThresholds: string[] = [];
  for (const [metric, data] of Object.entries(metrics)) {
    const t = data.thresholds;
    if (t && typeof t === 'object') {
      // In k6's summary export `true` means the threshold was crossed.
      for (const [expr, crossed] of Object.entries(t)) if (crossed === true) failedThresholds.push(`${metric}: ${expr}`);
    }
  }
  const failed = metrics['http_req_failed'];
  return {
    requests: num(metrics['http_reqs'], 'count'),
    requestRate: num(metrics['http_reqs'], 'rate'),
    iterations: num(metrics['iterations'], 'count'),
    iterationRate: num(metrics['iterations'], 'rate'),
    p95Ms: num(metrics['http_req_duration'], 'p(95)'),
    p99Ms: num(metrics['http_req_duration'], 'p(99)'),
    errorRate: num(failed, 'value') ?? num(failed, 'rate'),
    checksRate: num(metrics['checks'], 'value') ?? num(metrics['checks'], 'rate'),
    droppedIterations: num(metrics['dropped_iterations'], 'count'),
    failedThresholds,
  };
}

/**
 * The breaking point of an aborted breakpoint run: from k6's JSON output, the time from the first
 * iteration of a breakpoint scenario to the last metric point (the abort), mapped onto the
 * profile's schedule (lib/k6/profiles.ts scheduledTargetAt), plus the achieved rate just before.
 */
export async function findBreakingPoint(runDir: string, profile: string, env: Record<string, string>): Promise<BreakingPoint | null> {
  const file = join(runDir, 'k6.json.gz');
  if (!existsSync(file)) return null;
  const breakpointScenarios = new Set(describeProfile(profile, env).steps.filter((s) => s.breakpoint).map((s) => s.scenario));
  let profileStart: number | undefined;
  let last = -Infinity;
  const iterationTimes: number[] = [];
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.includes('"type":"Point"')) continue;
    let point: { type?: string; metric?: string; data?: { time?: string; tags?: Record<string, string> } };
    try {
      point = JSON.parse(line) as typeof point;
    } catch {
      continue;
    }
    if (point.type !== 'Point' || !point.data?.time) continue;
    const t = Date.parse(point.data.time) / 1000;
    const scenario = point.data.tags?.scenario;
    if (scenario && isProfileScenario(scenario, profile)) {
      profileStart = Math.min(profileStart ?? t, t);
      if (t > last) last = t;
      if (point.metric === 'iterations' && breakpointScenarios.has(scenario)) iterationTimes.push(t);
    }
  }
  if (profileStart === undefined || iterationTimes.length === 0) return null;
  const elapsedSeconds = last - profileStart;
  const scheduled = scheduledTargetAt(profile, env, elapsedSeconds);
  if (!scheduled || scheduled.rate === undefined || !breakpointScenarios.has(scheduled.scenario)) return null;
  const windowStart = last - 10;
  const recent = iterationTimes.filter((t) => t >= windowStart).length;
  return { targetRate: Math.round(scheduled.rate), achievedRate: Math.round((recent / Math.min(10, elapsedSeconds || 10)) * 10) / 10, elapsedSeconds: Math.round(elapsedSeconds), scenario: scheduled.scenario };
}

function isProfileScenario(scenario: string, profile: string): boolean {
  return scenario === profile || scenario.startsWith(`${profile}_`);
}

const fmt = (v: number | undefined, digits = 1, suffix = '') => (v === undefined ? '–' : `${v.toFixed(digits)}${suffix}`);
const pct = (v: number | undefined) => (v === undefined ? '–' : `${(v * 100).toFixed(2)} %`);

export function renderSuiteMarkdown(s: SuiteSummary): string {
  const passed = s.runs.filter((r) => r.outcome === 'passed' || r.outcome === 'breaking-point').length;
  const out = [
    `# Suite ${s.plan}`,
    '',
    s.description ? `${s.description}\n` : '',
    `- plan: \`${s.planFile}\`${s.source ? ` (${s.source})` : ''}`,
    `- target: ${s.baseUrl} (${s.target})`,
    `- started: ${s.startedAt}${s.endedAt ? `, ended: ${s.endedAt}` : ' (still running or interrupted)'}`,
    `- runs: ${s.runs.length} of ${s.plannedRuns} done, ${passed} passed${s.stoppedEarly ? ', stopped early (--stop-on-failure)' : ''}`,
    `- exit code: ${s.exitCode ?? '–'}`,
    '',
    '| # | run | workload | profile | repeat | outcome | exit | duration | requests | req/s | p95 ms | p99 ms | errors | checks | dropped |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  s.runs.forEach((r, i) => {
    const f = r.figures;
    const dir = r.runDir ? `[${r.label}](${r.runDir}/)` : r.label;
    out.push(
      `| ${i + 1} | ${dir} | ${r.workload} | ${r.profile} | ${r.repeat}/${r.repeats} | ${r.outcome} | ${r.exitCode ?? '–'} | ${r.durationSeconds.toFixed(1)} s | ${f?.requests ?? '–'} | ${fmt(f?.requestRate)} | ${fmt(f?.p95Ms)} | ${fmt(f?.p99Ms)} | ${pct(f?.errorRate)} | ${pct(f?.checksRate)} | ${f?.droppedIterations ?? '–'} |`,
    );
  });
  const notes: string[] = [];
  for (const r of s.runs) {
    if (r.breakingPoint) notes.push(`- ${r.label} (repeat ${r.repeat}): breaking point at ~${r.breakingPoint.targetRate} iterations/s scheduled (${r.breakingPoint.achievedRate}/s achieved in the last 10 s), ${r.breakingPoint.elapsedSeconds} s in`);
    else if (r.outcome === 'passed' && describeProfileHasBreakpoint(r.profile, r.env)) notes.push(`- ${r.label} (repeat ${r.repeat}): no breaking point within the ramp (the target held the whole schedule)`);
    if (r.figures?.failedThresholds.length) notes.push(`- ${r.label} (repeat ${r.repeat}) crossed: ${r.figures.failedThresholds.join('; ')}`);
    if (r.error) notes.push(`- ${r.label} (repeat ${r.repeat}) error: ${r.error}`);
  }
  if (notes.length) out.push('', '## Notes', '', ...notes);
  out.push('', 'Per-run detail: `npx ledger-perf report <run folder>`.', '');
  return out.join('\n');
}

function describeProfileHasBreakpoint(profile: string, env: Record<string, string>): boolean {
  try {
    return describeProfile(profile, env).steps.some((s) => s.breakpoint);
  } catch {
    return false;
  }
}

function formatSeconds(s: number): string {
  return s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 120 ? `${Math.round(s / 60)} min` : `${Math.round(s)} s`;
}

export async function runSuite(options: SuiteOptions, deps: SuiteDeps): Promise<SuiteSummary> {
  const now = options.now ?? (() => new Date());
  const plan = loadPlanFile(options.planFile);
  const runs = resolveRuns(plan);
  const plannedRuns = runs.reduce((n, r) => n + r.repeats, 0);
  const bound = runs.reduce((n, r) => n + r.repeats * r.maxWallSeconds, 0);
  const started = now();
  const suiteDir = resolve(options.outDir, `suite-${suiteTimestamp(started)}-${plan.name}`);
  mkdirSync(suiteDir, { recursive: true });
  options.log(`[suite] ${plan.name}: ${plannedRuns} run(s), load time at most ${formatSeconds(bound)} (plus set-up) → ${relative(process.cwd(), suiteDir) || suiteDir}`);

  let target: { url: string; stop(): Promise<unknown> } | undefined;
  let baseUrl = options.baseUrl;
  if (!baseUrl) {
    target = await deps.startLocalTarget();
    baseUrl = target.url;
    options.log(`[suite] started the local reference target at ${baseUrl}`);
  }
  const summary: SuiteSummary = {
    schemaVersion: 1,
    plan: plan.name,
    planFile: relative(process.cwd(), resolve(options.planFile)) || options.planFile,
    ...(plan.description ? { description: plan.description } : {}),
    ...(plan.source ? { source: plan.source } : {}),
    baseUrl,
    target: target ? 'local-reference' : 'external',
    startedAt: started.toISOString(),
    endedAt: null,
    stoppedEarly: false,
    plannedRuns,
    runs: [],
    exitCode: null,
  };
  const save = () => {
    writeAtomically(join(suiteDir, 'suite.json'), JSON.stringify(summary, null, 2) + '\n');
    writeAtomically(join(suiteDir, 'suite.md'), renderSuiteMarkdown(summary));
  };
  save();

  try {
    let n = 0;
    outer: for (const run of runs) {
      for (let repeat = 1; repeat <= run.repeats; repeat++) {
        n++;
        const record = await runOne(run, repeat, n, plannedRuns, suiteDir, baseUrl, options, deps);
        summary.runs.push(record);
        save();
        if (options.stopOnFailure && (record.outcome === 'failed' || record.outcome === 'error')) {
          summary.stoppedEarly = n < plannedRuns;
          if (summary.stoppedEarly) options.log(`[suite] stopping after a failure (--stop-on-failure); ${plannedRuns - n} run(s) not started`);
          break outer;
        }
      }
    }
  } finally {
    if (target) await target.stop();
  }
  summary.endedAt = now().toISOString();
  const bad = summary.runs.filter((r) => r.outcome === 'failed' || r.outcome === 'error').length;
  summary.exitCode = bad || summary.stoppedEarly ? 1 : 0;
  save();
  options.log(`[suite] done: ${summary.runs.length - bad} of ${summary.runs.length} run(s) passed; summary: ${join(relative(process.cwd(), suiteDir) || suiteDir, 'suite.md')}`);
  return summary;
}

async function runOne(
  run: ResolvedRun,
  repeat: number,
  n: number,
  total: number,
  suiteDir: string,
  baseUrl: string,
  options: SuiteOptions,
  deps: SuiteDeps,
): Promise<SuiteRunRecord> {
  const width = String(total).length;
  const runName = `${String(n).padStart(width, '0')}-${run.label}${run.repeats > 1 ? `-r${repeat}` : ''}`;
  const what = `${run.workload} × ${run.profile}${run.repeats > 1 ? ` (repeat ${repeat}/${run.repeats})` : ''}`;
  options.log(`[suite] [${n}/${total}] ${what}: at most ${formatSeconds(run.maxWallSeconds)} of load…`);
  const t0 = performance.now();
  const base = { label: run.label, workload: run.workload, profile: run.profile, repeat, repeats: run.repeats, env: run.env };
  try {
    const result = await deps.runWorkload({ workload: run.workload, profile: run.profile, baseUrl, outDir: suiteDir, env: run.env, quiet: options.quiet, runName, progress: { index: n, total } });
    const durationSeconds = (performance.now() - t0) / 1000;
    const figures = keyFigures(join(result.runDir, 'summary.json'));
    const hasBreakpoint = describeProfileHasBreakpoint(run.profile, run.env);
    let outcome: RunOutcome = result.exitCode === 0 ? 'passed' : 'failed';
    let breakingPoint: BreakingPoint | null | undefined;
    if (hasBreakpoint && result.exitCode === K6_THRESHOLDS_FAILED) {
      breakingPoint = await findBreakingPoint(result.runDir, run.profile, run.env);
      // Only an abort inside the ramp is the expected end of a breakpoint run.
      if (breakingPoint) outcome = 'breaking-point';
    }
    const rec: SuiteRunRecord = { ...base, runDir: relative(suiteDir, result.runDir), exitCode: result.exitCode, outcome, durationSeconds, figures, ...(breakingPoint !== undefined ? { breakingPoint } : {}) };
    const extra = breakingPoint ? `, breaking point ~${breakingPoint.targetRate}/s` : figures?.failedThresholds.length ? `, crossed ${figures.failedThresholds.join('; ')}` : '';
    options.log(`[suite] [${n}/${total}] ${what}: ${outcome} (exit ${result.exitCode}) in ${durationSeconds.toFixed(1)} s${extra}`);
    return rec;
  } catch (err) {
    const durationSeconds = (performance.now() - t0) / 1000;
    const message = (err as Error).message;
    options.log(`[suite] [${n}/${total}] ${what}: error: ${message}`);
    return { ...base, runDir: null, exitCode: null, outcome: 'error', durationSeconds, figures: null, error: message };
  }
}

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('suite')
    .description('Run a test plan (plans/*.json) and write one suite report folder')
    .argument('<plan>', 'plan file, or the name of a shipped plan (e.g. quick, seed004-tps-progression)')
    .option('--stop-on-failure', 'stop after the first run that fails', false)
    .option('--base-url <url>', 'target under test (default: $BASE_URL, else start the local reference target)')
    .option('--out-dir <dir>', 'where the suite folder goes', 'reports')
    .option('--dry-run', 'validate the plan and print what would run, without running it', false)
    .option('--verbose', "show k6's output (default: to <run>/k6.log)", false)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  const opts = program.opts<{ stopOnFailure: boolean; baseUrl?: string; outDir: string; dryRun: boolean; verbose: boolean }>();
  const planFile = resolvePlanPath(program.args[0]!);
  const baseUrl = opts.baseUrl ?? (process.env.BASE_URL || undefined);
  if (baseUrl !== undefined && !/^https?:\/\/[^/\s]+/.test(baseUrl)) {
    console.error(`--base-url/BASE_URL ${JSON.stringify(baseUrl)} is not an http(s) URL — fix: e.g. --base-url http://127.0.0.1:8080`);
    return 2;
  }
  try {
    if (opts.dryRun) {
      const plan = loadPlanFile(planFile);
      for (const r of resolveRuns(plan)) {
        const env = Object.entries(r.env).map(([k, v]) => `${k}=${v}`).join(' ');
        console.log(`${r.label}: ${r.workload} × ${r.profile} × ${r.repeats}, at most ${formatSeconds(r.maxWallSeconds)} each${env ? `  [${env}]` : ''}`);
      }
      return 0;
    }
    const [{ runWorkload }, { startLocalTarget }] = await Promise.all([import('./run-workload.ts'), import('./reference-server.ts')]);
    const summary = await runSuite(
      { planFile, baseUrl, outDir: opts.outDir, stopOnFailure: opts.stopOnFailure, quiet: !opts.verbose, log: (l) => console.error(l) },
      { runWorkload, startLocalTarget },
    );
    return summary.exitCode ?? 1;
  } catch (err) {
    if (err instanceof ConfigFileError) {
      console.error(err.message);
      return 2;
    }
    console.error(`[suite] error: ${(err as Error).message}`);
    return 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

