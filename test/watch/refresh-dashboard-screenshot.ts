// `npm run docs:screenshot`: makes docs/images/dashboard.png, the README's picture of k6's
// exported dashboard, from a real run: a local reference server, the mixed workload for 30 s
// through the runner, dashboard.html rendered in headless Chromium. Never drawn by hand.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalReferenceServer } from '../../tools/runner/reference-server.ts';
import { runWorkload } from '../../tools/runner/run-workload.ts';
import { projectRoot } from '../helpers/paths.ts';
import { screenshot } from './screenshot.ts';

const OUT = join(projectRoot, 'docs', 'images', 'dashboard.png');

async function main(): Promise<number> {
  const target = await startLocalReferenceServer();
  const dir = mkdtempSync(join(tmpdir(), 'ledger-screenshot-'));
  try {
    process.stdout.write(`▶ 30 s mixed-workload run against ${target.url} …\n`);
    const { exitCode, runDir } = await runWorkload({
      workload: 'mixed-workload',
      profile: 'average',
      baseUrl: target.url,
      outDir: dir,
      quiet: true,
      env: { PROFILE_DURATION: '30s', VUS_SCALE: '0.2', THINK_TIME: '0.05' },
      monitorPid: target.process.pid,
    });
    if (exitCode !== 0 && exitCode !== 99) throw new Error(`k6 exited ${exitCode}; see ${join(runDir, 'k6.log')}`);
    mkdirSync(join(projectRoot, 'docs', 'images'), { recursive: true });
    screenshot(join(runDir, 'dashboard.html'), OUT, 1400, 1500);
    process.stdout.write(`▶ wrote ${OUT}\n`);
    return 0;
  } finally {
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`docs:screenshot failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
