// `npm start`: the suite's main job on a fresh machine. Starts the reference target on a free
// loopback port with a temporary database (unless BASE_URL points elsewhere), runs the mixed
// workload for about a minute, leaves a run folder in reports/, and exits with k6's code.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startLocalTarget, type RunningTarget } from './reference-server.ts';
import { runWorkload } from './run-workload.ts';
import { projectRoot } from '../install/k6.mjs';
import { START_WORKLOAD, startJobEnv, startJobProfile } from './start-job.ts';

const WORKLOAD = START_WORKLOAD;
/** The baseline shipped in baselines/ that every `npm start` run is compared with. */
const BASELINE = process.env.START_BASELINE ?? 'npm-start';

async function main(): Promise<number> {
  const profile = startJobProfile(process.env);
  const env = startJobEnv(process.env);

  let target: RunningTarget | undefined;
  let baseUrl = process.env.BASE_URL;
  if (!baseUrl) {
    target = await startLocalTarget();
    baseUrl = target.url;
    process.stdout.write(`▶ reference target listening on ${baseUrl} (temporary database ${target.dataDir})\n`);
  }
  const stopTarget = async () => {
    if (target) await target.stop();
    target = undefined;
  };
  process.once('SIGINT', () => void stopTarget());

  process.stdout.write(`▶ k6 run dist/${WORKLOAD}.js  profile=${profile}  ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')}\n\n`);
  try {
    const { exitCode, runDir } = await runWorkload({ workload: WORKLOAD, profile, baseUrl, outDir: join(projectRoot, 'reports'), env, monitorPid: target?.process.pid });
    const rel = relative(process.cwd(), runDir) || '.';
    process.stdout.write(`\n▶ run folder: ${rel}/\n`);
    for (const [file, what] of [
      ['k6.json.gz', 'every metric point (k6 JSON output, gzipped)'],
      ['summary.json', "k6's end-of-test summary"],
      ['dashboard.html', 'web dashboard export (open in a browser)'],
      ['run.json', 'what ran: workload, profile, script hash, k6 version, times, exit code'],
      ['resources.csv', "the local server's CPU, memory and open files, sampled during the run"],
      ['thresholds.json', 'the SLO file the workload was built with'],
    ] as const) {
      if (existsSync(join(runDir, file))) process.stdout.write(`    ${file.padEnd(16)} ${what}\n`);
    }
    reportAndCompare(runDir);
    process.stdout.write(`▶ k6 exit code ${exitCode}${exitCode === 99 ? ' (a threshold failed)' : ''}\n`);
    return exitCode;
  } finally {
    await stopTarget();
  }
}

/**
 * Writes the run's report and compares it with the shipped baseline, the way a user would with
 * the CLI. Their verdicts are printed, not turned into npm start's exit code (that stays k6's).
 */
function reportAndCompare(runDir: string): void {
  const cli = join(projectRoot, 'cli', 'bin.mjs');
  const report = spawnSync(process.execPath, [cli, 'report', runDir], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (report.status === 0) {
    process.stdout.write(`    report.md / report.html / report.json / report.csv / junit.xml   the report (npx ledger-perf report)\n`);
  } else {
    process.stdout.write(`▶ report failed (exit ${report.status}); the run folder is intact\n`);
  }
  if (process.env.BASE_URL) return; // a baseline of the local target says nothing about another platform
  if (!existsSync(join(projectRoot, 'baselines', BASELINE))) {
    process.stdout.write(`▶ no baseline "${BASELINE}" in baselines/: skipping the comparison\n`);
    return;
  }
  process.stdout.write(`\n▶ compared with baseline "${BASELINE}" (npx ledger-perf compare --baseline ${BASELINE} --candidate <run>):\n\n`);
  const compare = spawnSync(process.execPath, [cli, 'compare', '--baseline', BASELINE, '--candidate', runDir], { cwd: projectRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  const verdicts: Record<number, string> = { 0: 'no regression', 1: 'REGRESSION against the baseline', 2: 'comparison input error', 3: 'not comparable with the baseline (see above)' };
  process.stdout.write(`▶ comparison: ${verdicts[compare.status ?? 2] ?? `exit ${compare.status}`}\n`);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`npm start failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
