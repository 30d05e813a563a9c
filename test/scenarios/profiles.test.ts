// Real k6 accepts every profile: `k6 inspect --execution-requirements` of a script whose options
// come from lib/shared/profiles.ts, at full size and scaled down, must agree with describeProfile on
// scenarios, total duration and max VUs. A few real `k6 run`s of scaled-down profiles against a
// tiny local HTTP server prove the scale knobs give seconds-long runs, the step/level/concurrency
// tags reach the output, and a breakpoint ramp aborts and yields its breaking point.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { createGunzip } from 'node:zlib';
import { deriveFigures } from '../../cli/figures/derived.ts';
import { loadRun } from '../../cli/run/load-run.ts';
import { parseDurationSeconds } from '../../lib/shared/profiles/duration.ts';
import { describeProfile, type ProfileEnv, profileNames } from '../../lib/shared/profiles.ts';
import { namedThresholds } from '../../lib/shared/slo-registry.ts';
import { bundleK6Script } from '../../tools/build/bundle-k6.ts';
import { ensureK6 } from '../../tools/install/k6.mjs';
import { projectRoot } from '../helpers/paths.ts';

let dir: string;
let script: string;
let thresholdsScript: string;
let k6: string;

function k6Exec(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; seconds: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(k6, args, { env: { ...process.env, K6_NO_USAGE_REPORT: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    // 'close', not 'exit': only then has all of stdout been read.
    child.once('close', (code) => resolve({ code, stdout, stderr, seconds: (performance.now() - t0) / 1000 }));
  });
}

const envArgs = (env: ProfileEnv) => Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);

before(async () => {
  k6 = ensureK6();
  dir = mkdtempSync(join(tmpdir(), 'profiles-k6-'));
  script = join(dir, 'profiles-fixture.js');
  await bundleK6Script(join(projectRoot, 'test/scenarios/fixtures/profiles-fixture.ts'), script);
  thresholdsScript = join(dir, 'profiles-thresholds-fixture.js');
  await bundleK6Script(join(projectRoot, 'test/scenarios/fixtures/profiles-thresholds-fixture.ts'), thresholdsScript);
});
after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('k6 inspect accepts every profile', () => {
  const variants: Array<[string, ProfileEnv]> = [
    ['nominal', {}],
    ['scaled', { DURATION_SCALE: '0.002', VUS_SCALE: '0.01', RATE_SCALE: '0.01' }],
  ];
  const cases = profileNames.flatMap((name) => variants.map(([variant, env]) => ({ name, variant, env })));
  const results = new Map<string, Awaited<ReturnType<typeof k6Exec>>>();
  // k6 inspect starts a whole k6 per call; four at a time keeps this part to a few seconds.
  before(async () => {
    const queue = [...cases];
    const worker = async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        results.set(`${c.name}/${c.variant}`, await k6Exec(['inspect', '--execution-requirements', ...envArgs({ ...c.env, PROFILE: c.name }), script]));
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
  });

  for (const { name, variant, env } of cases) {
    it(`${name} (${variant})`, () => {
      const r = results.get(`${name}/${variant}`)!;
      assert.equal(r.code, 0, r.stderr);
      const inspected = JSON.parse(r.stdout) as { scenarios: Record<string, { executor: string; tags: Record<string, string> }>; totalDuration: string; maxVUs: number };
      const expected = describeProfile(name, env);
      assert.deepEqual(Object.keys(inspected.scenarios).sort(), expected.steps.map((s) => s.scenario).sort());
      for (const step of expected.steps) {
        assert.equal(inspected.scenarios[step.scenario]!.executor, step.shape.executor);
        assert.deepEqual(inspected.scenarios[step.scenario]!.tags, { profile: name, ...step.tags });
      }
      // k6's own arithmetic: schedule + gracefulStop, and concurrent VUs at the peak.
      assert.equal(parseDurationSeconds(inspected.totalDuration), expected.maxWallSeconds, inspected.totalDuration);
      assert.equal(inspected.maxVUs, expected.peakVUs);
    });
  }
});

interface Point {
  metric: string;
  tags: Record<string, string>;
}

async function readPoints(file: string): Promise<Point[]> {
  const out: Point[] = [];
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of lines) {
    const p = JSON.parse(line) as { type: string; metric: string; data: { tags?: Record<string, string> } };
    if (p.type === 'Point') out.push({ metric: p.metric, tags: p.data.tags ?? {} });
  }
  return out;
}

