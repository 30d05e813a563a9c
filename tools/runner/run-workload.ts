// Runs one workload with the pinned k6 and leaves a self-describing run folder (the contract,
// file names and run.json type, is cli/run-folder/): k6.json.gz, summary.json, dashboard.html,
// thresholds.json (the SLO set the bundle enforces, as dist/manifest.json recorded it at build
// time), run.json (what ran, on which machine), generator.csv (k6's own CPU and memory: is the
// generator the bottleneck?) and resources.csv (the local server's CPU, memory and open files,
// when monitorPid is given, or of the container MONITOR_CONTAINER names). LIVE_DASHBOARD=1 also
// serves the web dashboard during the run.

import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../../cli/io/atomic-write.ts';
import { effectiveSloSet, readBuildManifest, scriptHash, sideModulesLoaded } from '../../cli/run-folder/build-manifest.ts';
import { machineFingerprint } from '../../cli/run-folder/machine.ts';
import { RUN_FILES } from '../../cli/run-folder/names.ts';
import { type RunnerRunJson, runJsonText } from '../../cli/run-folder/run-json.ts';
import { isSecretName, withoutSecrets } from '../../lib/shared/secret-names.ts';
import { ensureK6, pinnedK6Version, projectRoot } from '../install/k6.mjs';
import { type ProgressContext, prepareProgress } from './progress.ts';
import { prometheusOutputFromEnv } from './prometheus-output.ts';
import { canMonitor, startResourceMonitor } from './resource-monitor.ts';
import { monitorContainerFromEnv, startContainerMonitor } from './resource-monitor-docker.ts';
import { basePeriod, liveDashboardPort, liveDashboardUrl, webDashboardEnv } from './web-dashboard.ts';

export interface RunWorkloadOptions {
  workload: string;
  profile: string;
  baseUrl: string;
  /** The folder that receives the run folder (e.g. reports/ or a suite folder). */
  outDir: string;
  /** Extra -e variables for the script (never put secrets here: they are recorded). */
  env?: Record<string, string>;
  /** Send k6's console output to <runDir>/k6.log instead of this terminal. */
  quiet?: boolean;
  /** Extra k6 arguments, e.g. ['--execution-segment', '0:1/2']. */
  k6Args?: string[];
  /** Run folder name; default <timestamp>-<workload>. */
  runName?: string;
  /** A bundled k6 script to run instead of dist/<workload>.js (test fixtures). */
  script?: string;
  /** testid tag; default <workload>-<timestamp>. Segments of one test share theirs. */
  testId?: string;
  /** Live progress (run i of N, profile time, req/s, p95, errors) while k6's output goes to k6.log (quiet). */
  progress?: ProgressContext;
  /** Another k6 build than the pinned one (the compatibility test runs the older line). */
  k6?: { path: string; version: string };
  /** pid of a local server to sample into <runDir>/resources.csv during the run. */
  monitorPid?: number;
  /** The local server's /metrics URL: scraped before and after the run into the run folder (server-side counts). */
  serverMetricsUrl?: string;
  /** Command prefix k6 runs under, which must exec k6 in its own process (a segment in its own network namespace: `ip netns exec <ns>`). */
  wrap?: string[];
}

/** One scrape of a server's /metrics into `file`; a failed scrape is a warning, never a failed run. */
async function scrapeServerMetrics(url: string, file: string): Promise<void> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    writeFileAtomic(file, await res.text());
  } catch (err) {
    process.stderr.write(`▶ could not read the server's counters at ${url} (${(err as Error).message}); the report shows client-side counts only\n`);
  }
}

export interface RunResult {
  exitCode: number;
  runDir: string;
  /** The pid k6 ran as (sampled into generator.csv). */
  k6Pid?: number;
}

/** k6's own samples are finer than the server's: a saturated stretch of a short run must show. */
const GENERATOR_SAMPLE_MS = 1000;

/**
 * The environment k6 runs with: this process's, minus every secret-named variable the scripts do
 * not read (the reference server's JWT secret, cloud keys of other tools, …): k6 hands its whole
 * environment to the script as __ENV. ADMIN_PASSWORD (the one secret the scripts read) and k6's
 * own K6_* settings stay.
 */
export function k6ProcessEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (isSecretName(name) && name !== 'ADMIN_PASSWORD' && !name.startsWith('K6_')) continue;
    kept[name] = value;
  }
  return kept;
}

