// Runs one workload as N k6 processes on this machine, each with its own execution segment
// (the split k6-operator gives its runners), then merges their outputs into one run folder with
// the CLI's merge, writes one report and judges the SLOs on the merged data: global thresholds,
// which no single segment's k6 can evaluate. Exits with the code one unsegmented run would have:
// 0, 99 when an SLO fails on the whole, or a segment's own error code when a segment broke.
//   npm run segments -- <workload> --segments 3 [--profile P] [-e K=V ...] [--base-url URL] [--out-dir DIR] [--thresholds FILE] [--netns]
// --netns puts each segment in its own network namespace with its own address (segments-netns.ts).
//
// Layout: <out-dir>/<timestamp>-<workload>-x<N>/
//   segments/segment-<i>/   each segment's own run folder (k6.json.gz, summary.json, run.json, k6.log)
//   run-summary.json, run.json, thresholds.json   the merged run (what `ledger-perf merge` writes)
//   report.*                the report of the merged run

import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { CliError } from '../../cli/errors.ts';
import type { GeneratorSamples } from '../../cli/figures/generator.ts';
import { writeFilesAtomic } from '../../cli/io/atomic-write.ts';
import { executionSegments } from '../../cli/k8s/execution-segments.ts';
import type { RunSummary } from '../../cli/model/run-summary.ts';
import { summaryToJson } from '../../cli/model/serialize.ts';
import { buildReport } from '../../cli/report/build-report.ts';
import type { Report } from '../../cli/report/report-types.ts';
import { withSloFile, writeReport } from '../../cli/report/write-report.ts';
import { loadRun } from '../../cli/run/load-run.ts';
import { mergeRuns } from '../../cli/run/merge.ts';
import { generatorCsv, mergeConcurrentGeneratorSamples } from '../../cli/run/merge-generator.ts';
import { RUN_FILES } from '../../cli/run-folder/names.ts';
import { declaredSlos } from '../../cli/slo/judge.ts';
import { DEFAULT_PROFILE } from '../../lib/shared/profiles/catalog.ts';
import { describeProfile, profileNames } from '../../lib/shared/profiles.ts';
import { type RunningReferenceServer, startLocalReferenceServer } from './reference-server.ts';
import { type RunResult, runWorkload, timestampForPath } from './run-workload.ts';
import { makeSegmentHosts, netnsUnavailable, type SegmentHost } from './segments-netns.ts';

/** k6's exit code for crossed thresholds. */
export const THRESHOLDS_FAILED = 99;
const MAX_SEGMENTS = 16;

export interface SegmentedRunOptions {
  workload: string;
  segments: number;
  profile: string;
  baseUrl: string;
  outDir: string;
  env?: Record<string, string>;
  /** SLO file for the merged verdict (default: the one the workload was built with). */
  thresholds?: string;
  /** Bundled k6 script instead of dist/<workload>.js (test fixtures). */
  script?: string;
  /** Each segment in its own network namespace, with its own address (root only; local reference server only). */
  netns?: boolean;
  log?: (line: string) => void;
}

export interface SegmentedRunResult {
  exitCode: number;
  runDir: string;
  segments: Array<RunResult & { segment: string; host?: SegmentHost }>;
  merged: RunSummary;
  report: Report;
  /** Why the exit code is what it is, for people. */
  reason: string;
}

/**
 * The exit code of the whole: a segment that broke (any code but 0 and 99) decides it, as that
 * error would have ended one run; otherwise the merged verdict does. Per-segment 99s do not: a
 * segment's k6 judges only its share. No verdict at all fails closed.
 */
export function segmentedExitCode(segmentCodes: readonly number[], verdict: Report['sloVerdict'], sloCount: number): { code: number; reason: string } {
  const broken = segmentCodes.find((c) => c !== 0 && c !== THRESHOLDS_FAILED);
  if (broken !== undefined) return { code: broken, reason: `segment ${segmentCodes.indexOf(broken) + 1} ended with k6 exit code ${broken}` };
  if (sloCount === 0) return { code: THRESHOLDS_FAILED, reason: 'no SLOs to judge the merged run by (fails closed)' };
  if (verdict === 'fail') return { code: THRESHOLDS_FAILED, reason: 'an SLO fails on the merged data' };
  if (verdict === 'inconclusive') return { code: THRESHOLDS_FAILED, reason: 'inconclusive on the merged data: the load generator was saturated (fails closed)' };
  if (verdict === 'unknown') return { code: THRESHOLDS_FAILED, reason: 'no SLO could be evaluated on the merged data (fails closed)' };
  return { code: 0, reason: `SLO verdict on the merged data: ${verdict}` };
}

