// Benchmark: the reference server alone. Steps an open-model (constant-arrival-rate) load of
// pre-signed transaction submissions through the real k6 binary and reports, per step, the
// achieved rate, p50/p99 latency, failures and dropped iterations, and the highest step that
// kept p99 < 50 ms with nothing dropped or failed.
// Reproduce: npm run bench:target
//   (BENCH_STEPS=500,1000,2000 BENCH_STEP_S=10 change the steps; BENCH_TARGET_ARGS='--verify-threads 0' adds reference-server flags)
// Note: k6 and the reference server share this machine's cores; the figures are for both on one box.
import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { deriveFigures } from '../cli/figures/derived.ts';
import { writeFileAtomic } from '../cli/io/atomic-write.ts';
import type { RunSummary } from '../cli/model/run-summary.ts';
import { latencyStats } from '../cli/report/latency-stats.ts';
import { loadRun } from '../cli/run/load-run.ts';
import { evaluateSlos, overallVerdict, seriesBySelector, verdictPasses } from '../cli/slo/evaluate.ts';
import { slosFromSet } from '../cli/slo/slo.ts';
import { bootstrapOrg, createRegister, createWallet, serviceToken } from '../test/helpers/register-client.ts';
import { ensureK6, projectRoot } from '../tools/install/k6.mjs';
import { startLocalReferenceServer } from '../tools/runner/reference-server.ts';
import { benchKnobs, integerList, knobsChecked } from './lib/knobs.ts';

const STEPS = integerList('BENCH_STEPS', 1, 100_000, '500,1000,2000', [500, 1000, 2000, 3000, 4000]);
const STEP_S = benchKnobs.number('BENCH_STEP_S', { integer: true, above: 0, example: '10' }, 10);
const EXTRA_TARGET_ARGS = (benchKnobs.raw('BENCH_TARGET_ARGS') ?? '').split(' ').filter(Boolean);
knobsChecked();
const GAP_S = 3;
/** Unreported warm-up (JIT, connection pool, VU allocation) before the first step. */
const WARMUP = { rate: 300, seconds: 5 };
const P99_LIMIT_MS = 50;
if (STEPS.some((s) => !Number.isInteger(s) || s <= 0) || !(STEP_S > 0)) {
  process.stderr.write('BENCH_STEPS must be comma-separated positive integers (tx/s) and BENCH_STEP_S a positive number of seconds.\n');
  process.exit(2);
}
const out = join(projectRoot, '.tmp', 'bench');
mkdirSync(out, { recursive: true });

/** Organisation, service principal token and a register, through the API like any client. */
async function setUp(url: string): Promise<{ token: string; registerId: string }> {
  const org = await bootstrapOrg(url, `bench-${randomBytes(4).toString('hex')}`);
  const wallet = await createWallet(url, org.adminToken, 'bench');
  const registerId = await createRegister(url, org.adminToken, org.orgId, wallet.address, 'bench', org.adminUserId);
  return { token: await serviceToken(url, org), registerId };
}

function presign(registerId: string, count: number): string[] {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pk = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64url');
  const bodies: string[] = [];
  for (let i = 0; i < count; i++) {
    const payload = { kind: 'bench', seq: i, note: randomBytes(24).toString('hex') };
    const payloadHash = createHash('sha256').update(JSON.stringify(payload)).digest('hex');
    const transactionId = randomBytes(32).toString('hex');
    const signatureValue = sign(null, createHash('sha256').update(`${transactionId}:${payloadHash}`).digest(), privateKey).toString('base64url');
    bodies.push(
      JSON.stringify({
        transactionId,
        registerId,
        blueprintId: 'bench',
        actionId: '1',
        payload,
        payloadHash,
        signatures: [{ publicKey: pk, signatureValue, algorithm: 'ED25519' }],
        createdAt: new Date().toISOString(),
      }),
    );
  }
  return bodies;
}

// The k6 script is k6-side code, kept here as text and written to .tmp: module names are
// assembled so this Node file itself imports nothing from k6.
const K6 = 'k6';
function k6Script(): string {
  const scenarios: Record<string, unknown> = {};
  scenarios.warmup = {
    executor: 'constant-arrival-rate',
    rate: WARMUP.rate,
    timeUnit: '1s',
    duration: `${WARMUP.seconds}s`,
    preAllocatedVUs: 50,
    maxVUs: 200,
    tags: { step: 'warmup' },
    env: { OFFSET: '0' },
    gracefulStop: '5s',
  };
  let offset = WARMUP.rate * WARMUP.seconds * 2;
  STEPS.forEach((rate, i) => {
    const name = `s${rate}`;
    scenarios[name] = {
      executor: 'constant-arrival-rate',
      rate,
      timeUnit: '1s',
      duration: `${STEP_S}s`,
      startTime: `${WARMUP.seconds + GAP_S + i * (STEP_S + GAP_S)}s`,
      preAllocatedVUs: Math.min(400, Math.max(50, Math.ceil(rate / 10))),
      maxVUs: 1000,
      tags: { step: String(rate) },
      env: { OFFSET: String(offset) },
      gracefulStop: '5s',
    };
    offset += Math.ceil(rate * STEP_S * 1.02) + 10;
  });
  return `import http from '${K6}/http';
import exec from '${K6}/execution';
import { SharedArray } from '${K6}/data';
const bodies = new SharedArray('txs', () => JSON.parse(open(__ENV.TXS_FILE)));
const params = { headers: { 'content-type': 'application/json', authorization: 'Bearer ' + __ENV.TOKEN }, tags: { name: 'POST /transactions/validate' } };
export const options = { scenarios: ${JSON.stringify(scenarios)}, discardResponseBodies: true };
export default function () {
  const i = Number(__ENV.OFFSET) + exec.scenario.iterationInTest;
  http.post(__ENV.URL + '/api/validator/transactions/validate', bodies[i % bodies.length], params);
}
`;
}

