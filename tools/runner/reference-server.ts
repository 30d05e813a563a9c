// Starts the reference register server as a child process, the way users start it
// (`tsx reference-server/main.ts`), for `npm start`, the suite runner and tests. Resolves once the
// reference server prints its "listening on <url>" line, so nothing ever sleeps to wait for it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ReferenceServerOptions {
  /** Extra command-line flags, e.g. ['--docket-time-ms', '200']. */
  args?: string[];
  /** Extra environment variables for the reference server process. */
  env?: Record<string, string>;
  /** Reuse a data directory (durability tests); default: a fresh temp dir removed on stop. */
  dataDir?: string;
}

export interface RunningReferenceServer {
  url: string;
  port: number;
  dataDir: string;
  process: ChildProcess;
  /** Output the reference server wrote to stderr so far (for assertions about logs). */
  stderr(): string;
  /** SIGTERM and wait for exit; removes the temp data dir unless one was given. */
  stop(): Promise<number | null>;
  /** SIGKILL (crash) and wait for exit; keeps the data dir. */
  kill(): Promise<void>;
}

export async function startLocalReferenceServer(options: ReferenceServerOptions = {}): Promise<RunningReferenceServer> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ledger-reference-server-'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(projectRoot, 'reference-server', 'main.ts'), '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, ...(options.args ?? [])],
    { cwd: projectRoot, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`the reference server exited (code ${code}) before listening:\n${stderr}`)));
  });

  return {
    url,
    port: Number(new URL(url).port),
    dataDir,
    process: child,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const code = await exited;
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

// The former names, kept so callers in tools/runner (start.ts, suite.ts, refresh-start-baseline.ts)
// and bench/k6-footprint.ts keep compiling until they switch to the names above.
