// Runs a resolved plan: every run × repeat in order, against BASE_URL or a reference server
// started for the suite, into <outDir>/suite-<timestamp>-<plan>/ with one folder per run. Each
// run is then reported by the CLI (report files in its folder); the suite keeps that report's
// figures and verdict. suite.json and suite.md are rewritten after every run, so an interrupted
// suite still leaves a truthful record.
import { mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { loadPlanFile, type ResolvedRun, resolveRuns } from '../../cli/config/plan.ts';
import { writeFileAtomic } from '../../cli/io/atomic-write.ts';
import { reportRun } from '../../cli/report/write-report.ts';
import { describeProfile } from '../../lib/shared/profiles.ts';
import type { RunResult, RunWorkloadOptions } from './run-workload.ts';
import { figuresOf, isBad, outcomeOf, runFolderName, type SuiteRunRecord, type SuiteSummary, suiteTimestamp } from './suite-model.ts';
import { formatSeconds, renderSuiteMarkdown } from './suite-render.ts';

export type RunWorkloadFn = (opts: RunWorkloadOptions) => Promise<RunResult>;

/** Starts the local reference server; its pid (when known) is sampled into each run's resources.csv. */
export type StartTargetFn = () => Promise<{ url: string; stop(): Promise<unknown>; process?: { pid?: number } }>;

export interface SuiteDeps {
  runWorkload: RunWorkloadFn;
  startLocalReferenceServer: StartTargetFn;
}

export interface SuiteOptions {
  planFile: string;
  /** Target under test; undefined starts the local reference server for the suite. */
  baseUrl?: string;
  outDir: string;
  stopOnFailure: boolean;
  /** Send each run's k6 output to <runDir>/k6.log instead of the terminal. */
  quiet: boolean;
  log: (line: string) => void;
  now?: () => Date;
}

/** Does the profile ramp to failure (a step marked breakpoint)? */
export function hasBreakpoint(profile: string, env: Record<string, string>): boolean {
  try {
    return describeProfile(profile, env).steps.some((s) => s.breakpoint);
  } catch {
    return false;
  }
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

  let target: Awaited<ReturnType<StartTargetFn>> | undefined;
  let baseUrl = options.baseUrl;
  if (!baseUrl) {
    target = await deps.startLocalReferenceServer();
    baseUrl = target.url;
    options.log(`[suite] started the local reference server at ${baseUrl}`);
  }
  const summary: SuiteSummary = {
    schemaVersion: 2,
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
    writeFileAtomic(join(suiteDir, 'suite.json'), `${JSON.stringify(summary, null, 2)}\n`);
    writeFileAtomic(join(suiteDir, 'suite.md'), renderSuiteMarkdown(summary, hasBreakpoint));
  };
  save();

  try {
    let n = 0;
    outer: for (const run of runs) {
      for (let repeat = 1; repeat <= run.repeats; repeat++) {
        n++;
        // The local server's own counters (/metrics), so each run's report puts server-side beside client-side counts.
        const record = await runOne(run, repeat, n, plannedRuns, suiteDir, baseUrl, options, deps, target?.process?.pid, target ? `${baseUrl}/metrics` : undefined);
        summary.runs.push(record);
        save();
        if (options.stopOnFailure && isBad(record)) {
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
  const bad = summary.runs.filter(isBad).length;
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
  monitorPid?: number,
  serverMetricsUrl?: string,
): Promise<SuiteRunRecord> {
  const runName = runFolderName(n, total, run.label, repeat, run.repeats);
  const what = `${run.workload} × ${run.profile}${run.repeats > 1 ? ` (repeat ${repeat}/${run.repeats})` : ''}`;
  options.log(`[suite] [${n}/${total}] ${what}: at most ${formatSeconds(run.maxWallSeconds)} of load…`);
  const t0 = performance.now();
  const base = { label: run.label, workload: run.workload, profile: run.profile, repeat, repeats: run.repeats, env: run.env };
  let result: RunResult;
  try {
    result = await deps.runWorkload({
      workload: run.workload,
      profile: run.profile,
      baseUrl,
      outDir: suiteDir,
      env: run.env,
      quiet: options.quiet,
      runName,
      progress: { index: n, total },
      ...(monitorPid ? { monitorPid } : {}),
      ...(serverMetricsUrl ? { serverMetricsUrl } : {}),
    });
  } catch (err) {
    const message = (err as Error).message;
    options.log(`[suite] [${n}/${total}] ${what}: error: ${message}`);
    return { ...base, runDir: null, exitCode: null, outcome: 'error', sloVerdict: null, durationSeconds: (performance.now() - t0) / 1000, figures: null, error: message };
  }
  const durationSeconds = (performance.now() - t0) / 1000;
  const runDir = relative(suiteDir, result.runDir);
  try {
    const { report } = await reportRun(result.runDir, { warn: (m) => options.log(`[suite] [${n}/${total}] warning: ${m}`) });
    const outcome = outcomeOf(result.exitCode, report, hasBreakpoint(run.profile, run.env));
    const figures = figuresOf(report);
    const extra =
      outcome === 'breaking-point' && figures.breakingPoint
        ? `, breaking point ${figures.breakingPoint.arrivalRatePerS.toFixed(1)}/s`
        : figures.inconclusive.length
          ? `, ${figures.inconclusive.join('; ')}`
          : figures.failedSlos.length
            ? `, failed ${figures.failedSlos.join('; ')}`
            : '';
    options.log(`[suite] [${n}/${total}] ${what}: ${outcome} (exit ${result.exitCode}, SLO verdict ${report.sloVerdict}) in ${durationSeconds.toFixed(1)} s${extra}`);
    return { ...base, runDir, exitCode: result.exitCode, outcome, sloVerdict: report.sloVerdict, durationSeconds, figures };
  } catch (err) {
    // No report (k6 left no output, or it is unreadable): the run cannot have passed.
    const message = `report: ${(err as Error).message}`;
    options.log(`[suite] [${n}/${total}] ${what}: error (exit ${result.exitCode}): ${message}`);
    return { ...base, runDir, exitCode: result.exitCode, outcome: 'error', sloVerdict: null, durationSeconds, figures: null, error: message };
  }
}
