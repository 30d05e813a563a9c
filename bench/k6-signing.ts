// Benchmark: k6 CPU per accepted transaction by signing mode. Real k6 submits N and N/10
// transactions (mixed-workload, MIX submit only, smoke profile) against the local reference
// server, interleaved; the CPU slope (cpu(N) - cpu(N/10)) / (0.9 N) removes k6's start-up and
// set-up, so it is the generator's cost of one signed, sent and accepted transaction.
// Reproduce: npm run bench:signing     (BENCH_RUNS=5 BENCH_TX=4000 BENCH_LOCAL_TX=200)
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { submitOnlySmokeEnv } from '../test/helpers/k6-args.ts';
import { ensureK6, projectRoot } from '../tools/install/k6.mjs';
import { presign } from '../tools/presign/presign.ts';
import { startLocalReferenceServer } from '../tools/runner/reference-server.ts';
import { benchKnobs, knobsChecked } from './lib/knobs.ts';
import { emitRow, interleave, measure, median, requireGnuTime, runsFromEnv } from './lib/paired.ts';

requireGnuTime();
const RUNS = runsFromEnv(5);
const TX = benchKnobs.number('BENCH_TX', { integer: true, above: 0, example: '4000' }, 4000);
const LOCAL_TX = benchKnobs.number('BENCH_LOCAL_TX', { integer: true, above: 0, example: '200' }, 200);
knobsChecked();
const out = join(projectRoot, '.tmp', 'bench');
mkdirSync(out, { recursive: true });

const k6 = ensureK6();
const target = await startLocalReferenceServer();
try {
  const file = join(out, 'presigned.txt');
  // Every run submits fresh transactions: a reused id would be rejected as a duplicate.
  const script = join(projectRoot, 'dist', 'mixed-workload.js');
  const run = (iterations: number, signing: string) => () =>
    measure([k6, 'run', '--quiet', ...submitOnlySmokeEnv({ baseUrl: target.url, iterations, signing, extra: { PRESIGNED_FILE: file } }), script], {
      ...process.env,
      K6_NO_USAGE_REPORT: 'true',
    });
  const presigned = (iterations: number) => () => {
    presign({ out: file, count: iterations * 2, payloadBytes: [512] });
    return run(iterations, 'presigned')();
  };
  const slope = (a: number[], b: number[], n: number, m: number) => median(a.map((x, i) => (x - b[i]!) / (n - m))) * 1000;

  const p = interleave(RUNS, presigned(TX), presigned(TX / 10));
  const presignedMs = slope(
    p.a.map((x) => x.cpuS),
    p.b.map((x) => x.cpuS),
    TX,
    TX / 10,
  );
  const l = interleave(RUNS, run(LOCAL_TX, 'local'), run(LOCAL_TX / 10, 'local'));
  const localMs = slope(
    l.a.map((x) => x.cpuS),
    l.b.map((x) => x.cpuS),
    LOCAL_TX,
    LOCAL_TX / 10,
  );
  console.log(`## k6 CPU per accepted transaction (${RUNS} interleaved runs, median CPU slope)`);
  console.log(`  SIGNING=presigned  ${presignedMs.toFixed(2)} ms   (${TX} vs ${TX / 10} transactions, peak RSS median ${median(p.a.map((x) => x.maxRssMiB)).toFixed(0)} MiB)`);
  console.log(`  SIGNING=local      ${localMs.toFixed(2)} ms   (${LOCAL_TX} vs ${LOCAL_TX / 10} transactions)`);
  console.log(`  presigned/local    ${(presignedMs / localMs).toFixed(3)}×`);
  emitRow({
    figure: 'k6 CPU per accepted tx, SIGNING=presigned',
    peer: 'SIGNING=local',
    ratio: presignedMs / localMs,
    value: `${presignedMs.toFixed(2)} ms (local ${localMs.toFixed(1)} ms)`,
    goal: '≤ 2 ms',
    met: presignedMs <= 2,
    runs: RUNS,
  });
} finally {
  await target.stop();
}
