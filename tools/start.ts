// `npm start`: the suite's main job on a fresh machine. Starts the reference target on a free
// loopback port with a temporary database (unless BASE_URL points elsewhere), runs the mixed
// workload for about a minute, leaves a run folder in reports/, and exits with k6's code.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startLocalTarget, type RunningTarget } from './local-target.ts';
import { runWorkload } from './run-workload.ts';
import { projectRoot } from './k6.mjs';

const WORKLOAD = 'mixed-workload';
// Variables the workload and profiles read; forwarded explicitly so run.json records them
// (names that look secret are never recorded).
const FORWARDED = ['API_LAYOUT', 'TENANT_URL', 'WALLET_URL', 'REGISTER_URL', 'VALIDATOR_URL', 'REGISTER_ID', 'CORRIDOR_WEIGHTS', 'MIX', 'SIGNING', 'PAYLOAD_BYTES', 'THINK_TIME', 'HTTP_TIMEOUT', 'VUS_SCALE', 'RATE_SCALE', 'DURATION_SCALE', 'ITERATIONS', 'MAX_VUS'];

async function main(): Promise<number> {
  const profile = process.env.PROFILE ?? 'average';
  const env: Record<string, string> = {
    // A one-minute "average" run at 20 VUs unless the caller chose otherwise.
    PROFILE_DURATION: process.env.PROFILE_DURATION ?? (process.env.PROFILE ? '' : '60s'),
    VUS_SCALE: process.env.VUS_SCALE ?? (process.env.PROFILE ? '' : '0.4'),
  };
  for (const name of FORWARDED) if (process.env[name] !== undefined) env[name] = process.env[name]!;
  for (const [k, v] of Object.entries(env)) if (v === '') delete env[k];

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
    const { exitCode, runDir } = await runWorkload({ workload: WORKLOAD, profile, baseUrl, outDir: join(projectRoot, 'reports'), env });
    const rel = relative(process.cwd(), runDir) || '.';
    process.stdout.write(`\n▶ run folder: ${rel}/\n`);
    for (const [file, what] of [
      ['k6.json.gz', 'every metric point (k6 JSON output, gzipped)'],
      ['summary.json', "k6's end-of-test summary"],
      ['dashboard.html', 'web dashboard export (open in a browser)'],
      ['run.json', 'what ran: workload, profile, script hash, k6 version, times, exit code'],
      ['thresholds.json', 'the SLO file the workload was built with'],
    ] as const) {
      if (existsSync(join(runDir, file))) process.stdout.write(`    ${file.padEnd(16)} ${what}\n`);
    }
    process.stdout.write(`▶ k6 exit code ${exitCode}${exitCode === 99 ? ' (a threshold failed)' : ''}\n`);
    return exitCode;
  } finally {
    await stopTarget();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`npm start failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
