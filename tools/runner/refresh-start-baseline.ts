// Re-makes baselines/npm-start: runs `npm start`'s job N times (default 3), each against a fresh
// reference server, and saves the runs as the shipped reference of `npm start` for this
// machine's kind (it gives a verdict only where the machine fingerprint matches, see
// start-baseline.ts; every other machine records its own local baseline).
// Run it after changing lib/ or scenarios/ (the bundle's hash is part of comparability):
//   npm run baseline:refresh [-- --runs 5]
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../install/k6.mjs';
import { startLocalReferenceServer } from './reference-server.ts';
import { runWorkload } from './run-workload.ts';
import { START_WORKLOAD, startJobEnv, startJobProfile } from './start-job.ts';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
if (!Number.isInteger(runs) || runs < 1 || runs > 20) {
  process.stderr.write('--runs: expected a whole number from 1 to 20\n');
  process.exit(2);
}
const outDir = mkdtempSync(join(tmpdir(), 'ledger-baseline-'));
const runDirs: string[] = [];
for (let i = 1; i <= runs; i++) {
  const target = await startLocalReferenceServer();
  try {
    process.stdout.write(`▶ baseline run ${i}/${runs}\n`);
    const { exitCode, runDir } = await runWorkload({ workload: START_WORKLOAD, profile: startJobProfile({}), baseUrl: target.url, outDir, env: startJobEnv({}), quiet: true });
    if (exitCode !== 0) {
      process.stderr.write(`run ${i} exited ${exitCode} (see ${runDir}/k6.log): not saving a failing run as the baseline\n`);
      process.exit(1);
    }
    runDirs.push(runDir);
  } finally {
    await target.stop();
  }
}
const save = spawnSync(process.execPath, [join(projectRoot, 'cli', 'bin.mjs'), 'baseline', 'save', 'npm-start', '--force', ...runDirs], { cwd: projectRoot, stdio: 'inherit' });
process.exit(save.status ?? 1);