export function timestampForPath(date = new Date()): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** Creates `path`, or `path-2`, `path-3`, … when it exists: a run never mixes with another's files. */
function freshDirectory(path: string): string {
  mkdirSync(dirname(path), { recursive: true });
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? path : `${path}-${n}`;
    try {
      mkdirSync(candidate);
      return candidate;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

export async function runWorkload(options: RunWorkloadOptions): Promise<RunResult> {
  const script = options.script ?? join(projectRoot, 'dist', `${options.workload}.js`);
  if (!existsSync(script)) {
    throw new Error(`no bundle for workload "${options.workload}" at ${script}; build with \`npm run build\` (workloads are scenarios/*.ts)`);
  }
  const manifest = readBuildManifest(join(projectRoot, 'dist'));
  // What k6's __ENV will hold: the process environment, then the -e values.
  const k6Env = { ...k6ProcessEnv(process.env), PROFILE: options.profile, ...options.env };
  const sideModules = options.script ? [] : sideModulesLoaded(manifest, options.workload, k6Env);
  const missingSide = sideModules.find((m) => !existsSync(join(dirname(script), m)));
  if (missingSide) throw new Error(`${options.workload} with these settings loads ${missingSide} beside ${script}, and it is missing; build with \`npm run build\``);
  const k6 = options.k6?.path ?? ensureK6();
  const livePort = liveDashboardPort(process.env); // before the run folder: a bad value leaves nothing behind
  const container = monitorContainerFromEnv(process.env);
  const prometheus = prometheusOutputFromEnv(process.env, options.k6?.version ?? pinnedK6Version());
  const startedAt = new Date();
  const runName = options.runName ?? `${timestampForPath(startedAt)}-${options.workload}`;
  const runDir = freshDirectory(resolve(options.outDir, runName));
  const testId = options.testId ?? `${options.workload}-${timestampForPath(startedAt)}`;

  const env = { PROFILE: options.profile, BASE_URL: options.baseUrl, TESTID: testId, ...options.env };
  const progress = options.progress && options.quiet ? await prepareProgress(options.progress, options.workload, options.profile, env) : undefined;
  const args = [
    'run',
    ...(progress?.k6Args ?? []),
    '--out',
    `json=${join(runDir, RUN_FILES.k6Output)}`,
    '--summary-export',
    join(runDir, RUN_FILES.summary),
    // Secret-named values go through the process environment, never the command line (ps shows it).
    ...Object.entries(withoutSecrets(env)).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    ...(prometheus?.args ?? []),
    ...(options.k6Args ?? []),
    script,
  ];
  if (livePort !== undefined) process.stdout.write(`▶ live k6 dashboard: ${liveDashboardUrl(livePort)} (while the run lasts)\n`);
  if (options.serverMetricsUrl) await scrapeServerMetrics(options.serverMetricsUrl, join(runDir, RUN_FILES.serverMetricsStart));
  // The server's resources: a container named by MONITOR_CONTAINER (docker stats), else the local server's pid.
  const warnLine = (m: string) => process.stderr.write(`${m}\n`);
  const resourcesFile = join(runDir, RUN_FILES.resources);
  const monitor = container
    ? startContainerMonitor({ container, file: resourcesFile, warn: warnLine })
    : options.monitorPid
      ? startResourceMonitor({ pid: options.monitorPid, file: resourcesFile, warn: warnLine })
      : undefined;
  const child = spawn(options.wrap?.length ? options.wrap[0]! : k6, options.wrap?.length ? [...options.wrap.slice(1), k6, ...args] : args, {
    cwd: projectRoot,
    stdio: ['ignore', options.quiet ? 'pipe' : 'inherit', options.quiet ? 'pipe' : 'inherit'],
    env: {
      ...k6ProcessEnv(process.env),
      ...Object.fromEntries(Object.entries(env).filter(([name]) => isSecretName(name))),
      ...prometheus?.env,
      ...webDashboardEnv(join(runDir, RUN_FILES.dashboard), livePort, basePeriod(options.profile, env)),
      K6_NO_USAGE_REPORT: 'true',
    },
  });
  // k6's own CPU and memory (generator.csv), from the moment it runs; k6 ends before the monitor
  // stops, which ends the sampling quietly. Not on a machine without /proc: the figure then says
  // k6's CPU was not measured.
  const warn = (m: string) => process.stderr.write(`${m}\n`);
  const generator =
    child.pid !== undefined && canMonitor(child.pid)
      ? startResourceMonitor({ pid: child.pid, file: join(runDir, RUN_FILES.generator), intervalMs: GENERATOR_SAMPLE_MS, endsOnItsOwn: true, warn })
      : undefined;
  progress?.start();
  // 'close' (not 'exit') fires once both output pipes are drained; the log is ended only then
  // (neither pipe may end it alone), so k6.log is complete when this function returns.
  let logWritten: Promise<void> = Promise.resolve();
  if (options.quiet) {
    const log = createWriteStream(join(runDir, RUN_FILES.log));
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
    logWritten = new Promise<void>((done) => child.once('close', () => log.end(done)));
  }
  const exitCode = await new Promise<number>((done) => child.once('close', (code, signal) => done(code ?? (signal ? 128 : 1))));
  progress?.stop();
  await logWritten;
  await monitor?.stop();
  await generator?.stop();
  if (options.serverMetricsUrl) await scrapeServerMetrics(options.serverMetricsUrl, join(runDir, RUN_FILES.serverMetrics));
  if (process.env.K6_WEB_DASHBOARD !== 'false' && !existsSync(join(runDir, RUN_FILES.dashboard))) {
    process.stderr.write(`▶ k6 wrote no dashboard.html: the run ended within two dashboard periods (docs/watching.md)\n`);
  }

  const slo = manifest ? effectiveSloSet(manifest, options.workload, env) : undefined;
  if (slo) writeFileAtomic(join(runDir, RUN_FILES.thresholds), `${JSON.stringify(slo.set, null, 2)}\n`);
  const k6Version = options.k6?.version ?? pinnedK6Version();
  const metadata: RunnerRunJson = {
    schemaVersion: 1,
    workload: options.workload,
    profile: options.profile,
    script: options.script ?? `dist/${options.workload}.js`,
    // A script outside dist/ (options.script) is hashed alone: the manifest describes dist/ only.
    scriptHash: scriptHash(script, sideModules),
    k6Version,
    // The TESTID the script saw (callers may set their own: two runs in one second would share the default).
    testId: env.TESTID,
    baseUrl: options.baseUrl,
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    exitCode,
    thresholdsFile: slo?.file ?? null,
    sloSet: slo?.name ?? null,
    env: withoutSecrets(env),
    k6Args: options.k6Args ?? [],
    machine: machineFingerprint(k6Version),
  };
  writeFileAtomic(join(runDir, RUN_FILES.run), runJsonText(metadata));
  return { exitCode, runDir, k6Pid: child.pid };
}