interface StepResult {
  rate: number;
  achieved: number;
  p50: number;
  p99: number;
  failed: number;
  dropped: number;
  ok: boolean;
}

/** The SLO a step must meet to count as sustained, judged by the engine like any SLO set. */
function stepSlos(rate: number) {
  return slosFromSet(
    {
      name: `bench-target-${rate}`,
      slos: [
        { id: 'p99', metric: `http_req_duration{step:${rate}}`, aggregation: 'p(99)', operator: '<', fail: P99_LIMIT_MS, unit: 'ms' },
        { id: 'failed', metric: `http_req_failed{step:${rate}}`, aggregation: 'rate', operator: '<=', fail: 0 },
        // No dropped_iterations point at all is "no data" (unknown), which cannot pass alone; one drop fails.
        { id: 'dropped', metric: `dropped_iterations{scenario:s${rate}}`, aggregation: 'count', operator: '<', fail: 1 },
      ],
    },
    [],
  );
}

function stepResults(run: RunSummary): StepResult[] {
  const derived = deriveFigures(run);
  return STEPS.map((rate) => {
    const latency = latencyStats(seriesBySelector(run, `http_req_duration{step:${rate}}`));
    const failed = seriesBySelector(run, `http_req_failed{step:${rate}}`);
    const count = latency?.count ?? 0;
    const verdict = overallVerdict(evaluateSlos(run, stepSlos(rate), derived));
    return {
      rate,
      achieved: count / STEP_S,
      p50: latency?.median ?? NaN,
      p99: latency?.p99 ?? NaN,
      failed: failed?.nonZero ?? 0,
      dropped: seriesBySelector(run, `dropped_iterations{scenario:s${rate}}`)?.moments.sum ?? 0,
      ok: verdictPasses(verdict) && count > 0,
    };
  });
}

async function main() {
  const k6 = ensureK6();
  const loadBefore = loadavg()[0]!;
  const extra = EXTRA_TARGET_ARGS;
  const target = await startLocalReferenceServer({ args: ['--log-level', 'error', ...extra] });
  try {
    const { token, registerId } = await setUp(target.url);
    const total = WARMUP.rate * WARMUP.seconds * 2 + STEPS.reduce((n, r) => n + Math.ceil(r * STEP_S * 1.02) + 10, 0);
    process.stderr.write(`pre-signing ${total} transactions…\n`);
    const txsFile = join(out, 'target-txs.json');
    writeFileAtomic(txsFile, JSON.stringify(presign(registerId, total)));
    const scriptFile = join(out, 'target-throughput.k6.js');
    writeFileAtomic(scriptFile, k6Script());
    const k6Output = join(out, 'target-throughput.k6.json.gz');
    rmSync(k6Output, { force: true });
    process.stderr.write(`running k6: steps ${STEPS.join(', ')} tx/s, ${STEP_S} s each…\n`);
    // The token goes through the environment (k6 exposes it as __ENV.TOKEN), never the
    // command line, where any process listing would show it.
    const run = spawnSync(k6, ['run', '--quiet', '--summary-mode=disabled', '--out', `json=${k6Output}`, '-e', `URL=${target.url}`, '-e', `TXS_FILE=${txsFile}`, scriptFile], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, K6_NO_USAGE_REPORT: 'true', TOKEN: token },
    });
    if (run.status !== 0) throw new Error(`k6 exited with ${run.status}`);
    // Every figure and the per-step verdict come from the results CLI's engine, as for any run.
    const results = stepResults(await loadRun(k6Output));
    const best = results.filter((r) => r.ok).reduce<StepResult | undefined>((a, r) => (a === undefined || r.rate > a.rate ? r : a), undefined);

    const lines = [
      `Reference server, signed transaction submissions (Ed25519 verify + durable group commit + dockets of 50 / 10 s)`,
      `machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), shared by the k6 load generator and the reference server; node ${process.version}`,
      `1-minute load average before/after: ${loadBefore.toFixed(2)} / ${loadavg()[0]!.toFixed(2)} (anything well above ~2 means other work competed for the cores)`,
      '',
      '| offered tx/s | achieved tx/s | p50 ms | p99 ms | failed | dropped | p99 < 50 ms, none lost |',
      '|---:|---:|---:|---:|---:|---:|:---:|',
      ...results.map((r) => `| ${r.rate} | ${r.achieved.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.failed} | ${r.dropped} | ${r.ok ? 'yes' : 'no'} |`),
      '',
      best === undefined
        ? 'No step met p99 < 50 ms with nothing dropped or failed.'
        : `Highest sustained step: ${best.rate} tx/s (achieved ${best.achieved.toFixed(0)}, p99 ${best.p99.toFixed(2)} ms).`,
      'Context, not a ratio (different hardware, harness and architecture): Sorcha published 65.16 TPS at P95 306 ms',
      '(10 workers, gateway, i5-10310U laptop, Docker with 8 CPUs, 2026-02-13).',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    writeFileAtomic(
      join(out, 'target-throughput.json'),
      JSON.stringify({ steps: results, best: best?.rate ?? null, stepSeconds: STEP_S, cores: cpus().length, loadAverage: { before: loadBefore, after: loadavg()[0] } }, null, 2),
    );
  } finally {
    await target.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:target failed: ${(err as Error).message}\n`);
  process.exit(1);
});
