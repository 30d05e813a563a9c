// Builds k6-format NDJSON (the exact layout k6 v1 writes with --out json) for tests and the
// ingest benchmark, so both exercise the real parser without running k6 for minutes.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { createGzip } from 'node:zlib';

export type K6MetricType = 'counter' | 'gauge' | 'rate' | 'trend';

const BUILTIN: Record<string, [K6MetricType, string]> = {
  http_reqs: ['counter', 'default'],
  http_req_duration: ['trend', 'time'],
  http_req_failed: ['rate', 'default'],
  iterations: ['counter', 'default'],
  iteration_duration: ['trend', 'time'],
  dropped_iterations: ['counter', 'default'],
  vus: ['gauge', 'default'],
  checks: ['rate', 'default'],
  docket_finality: ['trend', 'time'],
};

/** Seeded PRNG (mulberry32) so synthetic data is reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(rnd: () => number): number {
  return Math.sqrt(-2 * Math.log(rnd() || 1e-12)) * Math.cos(2 * Math.PI * rnd());
}

export class K6Ndjson {
  private readonly declared = new Set<string>();
  readonly lines: string[] = [];

  private declare(metric: string): void {
    if (this.declared.has(metric)) return;
    this.declared.add(metric);
    const [type, contains] = BUILTIN[metric] ?? ['trend', 'default'];
    this.lines.push(JSON.stringify({ type: 'Metric', data: { name: metric, type, contains, thresholds: [], submetrics: null }, metric }));
  }

  point(metric: string, timeMs: number, value: number, tags: Record<string, string>): this {
    this.declare(metric);
    this.lines.push(pointLine(metric, timeMs, value, tags));
    return this;
  }

  /** One HTTP request as k6 records it: http_reqs, http_req_duration, http_req_failed. */
  request(timeMs: number, durationMs: number, tags: Record<string, string>, failed = false): this {
    const t = {
      expected_response: failed ? 'false' : 'true',
      method: 'GET',
      proto: 'HTTP/1.1',
      scenario: 'default',
      status: failed ? '500' : '200',
      url: `http://127.0.0.1/${tags['name'] ?? 'x'}`,
      ...tags,
    };
    this.point('http_reqs', timeMs, 1, t);
    this.point('http_req_duration', timeMs, durationMs, t);
    this.point('http_req_failed', timeMs, failed ? 1 : 0, t);
    return this;
  }

  iteration(timeMs: number, durationMs: number, tags: Record<string, string> = {}): this {
    this.point('iterations', timeMs, 1, { scenario: 'default', ...tags });
    this.point('iteration_duration', timeMs, durationMs, { scenario: 'default', ...tags });
    return this;
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

export function pointLine(metric: string, timeMs: number, value: number, tags: Record<string, string>): string {
  const iso = new Date(Math.floor(timeMs)).toISOString().slice(0, 19);
  const nanos = String(Math.round((timeMs - Math.floor(timeMs / 1000) * 1000) * 1e6)).padStart(9, '0');
  return `{"metric":"${metric}","type":"Point","data":{"time":"${iso}.${nanos}Z","value":${value},"tags":${JSON.stringify(tags)}}}`;
}

const HTTP_TIMINGS = ['http_req_blocked', 'http_req_connecting', 'http_req_tls_handshaking', 'http_req_sending', 'http_req_waiting', 'http_req_receiving'];

/**
 * Streams a realistic k6 output of about `points` points to a gzip file without holding it in
 * memory. Per request k6 writes http_reqs, http_req_duration, six timing trends and
 * http_req_failed (9 points, same tags); per iteration data_sent, data_received, iterations
 * and iteration_duration; the vus gauge every second. Latency is log-normal (median 20 ms),
 * 1 % errors, 3 endpoints, and a unique url per request (the worst case for tag handling).
 */
export async function writeSyntheticGz(path: string, points: number, seed = 1): Promise<void> {
  const rnd = prng(seed);
  const gz = createGzip({ level: 1 });
  const out = createWriteStream(path);
  gz.pipe(out);
  const names = ['submit', 'query', 'docket'];
  const metrics: Array<[string, K6MetricType, string]> = [
    ['http_reqs', 'counter', 'default'],
    ['http_req_duration', 'trend', 'time'],
    ...HTTP_TIMINGS.map((m): [string, K6MetricType, string] => [m, 'trend', 'time']),
    ['http_req_failed', 'rate', 'default'],
    ['data_sent', 'counter', 'data'],
    ['data_received', 'counter', 'data'],
    ['iterations', 'counter', 'default'],
    ['iteration_duration', 'trend', 'time'],
    ['vus', 'gauge', 'default'],
  ];
  let buf = `${metrics.map(([m, type, contains]) => JSON.stringify({ type: 'Metric', data: { name: m, type, contains, thresholds: [], submetrics: null }, metric: m })).join('\n')}\n`;
  const start = Date.UTC(2026, 0, 1);
  let written = 0;
  let i = 0;
  let lastSecond = -1;
  while (written < points) {
    const t = start + i * 0.25;
    const name = names[i % 3]!;
    const failed = rnd() < 0.01;
    const tags = {
      expected_response: failed ? 'false' : 'true',
      group: '',
      method: 'POST',
      name,
      proto: 'HTTP/1.1',
      scenario: 'mixed',
      status: failed ? '500' : '200',
      testid: 'bench',
      url: `http://127.0.0.1:8080/api/${name}/${i}`,
    };
    const d = Math.round(Math.exp(Math.log(20) + 0.5 * gaussian(rnd)) * 1e6) / 1e6;
    buf += `${pointLine('http_reqs', t, 1, tags)}\n${pointLine('http_req_duration', t, d, tags)}\n`;
    for (const m of HTTP_TIMINGS) buf += `${pointLine(m, t, m === 'http_req_waiting' ? d * 0.9 : Math.round(rnd() * 100) / 1000, tags)}\n`;
    buf += `${pointLine('http_req_failed', t, failed ? 1 : 0, tags)}\n`;
    const itTags = { group: '', scenario: 'mixed', testid: 'bench' };
    buf += `${pointLine('data_sent', t, 420, itTags)}\n${pointLine('data_received', t, 980, itTags)}\n${pointLine('iterations', t, 1, itTags)}\n${pointLine('iteration_duration', t, d + 0.3, itTags)}\n`;
    written += 13;
    const second = Math.floor(t / 1000);
    if (second !== lastSecond) {
      lastSecond = second;
      buf += `${pointLine('vus', t, 50, { testid: 'bench' })}\n`;
      written++;
    }
    i++;
    if (buf.length > 1 << 20) {
      if (!gz.write(buf)) await once(gz, 'drain');
      buf = '';
    }
  }
  gz.end(buf);
  await once(out, 'finish');
}
