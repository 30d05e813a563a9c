// What issue 12 promises of the two commands people run, end to end: an `npm start` run folder
// holds dashboard.html and resources.csv (with the report's memory growth figure from it), and
// LIVE_DASHBOARD serves k6's dashboard during `npm start` and during a suite, each printing its
// URL. Real k6, the real start job shortened to seconds (PROFILE_DURATION), the reference server
// each command starts itself; every folder goes to a temp dir.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readRunResources } from '../../cli/figures/resources.ts';
import { freeLoopbackPort } from '../../tools/runner/progress.ts';
import { projectRoot } from '../helpers/paths.ts';
import { poll } from './prometheus.ts';

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The live dashboard page, fetched while the command ran; undefined when it never answered. */
  served: string | undefined;
}

/** Runs a runner entry point (tools/runner/<script>) with LIVE_DASHBOARD on `port`. */
function runWithLiveDashboard(script: string, args: string[], env: Record<string, string>, port: number): Promise<Ran> {
  // As a user runs it: no K6_WEB_DASHBOARD override from the test's environment.
  const { K6_WEB_DASHBOARD: _override, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'tools', 'runner', script), ...args], {
    cwd: projectRoot,
    env: { ...inherited, BASE_URL: '', LIVE_DASHBOARD: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let served: string | undefined;
  let ended = false;
  let polling: Promise<unknown> | undefined;
  // Once the URL is printed, ask for the page until it answers or the command ends: it must be
  // served while the run lasts, not only promised.
  const onOutput = () => {
    if (polling || !stdout.includes(`live k6 dashboard: http://127.0.0.1:${port}`)) return;
    polling = poll(
      'the live dashboard',
      async () => {
        if (ended) return false;
        const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
        if (res.status !== 200) return undefined;
        served = await res.text();
        return true;
      },
      600,
      50,
    ).catch(() => undefined);
  };
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    onOutput();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('close', async (code) => {
      ended = true;
      await polling;
      done({ code, stdout, stderr, served });
    });
  });
}

describe('run folders of npm start and the suite', { timeout: 300_000 }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-run-files-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('npm start: the run folder has dashboard.html and resources.csv, and LIVE_DASHBOARD serves the dashboard while it runs and prints its URL', async () => {
    const port = await freeLoopbackPort();
    const shipped = join(dir, 'shipped');
    mkdirSync(shipped);
    const r = await runWithLiveDashboard(
      'start.ts',
      [],
      {
        PROFILE_DURATION: '6s',
        START_REPORTS_DIR: join(dir, 'start-reports'),
        START_LOCAL_BASELINES: join(dir, 'local-baselines'),
        START_SHIPPED_BASELINES: shipped,
        START_BASELINE: '',
      },
      port,
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`▶ live k6 dashboard: http://127\\.0\\.0\\.1:${port} \\(while the run lasts\\)`));
    assert.match(r.served ?? '', /<html/i, `the live dashboard at 127.0.0.1:${port} never answered during npm start`);

    const folder = /▶ run folder: (.+)\/\n/.exec(r.stdout);
    assert.ok(folder, `npm start printed no run folder:\n${r.stdout}`);
    const runDir = resolve(projectRoot, folder[1]!);
    const dashboard = join(runDir, 'dashboard.html');
    assert.ok(existsSync(dashboard), `no dashboard.html in ${runDir}: ${readdirSync(runDir).join(', ')}`);
    assert.match(readFileSync(dashboard, 'utf8').slice(0, 2000), /<html/i);

    const resources = readRunResources(runDir);
    assert.ok(resources, `no resources.csv in ${runDir}: ${readdirSync(runDir).join(', ')}`);
    // Sampled every 2 s over a run of about 6 s plus set-up: enough for the growth rate.
    assert.ok(resources.samples >= 3, `${resources.samples} samples`);
    assert.notEqual(resources.memoryGrowthMBPerS, null, resources.detail);
    assert.ok(resources.rssMaxBytes! > 10e6, `a Node server's RSS is above 10 MB, got ${resources.rssMaxBytes}`);
    // The report npm start wrote gives the growth rate read from that file.
    const md = readFileSync(join(runDir, 'report.md'), 'utf8');
    assert.match(md, /Server memory growth: -?\d+\.\d{3} MB\/s \(least-squares slope of RSS over \d+ samples/);
  });

  it('the suite: LIVE_DASHBOARD serves the dashboard during its runs and prints the URL; each run folder has dashboard.html and resources.csv', async () => {
    const port = await freeLoopbackPort();
    const plan = join(dir, 'watched.json');
    writeFileSync(plan, JSON.stringify({ name: 'watched', runs: [{ workload: 'mixed-workload', profile: 'average', env: { PROFILE_DURATION: '4s', VUS_SCALE: '0.04' } }] }));
    const out = join(dir, 'suite-reports');
    const r = await runWithLiveDashboard('suite.ts', [plan, '--out-dir', out, '--stop-on-failure'], {}, port);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`▶ live k6 dashboard: http://127\\.0\\.0\\.1:${port}`));
    assert.match(r.served ?? '', /<html/i, `the live dashboard at 127.0.0.1:${port} never answered during the suite`);
    const [suiteDir] = readdirSync(out);
    const runDir = join(out, suiteDir!, '01-mixed-workload-average');
    assert.ok(existsSync(join(runDir, 'dashboard.html')), `no dashboard.html in ${runDir}: ${readdirSync(runDir).join(', ')}`);
    assert.ok(readRunResources(runDir)?.samples, `no sampled resources.csv in ${runDir}`);
  });
});