describe('scaled-down profiles run for seconds under k6', () => {
  let server: Server;
  let baseUrl: string;
  /** After this many requests the server answers 500: the "target" breaks. */
  let failAfter = Infinity;
  let served = 0;

  before(async () => {
    server = createServer((_req, res) => {
      served++;
      res.statusCode = served > failAfter ? 500 : 200;
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function run(profile: string, env: ProfileEnv, tag: string) {
    const runDir = join(dir, tag);
    mkdirSync(runDir);
    const out = join(runDir, 'k6.json.gz');
    const summary = join(runDir, 'summary.json');
    const r = await k6Exec(['run', '-q', '--out', `json=${out}`, '--summary-export', summary, ...envArgs({ ...env, PROFILE: profile, BASE_URL: baseUrl }), script]);
    return { ...r, points: await readPoints(out), summary: JSON.parse(readFileSync(summary, 'utf8')) as { metrics: Record<string, Record<string, unknown>> }, runDir };
  }

  it('smoke: a few iterations, the braces-in-tag submetric threshold is evaluated', async () => {
    failAfter = Infinity;
    const r = await run('smoke', { ITERATIONS: '3' }, 'smoke');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.summary.metrics['iterations']!['count'], 3);
    assert.deepEqual(r.summary.metrics['http_req_duration{name:GET /items/{id}}']!['thresholds'], { 'p(95)<5000': false });
    assert.ok(r.seconds < 15, `took ${r.seconds}s`);
  });

  it('concurrency-steps with PROFILE_DURATION: every level tagged, seconds long', async () => {
    failAfter = Infinity;
    const env = { CONCURRENCY_LEVELS: '1,3', PROFILE_DURATION: '2s' };
    const r = await run('concurrency-steps', env, 'concurrency');
    assert.equal(r.code, 0, r.stderr);
    const levels = new Set(r.points.filter((p) => p.metric === 'http_reqs').map((p) => `${p.tags.scenario}/${p.tags.concurrency}/${p.tags.profile}`));
    assert.deepEqual([...levels].sort(), ['concurrency-steps_1/1/concurrency-steps', 'concurrency-steps_3/3/concurrency-steps']);
    assert.ok(r.seconds < 4 + describeProfile('concurrency-steps', env).maxWallSeconds, `took ${r.seconds}s`);
  });

  it('tps-steps at 1 % rate and 0.1 % time: all five steps tagged, no dropped iterations', async () => {
    failAfter = Infinity;
    const env = { RATE_SCALE: '0.01', DURATION_SCALE: '0.001' };
    const r = await run('tps-steps', env, 'tps-steps');
    assert.equal(r.code, 0, r.stderr);
    const steps = new Set(r.points.filter((p) => p.metric === 'iterations').map((p) => p.tags.step));
    assert.deepEqual([...steps].sort(), ['baseline', 'endurance', 'scale', 'stress', 'target']);
    assert.equal(r.summary.metrics['dropped_iterations']?.['count'] ?? 0, 0);
    assert.ok(r.seconds < 5 + describeProfile('tps-steps', env).maxWallSeconds, `took ${r.seconds}s`);
  });

  it('breakpoint: a target that starts failing aborts the ramp; the breaking point is recovered', async () => {
    served = 0;
    failAfter = 30;
    const env = { RATE_SCALE: '0.01', DURATION_SCALE: '0.01' };
    const schedule = describeProfile('breakpoint', env);
    const r = await run('breakpoint', env, 'breakpoint');
    assert.equal(r.code, 99, `abortOnFail threshold stops k6 with exit 99\n${r.stderr}`);
    assert.match(r.stderr, /thresholds on metrics 'http_req_failed\{scenario:breakpoint\}'/);
    assert.ok(r.seconds < schedule.totalSeconds, `aborted after ${r.seconds}s, before the ${schedule.totalSeconds}s schedule ended`);
    // The breaking point is the CLI's figure (cli/figures/derived.ts), the one the suite and the
    // report show; it needs what run.json records: the profile and k6's exit code.
    writeFileSync(join(r.runDir, 'run.json'), JSON.stringify({ profile: 'breakpoint', exitCode: r.code }));
    const found = deriveFigures(await loadRun(r.runDir)).breakingPoint;
    assert.ok(found, 'breaking point found');
    // The ramp 0 → 10/s over 6 s has started 30 iterations after ~6 s, where it asks for 10/s; the
    // abort follows after the 1 s delayAbortEval and k6's threshold evaluation (every ~2 s), on the
    // 10 → 20/s leg. So the offered rate at the abort lies around 10/s.
    assert.ok(found.arrivalRatePerS >= 5 && found.arrivalRatePerS <= 20, JSON.stringify(found));
    assert.ok(found.atS < schedule.totalSeconds);
  });
});

describe('k6 accepts every shared SLO set as thresholds', () => {
  for (const name of Object.keys(namedThresholds)) {
    it(name, async () => {
      const r = await k6Exec(['run', '-q', '--summary-mode=disabled', '-e', `THRESHOLDS=${name}`, thresholdsScript]);
      // 0 or 99 (a threshold on a metric without samples may fail); never 104 (invalid config).
      assert.ok(r.code === 0 || r.code === 99, `exit ${r.code}\n${r.stderr}`);
      assert.doesNotMatch(r.stderr, /invalid threshold|level=error msg="(?!thresholds on metrics)/);
    });
  }
});
