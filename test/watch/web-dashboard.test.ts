// k6's web dashboard in runner runs: exported as dashboard.html also for a run of a second or
// two, served live on loopback with LIVE_DASHBOARD (its URL printed), and the export renders in
// headless Chromium (the tooling that makes docs/images/dashboard.png).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freeLoopbackPort } from '../../tools/runner/progress.ts';
import { runWorkload } from '../../tools/runner/run-workload.ts';
import { basePeriod, DEFAULT_LIVE_PORT, LONG_RUN_PERIOD, liveDashboardPort, SHORT_RUN_PERIOD } from '../../tools/runner/web-dashboard.ts';
import { type RunningReferenceServer, startReferenceServer } from '../helpers/reference-server.ts';
import { poll } from './prometheus.ts';
import { pngSize, screenshot } from './screenshot.ts';

describe('web dashboard settings', () => {
  it('LIVE_DASHBOARD: off by default, 1/true = port 5665, a port number, anything else a clear error', () => {
    for (const off of [undefined, '', '0', 'false']) assert.equal(liveDashboardPort({ LIVE_DASHBOARD: off }), undefined);
    assert.equal(liveDashboardPort({ LIVE_DASHBOARD: '1' }), DEFAULT_LIVE_PORT);
    assert.equal(liveDashboardPort({ LIVE_DASHBOARD: 'true' }), DEFAULT_LIVE_PORT);
    assert.equal(liveDashboardPort({ LIVE_DASHBOARD: '6001' }), 6001);
    for (const bad of ['yes', '80', '70000', '12.5']) assert.throws(() => liveDashboardPort({ LIVE_DASHBOARD: bad }), /LIVE_DASHBOARD=.* is not valid\. Fix:/);
  });

  it('short or iteration-bound runs get a sub-second snapshot period, long ones 1 s', () => {
    assert.equal(basePeriod('smoke', {}), SHORT_RUN_PERIOD);
    assert.equal(basePeriod('average', { PROFILE_DURATION: '10s' }), SHORT_RUN_PERIOD);
    assert.equal(basePeriod('average', { PROFILE_DURATION: '60s' }), LONG_RUN_PERIOD);
  });
});

describe('web dashboard in real runs', () => {
  let target: RunningReferenceServer;
  let dir: string;
  before(async () => {
    target = await startReferenceServer();
    dir = mkdtempSync(join(tmpdir(), 'ledger-dashboard-'));
  });
  after(async () => {
    await target?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('LIVE_DASHBOARD serves the dashboard on loopback during the run, prints its URL, and still exports dashboard.html', async () => {
    const port = await freeLoopbackPort();
    const printed: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.env.LIVE_DASHBOARD = String(port);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      printed.push(String(chunk));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
    let served: string | undefined;
    try {
      const run = runWorkload({ workload: 'mixed-workload', profile: 'smoke', baseUrl: target.url, outDir: dir, quiet: true, env: { THINK_TIME: '0.5' } });
      served = await poll(
        'the live dashboard',
        async () => {
          const res = await fetch(`http://127.0.0.1:${port}/`);
          return res.status === 200 ? await res.text() : undefined;
        },
        200,
        50,
      );
      const { exitCode, runDir } = await run;
      assert.equal(exitCode, 0, readFileSync(join(runDir, 'k6.log'), 'utf8'));
      assert.ok(existsSync(join(runDir, 'dashboard.html')));
    } finally {
      delete process.env.LIVE_DASHBOARD;
      process.stdout.write = write;
    }
    assert.match(served!, /<html/i);
    assert.ok(
      printed.some((l) => l.includes(`live k6 dashboard: http://127.0.0.1:${port}`)),
      `URL not printed: ${printed.join('')}`,
    );
  });

  it('a run of a second or two exports dashboard.html, and it renders in headless Chromium', async () => {
    const { exitCode, runDir } = await runWorkload({ workload: 'mixed-workload', profile: 'smoke', baseUrl: target.url, outDir: dir, quiet: true, env: { THINK_TIME: '0.2' } });
    assert.equal(exitCode, 0);
    const html = join(runDir, 'dashboard.html');
    assert.ok(existsSync(html), 'no dashboard.html for a short run');
    const png = join(dir, 'dashboard.png');
    screenshot(html, png, 1000, 800);
    const size = pngSize(readFileSync(png));
    assert.deepEqual(size, { width: 1000, height: 800 });
    // A blank page compresses to almost nothing; the rendered charts do not.
    assert.ok(readFileSync(png).length > 20_000, 'the screenshot looks blank');
  });

  it('the README screenshot exists and is a PNG made from such a page', () => {
    const file = join(import.meta.dirname, '..', '..', 'docs', 'images', 'dashboard.png');
    assert.ok(existsSync(file), 'docs/images/dashboard.png is missing: npm run docs:screenshot');
    const { width, height } = pngSize(readFileSync(file));
    assert.ok(width >= 800 && height >= 400);
  });
});
