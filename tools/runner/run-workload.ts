// Runs one workload with the pinned k6 and leaves a self-describing run folder:
//   k6.json.gz     every metric point (k6 --out json)
//   summary.json   k6's end-of-test summary (--summary-export)
//   dashboard.html the web dashboard's export (LIVE_DASHBOARD=1 also serves it during the run)
//   thresholds.json the SLO file the workload was built with
//   run.json       what ran: workload, profile, script hash, k6 version, times, exit code
//   resources.csv  the local server's CPU, memory and open files during the run (monitorPid)
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ensureK6, pinnedK6Version, projectRoot } from '../install/k6.mjs';
import { prometheusOutputFromEnv } from './prometheus-output.ts';
import { startResourceMonitor } from './resource-monitor.ts';
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
  /** pid of a local server to sample into <runDir>/resources.csv during the run. */
  monitorPid?: number;
}

export interface RunResult {
  exitCode: number;
  runDir: string;
}

export interface RunMetadata {
  schemaVersion: 1;
  workload: string;
  profile: string;
  script: string;
  scriptHash: string;
  k6Version: string;
  testId: string;
  baseUrl: string;
  startedAt: string;
  endedAt: string;
  exitCode: number;
  thresholdsFile: string | null;
  env: Record<string, string>;
  k6Args: string[];
}

const SECRET_NAME = /PASSWORD|SECRET|TOKEN|KEY|CREDENTIAL/i;

export function timestampForPath(date = new Date()): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

function writeJsonAtomically(path: string, value: unknown): void {
  writeFileSync(`${path}.tmp`, JSON.stringify(value, null, 2) + '\n');
  renameSync(`${path}.tmp`, path);
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

/** The SLO file a run is judged by: THRESHOLDS=<name> if set, else the workload's own file. */
function thresholdsOf(workload: string, env: Record<string, string>): string | null {
  if (env.THRESHOLDS) return `thresholds/${env.THRESHOLDS}.json`;
  const manifestPath = join(projectRoot, 'dist', 'manifest.json');
  if (!existsSync(manifestPath)) return null;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { workloads?: Record<string, { thresholds?: string | null }> };
  return manifest.workloads?.[workload]?.thresholds ?? null;
}

export async function runWorkload(options: RunWorkloadOptions): Promise<RunResult> {
  const script = join(projectRoot, 'dist', `${options.workload}.js`);
  if (!existsSync(script)) {
    throw new Error(`no bundle for workload "${options.workload}" at ${script}; build with \`npm run build\` (workloads are scenarios/*.ts)`);
  }
  const k6 = ensureK6();
  const livePort = liveDashboardPort(process.env); // before the run folder: a bad value leaves nothing behind
  const prometheus = prometheusOutputFromEnv(process.env, pinnedK6Version());
  const startedAt = new Date();
  const runName = options.runName ?? `${timestampForPath(startedAt)}-${options.workload}`;
  const runDir = freshDirectory(resolve(options.outDir, runName));
  const testId = `${options.workload}-${timestampForPath(startedAt)}`;

  const env = { PROFILE: options.profile, BASE_URL: options.baseUrl, TESTID: testId, ...options.env };
  const args = [
    'run',
    '--out', `json=${join(runDir, 'k6.json.gz')}`,
    '--summary-export', join(runDir, 'summary.json'),
    ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    ...(prometheus?.args ?? []),
    ...(options.k6Args ?? []),
    script,
  ];
  if (livePort !== undefined) process.stdout.write(`▶ live k6 dashboard: ${liveDashboardUrl(livePort)} (while the run lasts)\n`);
  const monitor = options.monitorPid ? startResourceMonitor({ pid: options.monitorPid, file: join(runDir, 'resources.csv'), warn: (m) => process.stderr.write(m + '\n') }) : undefined;
  const child = spawn(k6, args, {
    cwd: projectRoot,
    stdio: ['ignore', options.quiet ? 'pipe' : 'inherit', options.quiet ? 'pipe' : 'inherit'],
    env: {
      ...process.env,
      ...prometheus?.env,
      ...webDashboardEnv(join(runDir, 'dashboard.html'), livePort, basePeriod(options.profile, env)),
      K6_NO_USAGE_REPORT: 'true',
    },
  });
  // 'close' (not 'exit') fires once both output pipes are drained; the log is ended only then
  // (neither pipe may end it alone), so k6.log is complete when this function returns.
  let logWritten: Promise<void> = Promise.resolve();
  if (options.quiet) {
    const log = createWriteStream(join(runDir, 'k6.log'));
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
    logWritten = new Promise<void>((done) => child.once('close', () => log.end(done)));
  }
  const exitCode = await new Promise<number>((done) => child.once('close', (code, signal) => done(code ?? (signal ? 128 : 1))));
  await logWritten;
  await monitor?.stop();
  if (process.env.K6_WEB_DASHBOARD !== 'false' && !existsSync(join(runDir, 'dashboard.html'))) {
    process.stderr.write(`▶ k6 wrote no dashboard.html: the run ended within two dashboard periods (docs/watching.md)\n`);
  }

  const thresholdsFile = thresholdsOf(options.workload, env);
  if (thresholdsFile && existsSync(join(projectRoot, thresholdsFile))) copyFileSync(join(projectRoot, thresholdsFile), join(runDir, 'thresholds.json'));
  const metadata: RunMetadata = {
    schemaVersion: 1,
    workload: options.workload,
    profile: options.profile,
    script: `dist/${options.workload}.js`,
    scriptHash: createHash('sha256').update(readFileSync(script)).digest('hex'),
    k6Version: pinnedK6Version(),
    testId,
    baseUrl: options.baseUrl,
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    exitCode,
    thresholdsFile,
    env: Object.fromEntries(Object.entries(env).filter(([k]) => !SECRET_NAME.test(k))),
    k6Args: options.k6Args ?? [],
  };
  writeJsonAtomically(join(runDir, 'run.json'), metadata);
  return { exitCode, runDir };
}
