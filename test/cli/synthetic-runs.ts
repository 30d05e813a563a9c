// Synthetic run folders (k6 NDJSON + run.json) with controlled latency, for CLI tests that need
// many runs or damaged files without running k6 each time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { gaussian, K6Ndjson, prng } from '../../bench/cli-synthetic.ts';

/** The machine fingerprint synthetic runs record (run.json `machine`), one machine for all. */
export const SYNTHETIC_MACHINE = { cpuModel: 'Synthetic CPU @ 3.0GHz', cores: 2, memoryGiB: 8, os: 'linux 6.1.0 x64', node: 'v20.20.0', k6: 'v1.8.1' };

export interface SyntheticRunOptions {
  seed: number;
  /** Median latency of every request in this run (ms). */
  medianMs: number;
  requests?: number;
  /** Requests per second (sets the run's duration, hence throughput). */
  rps?: number;
  errorRate?: number;
  dropped?: number;
  runJson?: Record<string, unknown> | null;
  gzip?: boolean;
}

export function syntheticNdjson(o: SyntheticRunOptions): string {
  const rnd = prng(o.seed);
  const out = new K6Ndjson();
  const n = o.requests ?? 300;
  const rps = o.rps ?? 100;
  const start = Date.UTC(2026, 0, 1);
  for (let i = 0; i < n; i++) {
    const t = start + (i * 1000) / rps;
    const name = i % 2 ? 'submit' : 'query';
    const latency = o.medianMs * Math.exp(0.2 * gaussian(rnd));
    out.request(t, latency, { name }, rnd() < (o.errorRate ?? 0));
    out.iteration(t, latency + 1);
    if (i % rps === 0) out.point('vus', t, 10, {});
  }
  if (o.dropped) out.point('dropped_iterations', start + 500, o.dropped, { scenario: 'default' });
  return out.toString();
}

/** Writes <dir>/k6.json(.gz) and run.json; returns dir. */
export function writeSyntheticRun(dir: string, o: SyntheticRunOptions): string {
  mkdirSync(dir, { recursive: true });
  const text = syntheticNdjson(o);
  if (o.gzip === false) writeFileSync(join(dir, 'k6.json'), text);
  else writeFileSync(join(dir, 'k6.json.gz'), gzipSync(text));
  const n = o.requests ?? 300;
  const durationMs = (n * 1000) / (o.rps ?? 100);
  if (o.runJson !== null) {
    writeFileSync(
      join(dir, 'run.json'),
      JSON.stringify({
        workload: 'mixed-workload',
        profile: 'smoke',
        scriptHash: 'a'.repeat(64),
        k6Version: 'v1.8.1',
        startedAt: new Date(Date.UTC(2026, 0, 1)).toISOString(),
        endedAt: new Date(Date.UTC(2026, 0, 1) + durationMs).toISOString(),
        testId: `synthetic-${o.seed}`,
        exitCode: 0,
        machine: SYNTHETIC_MACHINE,
        ...(o.runJson ?? {}),
      }),
    );
  }
  return dir;
}
