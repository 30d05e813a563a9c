// `npm start`: the suite's main job on a fresh machine. Starts the reference server on a free
// loopback port with a temporary database (unless BASE_URL points elsewhere), runs the mixed
// workload for about a minute, leaves a run folder in reports/, reports it (k6.json.gz is read
// once: compare reads the cached run summary), compares it with this machine's baseline
// (start-baseline.ts), and exits with k6's code.
//   START_REPORTS_DIR   where the run folder goes (default reports/)
//   START_LOCAL_BASELINES  where this machine's baseline lives (default baselines/local/)
//   START_SHIPPED_BASELINES  where the shipped reference baselines live (default baselines/)
//   START_BASELINE      compare with this saved baseline in baselines/ instead
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { reportRun } from '../../cli/report/write-report.ts';
import { RUN_FILE_DESCRIPTIONS } from '../../cli/run-folder/names.ts';
import { projectRoot } from '../install/k6.mjs';
import { type RunningReferenceServer, startLocalReferenceServer } from './reference-server.ts';
import { runWorkload } from './run-workload.ts';
import { chooseStartBaseline } from './start-baseline.ts';
import { START_WORKLOAD, startJobEnv, startJobProfile } from './start-job.ts';

const WORKLOAD = START_WORKLOAD;

async function main(): Promise<number> {
  const profile = startJobProfile(process.env);
  const env = startJobEnv(process.env);

  let target: RunningReferenceServer | undefined;
  let baseUrl = process.env.BASE_URL;
  if (!baseUrl) {
    target = await startLocalReferenceServer();
    baseUrl = target.url;
    process.stdout.write(`▶ reference server listening on ${baseUrl} (temporary database ${target.dataDir})\n`);
  }
  const stopTarget = async () => {
    if (target) await target.stop();
    target = undefined;
  };
  process.once('SIGINT', () => void stopTarget());

  process.stdout.write(
    `▶ k6 run dist/${WORKLOAD}.js  profile=${profile}  ${Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}\n\n`,
  );
  try {
    const outDir = resolve(process.env.START_REPORTS_DIR || join(projectRoot, 'reports'));
    const { exitCode, runDir } = await runWorkload({
      workload: WORKLOAD,
      profile,
      baseUrl,
      outDir,
      env,
      monitorPid: target?.process.pid,
      serverMetricsUrl: target ? `${target.url}/metrics` : undefined,
    });
    const rel = relative(process.cwd(), runDir) || '.';
    process.stdout.write(`\n▶ run folder: ${rel}/\n`);
    await reportAndCompare(runDir);
    process.stdout.write(`▶ k6 exit code ${exitCode}${exitCode === 99 ? ' (a threshold failed)' : ''}\n`);
    return exitCode;
  } finally {
    await stopTarget();
  }
}

/**
 * Writes the run's report and compares it with this machine's baseline, the way a user would
 * with the CLI. Their verdicts are printed, not turned into npm start's exit code (that stays k6's).
 */
async function reportAndCompare(runDir: string): Promise<void> {
  let reported;
  try {
    reported = await reportRun(runDir, { warn: (m) => process.stderr.write(`warning: ${m}\n`) });
  } catch (err) {
    process.stdout.write(`▶ report failed (${(err as Error).message}); the run folder is intact\n`);
    return;
  }
  for (const [file, what] of RUN_FILE_DESCRIPTIONS) {
    if (existsSync(join(runDir, file))) process.stdout.write(`    ${file.padEnd(16)} ${what}\n`);
  }
  process.stdout.write(`    report.md / report.html / report.json / report.csv / junit.xml   the report (npx ledger-perf report)\n`);
  process.stdout.write(`\n▶ SLO verdict: ${reported.report.sloVerdict}\n`);
  // An inconclusive run says why (a saturated generator's sign and figures, docs/verdicts.md).
  for (const s of reported.report.slos.filter((x) => x.verdict === 'inconclusive')) process.stdout.write(`  ${s.id ?? s.metric}: ${s.detail}\n`);
  if (process.env.BASE_URL) return; // a baseline of the local target says nothing about another platform
  const places = {
    shippedRoot: resolve(process.env.START_SHIPPED_BASELINES || join(projectRoot, 'baselines')),
    localRoot: resolve(process.env.START_LOCAL_BASELINES || join(projectRoot, 'baselines', 'local')),
  };
  const choice = chooseStartBaseline(reported.run, reported.report.sloVerdict, places, process.env.START_BASELINE || undefined);
  const where = (root: string, name: string) => relative(process.cwd(), join(root, name)) || join(root, name);
  if (choice.kind === 'none') {
    process.stdout.write(`▶ no comparison: ${choice.why}\n`);
    return;
  }
  if (choice.kind === 'recorded') {
    process.stdout.write(`▶ baseline ${where(choice.root, choice.name)}/: ${choice.why}\n`);
    return;
  }
  process.stdout.write(`\n▶ compared with ${where(choice.root, choice.name)}/ (${choice.why}):\n\n`);
  const cli = join(projectRoot, 'cli', 'bin.mjs');
  const compare = spawnSync(process.execPath, [cli, 'compare', '--baselines', choice.root, '--baseline', choice.name, '--candidate', runDir], {
    cwd: projectRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
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
