// Server-side versus client-side counts of one run, where the local reference server's own
// counters were scraped into the run folder (server-metrics-start.txt and server-metrics.txt,
// written by tools/runner/run-workload.ts). The two sides disagree for a known reason: Go's
// HTTP client (k6's) silently re-sends an idempotent request (GET, or any request whose body it
// can replay with no bytes sent yet) when a reused keep-alive connection is closed under it, so
// a dropped connection the server counts may never reach k6's metrics. docs/reference-server.md.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunSummary } from '../model/run-summary.ts';
import { RUN_FILES } from '../run-folder/names.ts';

export interface ServerClientCounts {
  server: {
    /** Requests the server answered, by status class ("2xx", "4xx", "5xx", …). */
    answered: Record<string, number>;
    /** Answered 503 by the --fault-error-rate knob (part of answered 5xx). */
    injectedErrors: number;
    /** Connections closed without an answer by the --fault-drop-rate knob. */
    droppedConnections: number;
  };
  client: {
    requests: number;
    /** Requests k6 saw fail without any HTTP answer (status 0: reset, refused, timeout). */
    connectionFailures: number;
    /** Requests answered with an HTTP error status (>= 400). */
    httpErrors: number;
  };
  /** Connections the server dropped that k6 never recorded as failures (silently retried). */
  unseenDrops: number;
  note: string;
}

export const GO_RETRY_NOTE =
  "k6's Go HTTP client re-sends an idempotent request once when a reused keep-alive connection is closed before any answer; such drops are counted by the server but not by k6.";

type Samples = Map<string, number>;

/** Prometheus text exposition → "name{labels}" → value (labels as written). */
export function parsePrometheusText(text: string): Samples {
  const out: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Za-z_:][\w:]*(?:\{[^}]*\})?)\s+(\S+)/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

function sum(samples: Samples, metric: string, filter: (labels: string) => boolean = () => true): number {
  let total = 0;
  for (const [key, value] of samples) {
    const brace = key.indexOf('{');
    const name = brace < 0 ? key : key.slice(0, brace);
    if (name === metric && filter(brace < 0 ? '' : key.slice(brace)) && Number.isFinite(value)) total += value;
  }
  return total;
}

function answeredByClass(samples: Samples): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of samples) {
    if (!key.startsWith('target_http_requests_total{')) continue;
    const status = /status="(\d)\d\d"/.exec(key)?.[1];
    if (status) out[`${status}xx`] = (out[`${status}xx`] ?? 0) + value;
  }
  return out;
}

/** The run's counts on both sides; null when the run folder holds no server counters. */
export function serverClientCounts(runDir: string, run: RunSummary): ServerClientCounts | null {
  const endFile = join(runDir, RUN_FILES.serverMetrics);
  if (!existsSync(endFile)) return null;
  const end = parsePrometheusText(readFileSync(endFile, 'utf8'));
  const startFile = join(runDir, RUN_FILES.serverMetricsStart);
  const start = existsSync(startFile) ? parsePrometheusText(readFileSync(startFile, 'utf8')) : new Map<string, number>();
  const delta = new Map([...end].map(([k, v]) => [k, v - (start.get(k) ?? 0)]));
  const answered = answeredByClass(delta);
  const injectedErrors = sum(delta, 'target_faults_injected_total', (l) => l.includes('kind="error"'));
  const droppedConnections = sum(delta, 'target_faults_injected_total', (l) => l.includes('kind="drop"'));

  let requests = 0;
  let connectionFailures = 0;
  let httpErrors = 0;
  for (const s of run.series.values()) {
    if (s.metric !== 'http_reqs') continue;
    const n = s.moments.sum;
    requests += n;
    const status = Number(s.tags.status ?? NaN);
    if (status === 0) connectionFailures += n;
    else if (status >= 400) httpErrors += n;
  }
  return {
    server: { answered, injectedErrors, droppedConnections },
    client: { requests, connectionFailures, httpErrors },
    unseenDrops: Math.max(0, droppedConnections - connectionFailures),
    note: GO_RETRY_NOTE,
  };
}

/** One line for the text reports. */
export function describeServerClientCounts(c: ServerClientCounts): string {
  const answered =
    Object.entries(c.server.answered)
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none';
  return (
    `server answered ${answered}; injected 503s ${c.server.injectedErrors}, dropped connections ${c.server.droppedConnections} · ` +
    `k6 saw ${c.client.requests} requests, ${c.client.httpErrors} HTTP errors, ${c.client.connectionFailures} connection failures` +
    (c.unseenDrops > 0 ? ` · ${c.unseenDrops} drop(s) never reached k6 (${c.note})` : '')
  );
}
