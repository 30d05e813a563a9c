// Live progress of a run: figures read from the real k6's REST API while it runs, shown as one
// rewritten line on a terminal and as one line per interval otherwise.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ensureK6 } from '../../tools/install/k6.mjs';
import { formatProgress, type LiveReading, liveFiguresFrom, type ProgressStream, prepareProgress } from '../../tools/runner/progress.ts';
import { startEchoServer, tempDir } from '../cli/helpers.ts';

// Bounded by time and iterations; the test stops it as soon as progress has shown live figures.
const SCRIPT = `
import http from 'k6/http';
export const options = { scenarios: { steady: { executor: 'shared-iterations', vus: 1, iterations: 200000, maxDuration: '60s' } } };
export default function () { http.get(__ENV.URL + (__ITER % 10 === 0 ? '/fail' : '/fast')); }
`;

class Capture implements ProgressStream {
  chunks: string[] = [];
  constructor(readonly isTTY: boolean) {}
  write(text: string): boolean {
    this.chunks.push(text);
    return true;
  }
}

/** Runs the script under real k6 with progress until the first reading with requests. */
async function runWithProgress(stream: Capture): Promise<LiveReading> {
  const tmp = tempDir('progress');
  const echo = await startEchoServer();
  try {
    const script = join(tmp.dir, 'steady.js');
    writeFileSync(script, SCRIPT);
    let seen!: (r: LiveReading) => void;
    const firstReading = new Promise<LiveReading>((resolve) => (seen = resolve));
    const progress = await prepareProgress({ index: 2, total: 3, stream, intervalMs: 200, onReading: (r) => r.requests > 0 && seen(r) }, 'steady', 'smoke', { ITERATIONS: '1' });
    const k6 = spawn(ensureK6(), ['run', '--quiet', ...progress.k6Args, '-e', `URL=${echo.url}`, script], { stdio: 'ignore', env: { ...process.env, K6_NO_USAGE_REPORT: 'true' } });
    const exited = new Promise<number | null>((resolve) => k6.once('close', resolve));
    progress.start();
    const reading = await Promise.race([firstReading, exited.then((code) => Promise.reject(new Error(`k6 exited (${code}) before progress read any figures`)))]);
    k6.kill('SIGINT');
    await exited;
    progress.stop();
    return reading;
  } finally {
    await echo.close();
    tmp.cleanup();
  }
}

describe('run progress', () => {
  it('reads live req/s, p95 and error rate from real k6 and prints one line per reading when not a terminal', async () => {
    const stream = new Capture(false);
    const reading = await runWithProgress(stream);
    assert.ok(reading.requestRate > 0, reading.line);
    assert.ok(reading.p95Ms !== undefined && reading.p95Ms >= 0, reading.line);
    // Every 10th request fails: the error rate k6 reports is near 10 %.
    assert.ok(reading.errorRate !== undefined && reading.errorRate > 0.05 && reading.errorRate < 0.15, reading.line);
    assert.match(reading.line, /^\[2\/3\] steady × smoke: \d\d:\d\d of \d\d:\d\d \(.+\), \d+\.\d req\/s, p95 \d+\.\d ms, errors \d+\.\d\d %$/);
    assert.ok(stream.chunks.length >= 1);
    for (const chunk of stream.chunks) assert.ok(chunk.endsWith('\n') && !chunk.includes('\r'), JSON.stringify(chunk));
  });

  it('on a terminal rewrites one line in place and clears it at the end', async () => {
    const stream = new Capture(true);
    await runWithProgress(stream);
    assert.ok(stream.chunks.length >= 2);
    for (const chunk of stream.chunks) assert.ok(chunk.startsWith('\r\x1b[2K') && !chunk.includes('\n'), JSON.stringify(chunk));
    assert.equal(stream.chunks.at(-1), '\r\x1b[2K');
  });

  it('says how much of the profile is left, and when a run overruns it', () => {
    const base = { index: 1, total: 9, label: 'throughput × tps-baseline', profileSeconds: 3725, requestRate: 12.34, p95Ms: 4.56, errorRate: 0.0123 };
    assert.equal(formatProgress({ ...base, elapsedSeconds: 125 }), '[1/9] throughput × tps-baseline: 00:02:05 of 01:02:05 (01:00:00 left), 12.3 req/s, p95 4.6 ms, errors 1.23 %');
    assert.match(formatProgress({ ...base, profileSeconds: 10, elapsedSeconds: 14 }), /00:14 of 00:10 \(00:04 over: graceful stop or set-up\)/);
    assert.match(formatProgress({ index: 1, total: 1, label: 'x', elapsedSeconds: 1, profileSeconds: 5 }), /waiting for k6$/);
  });

  it('takes its figures from the metrics k6 names http_reqs, http_req_duration and http_req_failed', () => {
    const doc: Parameters<typeof liveFiguresFrom>[0] = {
      data: [
        { id: 'http_reqs', attributes: { sample: { count: 7, rate: 1 } } },
        { id: 'http_req_duration', attributes: { sample: { 'p(95)': 3.5 } } },
        { id: 'http_req_failed', attributes: { sample: { rate: 0.25 } } },
      ],
    };
    assert.deepEqual(liveFiguresFrom(doc), { requests: 7, p95Ms: 3.5, errorRate: 0.25 });
    assert.deepEqual(liveFiguresFrom({}), { requests: 0, p95Ms: undefined, errorRate: undefined });
  });
});
