// The breaking point of a long-iteration run under real k6: the reference server answers every
// /api request after 3.5 s (--fault-latency-ms), k6 offers 5 and then 20 iterations/s from a pool
// of 50 VUs (~14/s deliverable). The CLI's breaking point (cli/figures/breaking-point.ts, via
// `ledger-perf report`) must be within 10 % of the true offered rate at the first break, which
// this test computes on its own from the schedule and k6's raw points.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Report } from '../../cli/report/report-types.ts';
import { bundleK6Script } from '../../tools/build/bundle-k6.ts';
import { ensureK6 } from '../../tools/install/k6.mjs';
import { type RunningReferenceServer, startLocalReferenceServer } from '../../tools/runner/reference-server.ts';
import { cli } from '../cli/helpers.ts';
import { projectRoot } from '../helpers/paths.ts';
import { LONG_ITERATION_STAGES, scheduledRate } from './fixtures/long-iterations-schedule.ts';

const LATENCY_MS = 3500;

interface Point {
  metric: string;
  timeMs: number;
  value: number;
}

function rawPoints(file: string): Point[] {
  const out: Point[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('{"metric"')) continue;
    const j = JSON.parse(line) as { metric: string; type: string; data: { time: string; value: number } };
    if (j.type === 'Point') out.push({ metric: j.metric, timeMs: Date.parse(j.data.time), value: j.data.value });
  }
  return out;
}

describe('breaking point of a long-iteration run (real k6, reference server with 3.5 s latency)', () => {
  let server: RunningReferenceServer;
  let dir: string;
  let points: Point[];
  /** Epoch ms at which the scenario's schedule started: the earliest iteration start. */
  let scheduleStart: number;

  async function reportWith(slos: object[]): Promise<Report> {
    writeFileSync(join(dir, 'thresholds.json'), JSON.stringify({ name: 'breaking-point-test', slos }));
    const r = await cli(['report', dir, '--quiet']);
    assert.ok(r.code === 0 || r.code === 1, `report ran: exit ${r.code}\n${r.stderr}`);
    return JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
  }

  before(async () => {
    server = await startLocalReferenceServer({ args: ['--fault-latency-ms', String(LATENCY_MS)] });
    dir = mkdtempSync(join(tmpdir(), 'ledger-breaking-point-'));
    const script = await bundleK6Script(join(projectRoot, 'test/scenarios/fixtures/long-iterations.ts'), join(dir, 'long-iterations.js'));
    // The schedule bounds the run (16.5 s plus at most the 10 s graceful stop); nothing else is awaited.
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(ensureK6(), ['run', '--quiet', '--no-usage-report', '-e', `BASE_URL=${server.url}`, '--out', `json=${join(dir, 'k6.json')}`, script], {
        env: { ...process.env, K6_NO_USAGE_REPORT: 'true' },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      child.once('error', reject);
      child.once('close', resolve);
    });
    assert.equal(code, 0);
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ profile: 'long-iterations', exitCode: code }));
    points = rawPoints(join(dir, 'k6.json'));
    scheduleStart = Math.min(...points.filter((p) => p.metric === 'iteration_duration').map((p) => p.timeMs - p.value));
  });
  after(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the pool runs out: k6 drops iterations and delivers ~14/s, less than the 20/s offered', (t) => {
    const drops = points.filter((p) => p.metric === 'dropped_iterations');
    assert.ok(drops.length > 0, '50 VUs of 3.5 s iterations cannot start 20 iterations/s');
    const durations = points.filter((p) => p.metric === 'iteration_duration');
    // A few ms of slack: the server's timer runs on libuv's cached loop time, which can fire it
    // slightly early by k6's clock.
    const shortest = Math.min(...durations.map((p) => p.value));
    assert.ok(shortest >= LATENCY_MS - 50, `every iteration waited for the injected latency (shortest ${shortest} ms)`);
    // Once the pool is out, an iteration starts only as another ends: over one iteration
    // duration every VU ends and restarts once, 50 starts per 3.5 s (~14/s) against 20/s offered.
    const firstDrop = Math.min(...drops.map((p) => p.timeMs));
    const scheduleEnd = scheduleStart + LONG_ITERATION_STAGES.stages.reduce((a, s) => a + s.seconds, 0) * 1000;
    assert.ok(firstDrop + LATENCY_MS <= scheduleEnd, 'the schedule holds 20/s for an iteration duration after the pool runs out');
    const startedAfter = durations.filter((p) => p.timeMs - p.value >= firstDrop && p.timeMs - p.value < firstDrop + LATENCY_MS).length / (LATENCY_MS / 1000);
    assert.ok(startedAfter > 12 && startedAfter < 16, `delivered ${startedAfter.toFixed(1)}/s with the pool exhausted`);
    t.diagnostic(`delivered ${startedAfter.toFixed(1)}/s with the pool exhausted, 20/s offered`);
  });

  it('latency SLOs that hold: the first dropped iteration is the break, at the offered 20/s', async (t) => {
    const report = await reportWith([
      { id: 'p95', metric: 'http_req_duration', aggregation: 'p(95)', operator: '<', fail: 10_000 },
      { id: 'errors', metric: 'http_req_failed', aggregation: 'rate', operator: '<', fail: 0.05 },
    ]);
    const bp = report.derived.breakingPoint;
    assert.ok(bp, 'a breaking point');
    assert.equal(bp.cause, 'dropped', bp.reason);
    const firstDrop = Math.min(...points.filter((p) => p.metric === 'dropped_iterations').map((p) => p.timeMs));
    const truth = scheduledRate((firstDrop - scheduleStart) / 1000);
    assert.ok(truth > 15, `the pool runs out after the step to 20/s (offered ${truth}/s then)`);
    t.diagnostic(`breaking point ${bp.arrivalRatePerS.toFixed(2)}/s, offered ${truth.toFixed(2)}/s at the first drop`);
    assert.ok(Math.abs(bp.arrivalRatePerS - truth) / truth <= 0.1, `breaking point ${bp.arrivalRatePerS.toFixed(2)}/s vs offered ${truth.toFixed(2)}/s at the first drop: ${bp.reason}`);
  });

  it('a latency SLO the 3.5 s answers break: the break comes first, at the offered 5/s', async (t) => {
    const report = await reportWith([{ id: 'p95', metric: 'http_req_duration', aggregation: 'p(95)', operator: '<', fail: 1000 }]);
    const bp = report.derived.breakingPoint;
    assert.ok(bp, 'a breaking point');
    assert.equal(bp.cause, 'slo', bp.reason);
    // Every answer is over the level; a window is judged once it holds ten answers, ~2 s after
    // the first, while the schedule still offers 5/s (the step comes 9 s in).
    const firstSlow = Math.min(...points.filter((p) => p.metric === 'http_req_duration' && p.value > 1000).map((p) => p.timeMs));
    const truth = scheduledRate((firstSlow - scheduleStart) / 1000);
    t.diagnostic(`breaking point ${bp.arrivalRatePerS.toFixed(2)}/s, offered ${truth.toFixed(2)}/s at the first slow answer`);
    assert.ok(Math.abs(bp.arrivalRatePerS - truth) / truth <= 0.1, `breaking point ${bp.arrivalRatePerS.toFixed(2)}/s vs offered ${truth.toFixed(2)}/s at the first slow answer: ${bp.reason}`);
    assert.equal(report.sloVerdict, 'fail');
  });
});
