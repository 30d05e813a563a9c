// Benchmark: what the suite costs the load generator, each figure against a peer in the same run.
//  1. bundle size of every workload (dist/manifest.json) and of the side modules;
//  2. k6 peak RSS (GNU time) at 1, 100 and 500 VUs for every workload bundle vs a bare k6 script
//     doing one GET per iteration (bench/k6/bare-peer.ts): per round and VU level the bare script
//     runs first, then each bundle; a ratio is the median over rounds of bundle / bare;
//  3. k6 CPU per request at 20 VUs: mixed-workload with MIX={"health":1} vs the bare script
//     GETting the same /health, as the CPU slope between N and N/10 requests (removes start-up
//     and set-up), interleaved; and wrk (when installed) on the same endpoint as the machine's
//     limit for an HTTP client.
// Loads go only to a local reference server on 127.0.0.1, every run bounded by time or count.
// Reproduce: npm run bench:k6   BENCH_RUNS=3 BENCH_VUS=1,100,500 BENCH_BUNDLES=mixed-workload,...
//   BENCH_DURATION=8s BENCH_REQS=20000 BENCH_PARTS=rss,cpu
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readBuildManifest } from '../cli/run-folder/build-manifest.ts';
import { bundleK6Script } from '../tools/build/bundle-k6.ts';
import { ensureK6, projectRoot } from '../tools/install/k6.mjs';
import { startLocalReferenceServer } from '../tools/runner/reference-server.ts';
import { benchKnobs, integerList, knobsChecked, someOf } from './lib/knobs.ts';
import { emitRow, measure, median, requireGnuTime, runsFromEnv } from './lib/paired.ts';

