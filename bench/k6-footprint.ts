// Benchmark: what the suite costs the load generator.
//  1. bundle size of every dist/*.js
//  2. k6 peak RSS and request rate for 100 VUs of mixed-workload vs 100 VUs of bare k6 (peer)
//  3. cost per signature: local Ed25519 in k6 vs the wallet sign endpoint
// Reproduce: npm run bench:k6     (needs GNU time at /usr/bin/time: Debian package `time`)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { bundleK6Script } from '../tools/build/bundle-k6.ts';
import { ensureK6, projectRoot } from '../tools/install/k6.mjs';
import { startLocalReferenceServer } from '../tools/runner/reference-server.ts';

const VUS = Number(process.env.BENCH_VUS ?? 100);
const DURATION = process.env.BENCH_DURATION ?? '20s';
const out = join(projectRoot, '.tmp', 'bench');
mkdirSync(out, { recursive: true });

if (!existsSync('/usr/bin/time')) {
  process.stderr.write('bench needs GNU time for peak RSS: apt-get install time\n');
  process.exit(2);
}

async function bundle(name: string): Promise<string> {
  return bundleK6Script(join(projectRoot, 'bench', 'k6', `${name}.ts`), join(out, `${name}.js`));
}

interface Measured {
  maxRssMiB: number;
  reqPerSec: number;
  summary: { metrics: Record<string, Record<string, number>> };
}

function runK6(script: string, env: Record<string, string>, label: string): Measured {
  const k6 = ensureK6();
  const timeFile = join(out, `${label}.time`);
  const summaryFile = join(out, `${label}.summary.json`);
  const args = ['-f', '%M', '-o', timeFile, k6, 'run', '--quiet', '--summary-export', summaryFile, ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), script];
  const r = spawnSync('/usr/bin/time', args, { encoding: 'utf8', env: { ...process.env, K6_NO_USAGE_REPORT: 'true' } });
  if (r.status !== 0) throw new Error(`${label}: k6 exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
  return { maxRssMiB: Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()) / 1024, reqPerSec: summary.metrics.http_reqs?.rate ?? 0, summary };
}

const built = spawnSync(process.execPath, [join(projectRoot, 'esbuild.config.mjs'), '--quiet'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(1);

console.log('## Bundle sizes (dist/)');
for (const f of readdirSync(join(projectRoot, 'dist')).filter((f) => f.endsWith('.js'))) {
  console.log(`  ${f.padEnd(28)} ${(statSync(join(projectRoot, 'dist', f)).size / 1024).toFixed(1)} KiB`);
}

const target = await startLocalReferenceServer();
try {
  const bare = runK6(await bundle('bare-peer'), { BASE_URL: target.url, VUS: String(VUS), DURATION, THINK_TIME: '0.1' }, 'bare');
  const suite = runK6(
    join(projectRoot, 'dist', 'mixed-workload.js'),
    { BASE_URL: target.url, PROFILE: 'steady', VUS_SCALE: String(VUS / 500), PROFILE_DURATION: DURATION, THINK_TIME: '0.1' },
    'mixed',
  );
  console.log(`\n## k6 peak RSS, ${VUS} VUs for ${DURATION} (think time 0.1 s)`);
  console.log(`  bare k6 (peer)          ${bare.maxRssMiB.toFixed(0)} MiB   ${bare.reqPerSec.toFixed(0)} req/s`);
  console.log(`  mixed-workload          ${suite.maxRssMiB.toFixed(0)} MiB   ${suite.reqPerSec.toFixed(0)} req/s`);
  console.log(`  ratio mixed/bare        ${(suite.maxRssMiB / bare.maxRssMiB).toFixed(2)}×   (${((suite.maxRssMiB - bare.maxRssMiB) / VUS).toFixed(2)} MiB more per VU)`);

  const cost = runK6(await bundle('signing-cost'), { BASE_URL: target.url, SIGNATURES: '300' }, 'signing');
  const l = cost.summary.metrics.local_sign_ms!;
  const w = cost.summary.metrics.wallet_sign_ms!;
  console.log('\n## Cost of one signature inside k6 (300 each, one VU)');
  console.log(`  local Ed25519 (@noble/curves)   avg ${l.avg!.toFixed(2)} ms  p95 ${l['p(95)']!.toFixed(2)} ms  (generator CPU)`);
  console.log(`  wallet sign endpoint (peer)     avg ${w.avg!.toFixed(2)} ms  p95 ${w['p(95)']!.toFixed(2)} ms  (round trip to the local target)`);
  console.log(`  ratio local/wallet              ${(l.avg! / w.avg!).toFixed(2)}×`);
} finally {
  await target.stop();
}