export async function runSegmented(options: SegmentedRunOptions): Promise<SegmentedRunResult> {
  const log = options.log ?? (() => {});
  const split = executionSegments(options.segments);
  const startedAt = new Date();
  const stamp = timestampForPath(startedAt);
  const runDir = resolve(options.outDir, `${stamp}-${options.workload}-x${options.segments}`);
  const segmentsDir = join(runDir, 'segments');
  mkdirSync(segmentsDir, { recursive: true });
  // One testid for every segment: they are one test.
  const testId = `${options.workload}-${stamp}`;

  // --netns: every segment its own host (namespace, address), made before anything runs.
  const hosts = options.netns ? await makeSegmentHosts(options.segments, options.baseUrl) : undefined;
  // All segments at once, as separate machines would run them.
  const segments = await Promise.all(
    split.map(async ({ segment, sequence }, i) => {
      const host = hosts?.hosts[i];
      const r = await runWorkload({
        workload: options.workload,
        profile: options.profile,
        baseUrl: options.baseUrl,
        outDir: segmentsDir,
        runName: `segment-${i + 1}`,
        env: options.env,
        quiet: true,
        testId,
        script: options.script,
        k6Args: ['--execution-segment', segment, '--execution-segment-sequence', sequence],
        ...(host ? { wrap: host.wrap } : {}),
      });
      log(
        `segment ${i + 1}/${options.segments} (${segment}${host ? ` from ${host.address} in ${host.namespace}` : ''}): k6 exit code ${r.exitCode}${r.exitCode === THRESHOLDS_FAILED ? ' (its own share crossed a threshold; the merged verdict decides)' : ''}`,
      );
      return { ...r, segment, ...(host ? { host } : {}) };
    }),
  ).finally(() => hosts?.close());

  const runs = [];
  for (const s of segments) runs.push(await loadRun(s.runDir, { warn: (m) => log(`warning: segment ${relative(runDir, s.runDir)}: ${m}`) }));
  const { run: merged, warnings } = mergeRuns(runs);
  for (const w of warnings) log(`warning: ${w}`);
  // All segments ran at once on this machine: the generator is all N k6 processes together, so
  // their CPU adds up against this machine's cores (the saturation rule a single run gets).
  // A segment without samples leaves k6's CPU unmeasured (the generator row says so), never a guess.
  const sampled = runs.map((r) => r.generator);
  if (sampled.every((g): g is GeneratorSamples => g !== undefined)) merged.generator = mergeConcurrentGeneratorSamples(sampled);
  else log(`warning: ${sampled.filter((g) => g === undefined).length} segment(s) recorded no ${RUN_FILES.generator}: k6's CPU on the merged run is not judged`);

  // The SLO file the segments ran with travels with the merged run, as with a single run.
  const segmentThresholds = join(segments[0]!.runDir, 'thresholds.json');
  if (existsSync(segmentThresholds)) copyFileSync(segmentThresholds, join(runDir, 'thresholds.json'));
  const report = buildReport(withSloFile(merged, options.thresholds));
  const { code, reason } = segmentedExitCode(
    segments.map((s) => s.exitCode),
    report.sloVerdict,
    declaredSlos(report.slos).length,
  );

  const meta = {
    ...merged.meta,
    exitCode: code,
    segments: segments.length,
    executionSegments: segments.map((s) => ({ segment: s.segment, exitCode: s.exitCode, runDir: relative(runDir, s.runDir), ...(s.host ? { address: s.host.address } : {}) })),
  };
  writeFilesAtomic([
    { path: join(runDir, RUN_FILES.runSummary), content: `${JSON.stringify(summaryToJson(merged, { timeseries: true }))}\n` },
    { path: join(runDir, 'run.json'), content: `${JSON.stringify(meta, null, 2)}\n` },
    ...(merged.generator ? [{ path: join(runDir, RUN_FILES.generator), content: generatorCsv(merged.generator) }] : []),
  ]);
  writeReport(report, runDir);
  return { exitCode: code, runDir, segments, merged, report, reason };
}

