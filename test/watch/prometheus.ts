// Debian's real Prometheus (2.42) for the watching tests: started on a loopback port with the
// repo's config, storage in a temp dir, remote-write receiver and native histograms on.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from '../../tools/runner/progress.ts';

export const PROMETHEUS_INSTALL = 'apt-get update && apt-get install -y prometheus';

/** The prometheus binary on PATH; throws (never skips) with the install command when it is missing. */
export function prometheusBinary(): string {
  const found = spawnSync('sh', ['-c', 'command -v prometheus'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || path === '') {
    throw new Error(`prometheus is not installed; these tests run the real one. Install it: ${PROMETHEUS_INSTALL} (.ci/run does this on a bare machine)`);
  }
  return path;
}

export function prometheusVersion(): string {
  const r = spawnSync(prometheusBinary(), ['--version'], { encoding: 'utf8' });
  const m = /version (\d+\.\d+\.\d+)/.exec(r.stdout + r.stderr);
  if (!m) throw new Error(`cannot read the version of ${prometheusBinary()}: ${r.stdout}${r.stderr}`);
  return m[1]!;
}

/** Calls `probe` up to `attempts` times, `intervalMs` apart, until it returns a value. */
export async function poll<T>(what: string, probe: () => Promise<T | undefined>, attempts = 100, intervalMs = 200): Promise<T> {
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`gave up waiting for ${what} after ${attempts} attempts${lastError ? ` (last error: ${String(lastError)})` : ''}`);
}

export interface VectorSample {
  metric: Record<string, string>;
  value?: [number, string];
  histogram?: [number, NativeHistogram];
}
export interface MatrixSeries {
  metric: Record<string, string>;
  values?: Array<[number, string]>;
  histograms?: Array<[number, NativeHistogram]>;
}
/** Prometheus' JSON for a native histogram: buckets are [boundaryRule, lower, upper, count]. */
export interface NativeHistogram {
  count: string;
  sum: string;
  buckets?: Array<[number, string, string, string]>;
}

export interface RunningPrometheus {
  url: string;
  remoteWriteUrl: string;
  dir: string;
  log(): string;
  query(expr: string, timeS?: number): Promise<VectorSample[]>;
  queryRange(expr: string, startS: number, endS: number, stepS: number): Promise<MatrixSeries[]>;
  labelValues(label: string, match: string, startS: number, endS: number): Promise<string[]>;
  stop(): Promise<void>;
}

async function api<T>(url: string): Promise<T> {
  const res = await fetch(url);
  const body = (await res.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`Prometheus ${url}: ${body.error ?? res.status}`);
  return body.data;
}

/** Starts Prometheus with `configYaml` (already adapted to the test's targets). */
export async function startPrometheus(configYaml: string): Promise<RunningPrometheus> {
  const binary = prometheusBinary();
  const dir = mkdtempSync(join(tmpdir(), 'ledger-prometheus-'));
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, configYaml);
  const check = spawnSync(binary.replace(/prometheus$/, 'promtool'), ['check', 'config', configFile], { encoding: 'utf8' });
  if (check.error === undefined && check.status !== 0) throw new Error(`promtool rejects the config:\n${check.stdout}${check.stderr}`);

  let child: ChildProcess | undefined;
  let output = '';
  let url = '';
  // A port picked free can be taken before Prometheus binds it: a few tries, each bounded.
  for (let attempt = 0; attempt < 3 && !url; attempt++) {
    const port = await freeLoopbackPort();
    output = '';
    const proc = spawn(
      binary,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--web.enable-remote-write-receiver',
        '--enable-feature=native-histograms',
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    proc.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
    proc.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    const candidate = `http://127.0.0.1:${port}`;
    try {
      await poll(
        'Prometheus /-/ready',
        async () => {
          if (proc.exitCode !== null) throw new Error(`prometheus exited (${proc.exitCode}):\n${output}`);
          const res = await fetch(`${candidate}/-/ready`);
          return res.status === 200 ? true : undefined;
        },
        150,
        100,
      );
      url = candidate;
      child = proc;
    } catch (err) {
      proc.kill('SIGKILL');
      await exited;
      if (attempt === 2) {
        rmSync(dir, { recursive: true, force: true });
        throw err;
      }
    }
  }
  const proc = child!;
  const exited = new Promise<void>((r) => (proc.exitCode !== null ? r() : proc.once('exit', () => r())));

  return {
    url,
    remoteWriteUrl: `${url}/api/v1/write`,
    dir,
    log: () => output,
    query: (expr, timeS) =>
      api<{ result: VectorSample[] }>(`${url}/api/v1/query?${new URLSearchParams({ query: expr, ...(timeS !== undefined ? { time: String(timeS) } : {}) })}`).then((d) => d.result),
    queryRange: (expr, startS, endS, stepS) =>
      api<{ result: MatrixSeries[] }>(`${url}/api/v1/query_range?${new URLSearchParams({ query: expr, start: String(startS), end: String(endS), step: String(stepS) })}`).then((d) => d.result),
    labelValues: (label, match, startS, endS) =>
      api<string[]>(`${url}/api/v1/label/${encodeURIComponent(label)}/values?${new URLSearchParams({ 'match[]': match, start: String(startS), end: String(endS) })}`),
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
