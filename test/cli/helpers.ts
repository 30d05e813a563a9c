// Shared helpers for the CLI tests: a tiny local HTTP server for k6 to hit, running k6 and
// the CLI as child processes, temp folders.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { ensureK6 } from '../../tools/install/k6.mjs';
import { projectRoot } from '../helpers/paths.ts';

export const fixtures = join(projectRoot, 'test', 'cli', 'fixtures');
/** The pinned k6 (tools/k6.mjs resolves it, building it when needed). */
export function k6Path(): string {
  return ensureK6();
}

export interface EchoServer {
  url: string;
  close(): Promise<void>;
}

/** /fast answers at once, /slow after 3 ms, /fail with 500. */
export async function startEchoServer(): Promise<EchoServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const reply = () => {
      res.statusCode = path === '/fail' ? 500 : 200;
      res.end('{"ok":true}');
    };
    if (path === '/slow') setTimeout(reply, 3);
    else reply();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface ProcResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], env: Record<string, string> = {}, cwd = projectRoot): Promise<ProcResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function cli(args: string[], cwd = projectRoot): Promise<ProcResult> {
  return run(process.execPath, [join(projectRoot, 'cli', 'bin.mjs'), ...args], { NO_COLOR: '1' }, cwd);
}

/** Runs the fixture script with k6 into runDir (k6.json.gz + summary.json). */
export async function runK6Fixture(runDir: string, baseUrl: string, extraArgs: string[] = [], env: Record<string, string> = {}): Promise<ProcResult> {
  const args = [
    'run',
    '--quiet',
    '--no-usage-report',
    '-e',
    `BASE_URL=${baseUrl}`,
    ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    '--out',
    `json=${join(runDir, 'k6.json.gz')}`,
    '--summary-export',
    join(runDir, 'summary.json'),
    '--summary-trend-stats',
    'min,med,avg,max,p(90),p(95),p(99)',
    ...extraArgs,
    join(fixtures, 'echo-target.js'),
  ];
  return run(k6Path(), args, { K6_NO_USAGE_REPORT: 'true' });
}

export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), `ledger-cli-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Asserts that a report.json object validates against cli/report/report.schema.json. */
export function assertValidReport(report: unknown): void {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(join(projectRoot, 'cli', 'report', 'report.schema.json'), 'utf8')));
  assert.ok(validate(report), JSON.stringify(validate.errors, null, 1));
}
