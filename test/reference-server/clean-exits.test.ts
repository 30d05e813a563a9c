// Temporary databases (unencrypted wallet keys) never outlive the process that made them:
// removed on SIGINT, SIGTERM and crash of the runner, swept at the next start after kill -9;
// `npm run target` passes signals on and leaves no orphan holding the port. The k6 process
// never receives the server's JWT secret.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
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