function parseEnvPairs(pairs: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(pair);
    if (!m) throw new CliError(`-e ${JSON.stringify(pair)} is not KEY=VALUE`);
    if (m[1] === 'PROFILE' || m[1] === 'BASE_URL' || m[1] === 'TESTID') throw new CliError(`-e ${m[1]} is set by the runner: use --profile / --base-url (the testid is shared by all segments)`);
    env[m[1]!] = m[2]!;
  }
  return env;
}

async function main(argv: string[]): Promise<number> {
  const program = new Command('segments')
    .description('run a workload as N execution segments on this machine, merge them, judge the SLOs on the merged data')
    .argument('<workload>', 'workload (scenarios/<name>.ts, bundled in dist/)')
    .requiredOption('--segments <n>', `number of k6 processes (2 to ${MAX_SEGMENTS})`)
    .option('--profile <profile>', 'load profile', DEFAULT_PROFILE)
    .option('-e, --env <KEY=VALUE>', 'script variable (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--base-url <url>', 'target (default: a reference server started on loopback for this run)')
    .option('--out-dir <dir>', 'folder for the run folder', 'reports')
    .option('--thresholds <file>', "SLO file for the merged verdict (default: the workload's own)")
    .option('--netns', 'each segment in its own network namespace with its own address (root; against the local reference server)')
    .exitOverride();
  let opts: { segments: string; profile: string; env: string[]; baseUrl?: string; outDir: string; thresholds?: string; netns?: boolean };
  let workload: string;
  try {
    program.parse(argv, { from: 'user' });
    opts = program.opts();
    workload = program.args[0]!;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  const n = Number(opts.segments);
  if (!Number.isInteger(n) || n < 2 || n > MAX_SEGMENTS)
    throw new CliError(`--segments ${JSON.stringify(opts.segments)}: expected a whole number from 2 to ${MAX_SEGMENTS} (2 cores are shared by all of them)`);
  if (!profileNames.includes(opts.profile)) throw new CliError(`unknown profile "${opts.profile}"; use one of ${profileNames.join(', ')}`);
  const env = parseEnvPairs(opts.env);
  describeProfile(opts.profile, env);
  if (opts.thresholds && !existsSync(opts.thresholds)) throw new CliError(`--thresholds ${opts.thresholds}: no such file`);
  if (opts.netns) {
    const why = netnsUnavailable();
    if (why) throw new CliError(`--netns: ${why}; run without --netns (all segments then share this host's address)`);
    if (opts.baseUrl ?? process.env.BASE_URL) throw new CliError('--netns runs segments against the local reference server it starts; drop --base-url (and BASE_URL) or --netns');
  }

  let target: RunningReferenceServer | undefined;
  let baseUrl = opts.baseUrl ?? process.env.BASE_URL;
  if (!baseUrl) {
    target = await startLocalReferenceServer();
    baseUrl = target.url;
    process.stdout.write(`▶ reference server listening on ${baseUrl}\n`);
  }
  try {
    process.stdout.write(`▶ ${n} segments of dist/${workload}.js  profile=${opts.profile}\n`);
    const r = await runSegmented({
      workload,
      segments: n,
      profile: opts.profile,
      baseUrl,
      outDir: resolve(opts.outDir),
      env,
      thresholds: opts.thresholds,
      netns: opts.netns === true,
      log: (l) => process.stdout.write(`  ${l}\n`),
    });
    const reqs = r.merged.series.get('http_reqs')?.moments.sum ?? 0;
    const iters = r.merged.series.get('iterations')?.moments.sum ?? 0;
    process.stdout.write(`▶ merged ${n} segments: ${iters} iterations, ${reqs} requests -> ${relative(process.cwd(), r.runDir) || '.'}/\n`);
    for (const s of r.report.slos) process.stdout.write(`    ${s.verdict.padEnd(7)} ${s.metric} ${s.expression}${s.observed !== null ? ` (observed ${s.observed})` : ''}\n`);
    process.stdout.write(`▶ ${r.reason}; exit code ${r.exitCode}\n`);
    return r.exitCode;
  } finally {
    await target?.stop();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`segments: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(2);
    },
  );
}
