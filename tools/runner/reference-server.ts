// Starts the reference register server as a child process, the way users start it
// (`tsx reference-server/main.ts`), for `npm start`, the suite runner and tests. Resolves once the
// reference server prints its "listening on <url>" line, so nothing ever sleeps to wait for it.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

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

const TEMP_PREFIX = 'ledger-reference-server-';
const OWNER_FILE = 'owner.pid';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temp databases left by runners that died without cleaning up (kill -9, power loss):
 * they hold unencrypted wallet keys. A folder is stale when the runner pid it names is gone.
 */
export function sweepStaleTempDirs(root = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(root).filter((n) => n.startsWith(TEMP_PREFIX));
  } catch {
    return removed;
  }
  for (const name of names) {
    const dir = join(root, name);
    let owner: number;
    try {
      owner = Number(readFileSync(join(dir, OWNER_FILE), 'utf8'));
    } catch {
      continue; // not ours to judge (no owner file, or not readable)
    }
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && !alive(owner)) {
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    }
  }
  return removed;
}

/** Servers this process started and their temp folders, cleaned up however the process ends. */
const live = new Set<{ child: ChildProcess; tempDir: string | undefined }>();

function cleanUpNow(): void {
  for (const entry of live) {
    if (entry.child.exitCode === null && entry.child.signalCode === null) entry.child.kill('SIGKILL');
    if (entry.tempDir) rmSync(entry.tempDir, { recursive: true, force: true });
  }
  live.clear();
}

let handlersInstalled = false;
function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // 'exit' also runs after an uncaught exception; kill -9 of this process is covered by the
  // server leaving when its stdin closes (main.ts --exit-with-parent) and by the next sweep.
  process.once('exit', cleanUpNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      cleanUpNow();
      // Someone else listens (e.g. npm start stops its run): let them finish. Otherwise end the
      // way the signal would have ended this process.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.once(signal, onSignal);
  }
}

export async function startLocalReferenceServer(options: ReferenceServerOptions = {}): Promise<RunningReferenceServer> {
  const ownDir = options.dataDir === undefined;
  sweepStaleTempDirs();
  // mkdtemp creates the folder 0700: the database in it holds wallet keys.
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), TEMP_PREFIX));
  if (ownDir) writeFileSync(join(dataDir, OWNER_FILE), String(process.pid), { mode: 0o600 });
  installExitHandlers();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(projectRoot, 'reference-server', 'main.ts'), '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, '--exit-with-parent', ...(options.args ?? [])],
    { cwd: projectRoot, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const entry = { child, tempDir: ownDir ? dataDir : undefined };
  live.add(entry);
  child.once('exit', () => {
    if (!ownDir) live.delete(entry);
  });
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
      live.delete(entry);
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
