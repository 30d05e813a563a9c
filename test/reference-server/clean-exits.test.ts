// Temporary databases (unencrypted wallet keys) never outlive the process that made them:
// removed on SIGINT, SIGTERM and crash of the runner (and on Ctrl-C of a real suite), swept at the next start after kill -9;
// `npm run target` passes signals on and leaves no orphan holding the port. The k6 process
// never receives the server's JWT secret.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { sweepStaleTempDirs } from '../../tools/runner/reference-server.ts';
import { k6ProcessEnv } from '../../tools/runner/run-workload.ts';
import { eventually } from '../helpers/eventually.ts';
import { projectRoot } from '../helpers/paths.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

async function startHolder(mode = ''): Promise<{ child: ReturnType<typeof spawn>; info: { dataDir: string; pid: number; url: string }; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'test', 'reference-server', 'fixtures', 'hold-server.ts'), mode], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    void exited.then((code) => reject(new Error(`holder exited ${code}`)));
  });
  return { child, info: JSON.parse(line) as { dataDir: string; pid: number; url: string }, exited };
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} to a runner: its reference server stops and the temp database is removed`, async () => {
    const { child, info, exited } = await startHolder();
    assert.equal(statSync(info.dataDir).mode & 0o777, 0o700, 'the temp folder is private');
    child.kill(signal);
    await exited;
    await eventually('server gone', async () => (alive(info.pid) ? undefined : true));
    assert.equal(existsSync(info.dataDir), false, `${info.dataDir} removed`);
  });
}

test('a runner that crashes (uncaught exception): the temp database is removed, the server stops', async () => {
  const { info, exited } = await startHolder('crash');
  assert.notEqual(await exited, 0);
  await eventually('server gone', async () => (alive(info.pid) ? undefined : true));
  assert.equal(existsSync(info.dataDir), false);
});

test('kill -9 of a runner: the server leaves with it (stdin closes), the next start sweeps the folder', async () => {
  const { child, info, exited } = await startHolder();
  child.kill('SIGKILL');
  await exited;
  await eventually('server gone after its parent', async () => (alive(info.pid) ? undefined : true));
  assert.equal(existsSync(info.dataDir), true, 'nothing could clean up after kill -9');
  const removed = sweepStaleTempDirs();
  assert.ok(removed.includes(info.dataDir), `swept: ${removed.join(', ')}`);
  assert.equal(existsSync(info.dataDir), false);
});

test('the sweep leaves folders of live owners and folders without an owner file alone', () => {
  const foreign = mkdtempSync(join(tmpdir(), 'ledger-reference-server-'));
  assert.deepEqual(
    sweepStaleTempDirs().filter((d) => d === foreign),
    [],
  );
  assert.ok(existsSync(foreign));
});

/** Pids whose parent is `pid`, with their command names (from /proc, Linux). */
function childrenOf(pid: number): { pid: number; comm: string }[] {
  const out: { pid: number; comm: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid ...": comm may hold spaces, so split after the last ')'.
    const close = stat.lastIndexOf(')');
    const ppid = Number(stat.slice(close + 2).split(' ')[1]);
    if (ppid === pid) out.push({ pid: Number(name), comm: stat.slice(stat.indexOf('(') + 1, close) });
  }
  return out;
}

test('Ctrl-C of a real suite while k6 runs: k6 and the server end, the temp database is removed', { timeout: 120_000 }, async () => {
  // Its own temp root, so the folder found is this suite's and nothing else's.
  const tmp = mkdtempSync(join(tmpdir(), 'ledger-ctrl-c-'));
  try {
    // A process group of its own: a terminal's Ctrl-C signals the whole foreground group.
    const suite = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'tools', 'runner', 'suite.ts'), 'quick', '--out-dir', join(tmp, 'reports')], {
      cwd: projectRoot,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, TMPDIR: tmp, K6_WEB_DASHBOARD: 'false' },
    });
    let stderr = '';
    suite.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => suite.once('exit', (code) => resolve(code)));
    const pid = suite.pid!;
    const dataDir = await eventually(
      "the suite's temp database",
      async () => {
        for (const n of readdirSync(tmp).filter((n) => n.startsWith('ledger-reference-server-'))) {
          const owner = join(tmp, n, 'owner.pid');
          if (existsSync(owner) && Number(readFileSync(owner, 'utf8')) === pid) return join(tmp, n);
        }
        return undefined;
      },
      60_000,
    );
    const children = await eventually(
      'k6 running under the suite',
      async () => {
        const c = childrenOf(pid);
        return c.some((p) => p.comm === 'k6') ? c : undefined;
      },
      60_000,
    );
    assert.ok(existsSync(join(dataDir, 'owner.pid')));
    process.kill(-pid, 'SIGINT');
    const code = await exited;
    assert.notEqual(code, 0, 'an interrupted suite does not report success');
    for (const c of children) await eventually(`${c.comm} (${c.pid}) gone`, async () => (alive(c.pid) ? undefined : true));
    await eventually('temp database removed', async () => (existsSync(dataDir) ? undefined : true));
    assert.doesNotMatch(stderr, /this is a bug|\n\s+at /, stderr);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('npm run target: SIGTERM to npm stops the server (no orphan on the port) and removes its temp folder', { timeout: 60_000 }, async () => {
  const npm = spawn('npm', ['run', '--silent', 'target', '--', '--port', '0'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  npm.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve) => {
    createInterface({ input: npm.stdout! }).on('line', (line) => {
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) resolve(m[1]!);
    });
  });
  const port = Number(new URL(url).port);
  const dataDir = await eventually('data dir logged', async () => /data dir (\S+);/.exec(stderr)?.[1]);
  assert.ok(existsSync(dataDir));
  npm.kill('SIGTERM');
  await exited;
  await eventually('port released', async () => ((await portOpen(port)) ? undefined : true));
  await eventually('temp folder removed', async () => (existsSync(dataDir) ? undefined : true));
});

test("k6's environment: no secret-named variable except ADMIN_PASSWORD and K6_*", () => {
  const env = k6ProcessEnv({
    PATH: '/bin',
    TARGET_JWT_SECRET: 'x'.repeat(40),
    REFERENCE_SERVER_JWT_SECRET: 'y'.repeat(40),
    AWS_SECRET_ACCESS_KEY: 'k',
    ADMIN_PASSWORD: 'Pw!12345a',
    K6_CLOUD_TOKEN: 't',
    PROFILE: 'smoke',
  });
  assert.deepEqual(Object.keys(env).sort(), ['ADMIN_PASSWORD', 'K6_CLOUD_TOKEN', 'PATH', 'PROFILE']);
});