requireGnuTime();
const RUNS = runsFromEnv(3);
const VU_LEVELS = integerList('BENCH_VUS', 1, 1000, '1,100,500', [1, 100, 500]);
const DURATION = `${benchKnobs.optionalDuration('BENCH_DURATION', 1, '8s') ?? 8}s`;
const REQS = benchKnobs.number('BENCH_REQS', { integer: true, min: 100, example: '20000' }, 20000);
const PARTS = new Set(someOf('BENCH_PARTS', ['rss', 'cpu'], ['rss', 'cpu']));
// Every workload the build makes (esbuild.config.mjs bundles each scenarios/*.ts).
const WORKLOADS = readdirSync(join(projectRoot, 'scenarios'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .map((f) => f.slice(0, -3))
  .sort();
const BUNDLES = someOf('BENCH_BUNDLES', WORKLOADS, WORKLOADS);
knobsChecked();
const CPU_VUS = 20;
const out = join(projectRoot, '.tmp', 'bench');
mkdirSync(out, { recursive: true });

const built = spawnSync(process.execPath, [join(projectRoot, 'esbuild.config.mjs'), '--quiet'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(1);
const manifest = readBuildManifest(join(projectRoot, 'dist'));
if (!manifest) throw new Error('dist/manifest.json is missing after the build');

console.log('## Bundle sizes (dist/, minified)');
for (const [name, w] of Object.entries(manifest.workloads)) {
  const kib = w.bytes / 1024;
  console.log(`  ${`${name}.js`.padEnd(28)} ${kib.toFixed(1)} KiB${w.sideModules?.length ? `  (+ ${w.sideModules.join(', ')} when needed)` : ''}`);
}
for (const [name, m] of Object.entries(manifest.sideModules ?? {})) console.log(`  ${name.padEnd(28)} ${(m.bytes / 1024).toFixed(1)} KiB  side module, loaded when ${JSON.stringify(m.neededWhen)}`);
const sizes = Object.values(manifest.workloads).map((w) => w.bytes / 1024);
emitRow({
  figure: 'bundle size per workload',
  peer: '—',
  value: `${Math.min(...sizes).toFixed(1)}–${Math.max(...sizes).toFixed(1)} KiB (+ ed25519.js ${((manifest.sideModules?.['ed25519.js']?.bytes ?? 0) / 1024).toFixed(1)} KiB for SIGNING=local)`,
  goal: '≤ 60 KiB',
  met: Math.max(...sizes) <= 60,
  runs: 1,
});

const k6 = ensureK6();
const k6Run = (script: string, env: Record<string, string>) =>
  measure([k6, 'run', '--quiet', '--summary-mode=disabled', '--no-thresholds', ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), script], {
    ...process.env,
    K6_NO_USAGE_REPORT: 'true',
  });
/** Same offered request rate scale at every level: at most ~1000 iterations/s of think-time-paced VUs. */
const thinkFor = (vus: number) => String(Math.max(0.1, vus / 1000));

const target = await startLocalReferenceServer();
try {
  const bare = await bundleK6Script(join(projectRoot, 'bench', 'k6', 'bare-peer.ts'), join(out, 'bare-peer.js'));

  if (PARTS.has('rss')) {
    const rss: Record<number, Record<string, number[]>> = {};
    const bareEnv = (vus: number) => ({ BASE_URL: target.url, VUS: String(vus), DURATION, THINK_TIME: thinkFor(vus) });
    const bundleEnv = (vus: number) => ({ BASE_URL: target.url, PROFILE: 'steady', VUS_SCALE: String(vus / 500), PROFILE_DURATION: DURATION, THINK_TIME: thinkFor(vus) });
    k6Run(bare, bareEnv(VU_LEVELS[0]!)); // warm-up (page cache, reference server JIT)
    for (let round = 0; round < RUNS; round++) {
      for (const vus of VU_LEVELS) {
        const level = (rss[vus] ??= {});
        (level.bare ??= []).push(k6Run(bare, bareEnv(vus)).maxRssMiB);
        for (const name of BUNDLES) (level[name] ??= []).push(k6Run(join(projectRoot, 'dist', `${name}.js`), bundleEnv(vus)).maxRssMiB);
        process.stderr.write(`[k6-footprint] rss round ${round + 1}/${RUNS}, ${vus} VUs done\n`);
      }
    }
    console.log(`\n## k6 peak RSS (MiB, median of ${RUNS}), constant VUs for ${DURATION}, think time max(0.1 s, VUs/1000 s)`);
    console.log(`  ${'script'.padEnd(20)} ${VU_LEVELS.map((v) => `${v} VUs`.padStart(20)).join('')}`);
    for (const name of ['bare', ...BUNDLES]) {
      const cells = VU_LEVELS.map((vus) => {
        const a = rss[vus]![name]!;
        const ratio = median(a.map((x, i) => x / rss[vus]!.bare![i]!));
        return `${median(a).toFixed(0)} (${ratio.toFixed(2)}×)`.padStart(20);
      });
      console.log(`  ${name.padEnd(20)} ${cells.join('')}`);
    }
    for (const vus of VU_LEVELS) {
      const peer = rss[vus]!.bare!;
      for (const name of BUNDLES) {
        const a = rss[vus]![name]!;
        const ratio = median(a.map((x, i) => x / peer[i]!));
        const perVu = median(a.map((x, i) => (x - peer[i]!) / vus));
        emitRow({
          figure: `k6 peak RSS, ${name}, ${vus} VU${vus === 1 ? '' : 's'}`,
          peer: `bare GET script: ${median(peer).toFixed(0)} MiB`,
          ratio,
          value: `${median(a).toFixed(0)} MiB${vus > 1 ? ` (${perVu >= 0 ? '+' : ''}${perVu.toFixed(2)} MiB/VU)` : ''}`,
          goal: '≤ 1.25×',
          met: ratio <= 1.25,
          runs: RUNS,
        });
      }
    }
  }

  if (PARTS.has('cpu')) {
    const small = Math.round(REQS / 10);
    const bareRun = (n: number) => () => k6Run(bare, { BASE_URL: target.url, VUS: String(CPU_VUS), ITERATIONS: String(n), THINK_TIME: '0', PATH_: '/health' });
    // PROFILE=smoke is shared-iterations; PROFILE_DURATION only lifts its 60 s cap.
    const suiteRun = (n: number) => () =>
      k6Run(join(projectRoot, 'dist', 'mixed-workload.js'), {
        BASE_URL: target.url,
        PROFILE: 'smoke',
        VUS_SCALE: String(CPU_VUS),
        ITERATIONS: String(n),
        PROFILE_DURATION: '300s',
        MIX: '{"health":1}',
      });
    bareRun(small)();
    suiteRun(small)();
    const slopes = { bare: [] as number[], suite: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      const [bs, bl, ss, sl] = [bareRun(small)(), bareRun(REQS)(), suiteRun(small)(), suiteRun(REQS)()];
      slopes.bare.push(((bl.cpuS - bs.cpuS) / (REQS - small)) * 1e6);
      slopes.suite.push(((sl.cpuS - ss.cpuS) / (REQS - small)) * 1e6);
    }
    const ratio = median(slopes.suite.map((x, i) => x / slopes.bare[i]!));
    let wrkUs: number | undefined;
    const hasWrk = spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error === undefined;
    if (hasWrk) {
      const w: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const r = measure(['wrk', '-t1', `-c${CPU_VUS}`, '-d3s', `${target.url}/health`]);
        const requests = Number(/(\d+) requests in/.exec(r.stdout)?.[1] ?? Number.NaN);
        w.push((r.cpuS / requests) * 1e6);
      }
      wrkUs = median(w);
    }
    console.log(`\n## k6 CPU per request, ${CPU_VUS} VUs, GET /health, no think time (median CPU slope ${REQS} vs ${small} requests, ${RUNS} runs)`);
    console.log(`  bare k6 (peer)                     ${median(slopes.bare).toFixed(0)} µs`);
    console.log(`  mixed-workload MIX={"health":1}    ${median(slopes.suite).toFixed(0)} µs   (${ratio.toFixed(2)}× the peer)`);
    console.log(`  wrk -t1 -c${CPU_VUS} (machine's limit)      ${wrkUs === undefined ? 'not installed (apt-get install wrk)' : `${wrkUs.toFixed(0)} µs`}`);
    emitRow({
      figure: `k6 CPU per request, mixed-workload health only, ${CPU_VUS} VUs`,
      peer: `bare GET script: ${median(slopes.bare).toFixed(0)} µs`,
      ratio,
      value: `${median(slopes.suite).toFixed(0)} µs`,
      goal: '≤ 1.2×',
      met: ratio <= 1.2,
      runs: RUNS,
    });
    emitRow({
      figure: 'k6 CPU per request, bare GET script vs wrk',
      peer: wrkUs === undefined ? 'wrk: not installed (apt-get install wrk)' : `wrk: ${wrkUs.toFixed(0)} µs`,
      ...(wrkUs === undefined ? {} : { ratio: median(slopes.bare) / wrkUs }),
      value: `${median(slopes.bare).toFixed(0)} µs`,
      goal: 'context',
      met: null,
      runs: RUNS,
    });
  }
} finally {
  await target.stop();
}
