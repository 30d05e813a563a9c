// The HTTP layer every workload and the setup library use: JSON or form bodies, Bearer tokens,
// one stable `name` tag per endpoint, a check per call, and the statuses that count as
// success declared per call (a 409 during setup is an answer, not a failure).
import { check, sleep } from 'k6';
import http, { type RefinedResponse, type ResponseType } from 'k6/http';
import { Counter } from 'k6/metrics';
import type { ServiceUrls } from '../shared/config.ts';
import type { Endpoint } from '../shared/endpoints.ts';
import { newTraceparent, traceContextMode } from '../shared/trace-context.ts';
import { randomHex } from './crypto.ts';

export type Response = RefinedResponse<ResponseType | undefined>;

export interface CallOptions {
  token?: string;
  /** Statuses that count as success: not in http_req_failed, check passes. Default [200]. */
  expected?: number[];
  /** Send as application/x-www-form-urlencoded instead of JSON. */
  form?: Record<string, string>;
  /** Extra tags on this request's metrics (low-cardinality values only). */
  tags?: Record<string, string>;
  /** Record no check (setup probes whose outcome is handled by the caller). */
  noCheck?: boolean;
  timeout?: string;
}

/** TRACE_CONTEXT=w3c: a W3C traceparent header on every request (docs/watching.md). */
const sendTraceparent = traceContextMode(__ENV) === 'w3c';

// Per-request work is kept out of the hot path (measured in bench/k6-footprint.ts: every
// allocation here is paid on every request of every VU): the response callback and the check
// for an endpoint and its expected statuses are made once and reused.
const DEFAULT_EXPECTED: readonly number[] = [200];

interface Expectation {
  callback: ReturnType<typeof http.expectedStatuses>;
  /** Check name -> check, by endpoint name. */
  checks: Map<string, Record<string, (r: Response) => boolean>>;
}

/** By expected statuses ("200|201"). */
const expectations = new Map<string, Expectation>();

function checksFor(endpointName: string, statuses: readonly number[]): { callback: Expectation['callback']; checks: Record<string, (r: Response) => boolean> } {
  const key = statuses.join('|');
  let e = expectations.get(key);
  if (!e) {
    e = { callback: http.expectedStatuses(...statuses), checks: new Map() };
    expectations.set(key, e);
  }
  let checks = e.checks.get(endpointName);
  if (!checks) {
    checks = { [`${endpointName} ${key}`]: (r) => statuses.includes(r.status) };
    e.checks.set(endpointName, checks);
  }
  return { callback: e.callback, checks };
}

export class ApiClient {
  constructor(
    readonly urls: ServiceUrls,
    readonly timeout = '30s',
  ) {}

  /** `body`: an object (sent as JSON) or a pre-serialised JSON string (sent verbatim). */
  call(method: 'GET' | 'POST', endpoint: Endpoint, body?: unknown, options: CallOptions = {}): Response {
    const expectation = checksFor(endpoint.name, options.expected ?? DEFAULT_EXPECTED);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    if (sendTraceparent) headers.traceparent = newTraceparent(randomHex);
    let payload: string | Record<string, string> | null = null;
    if (options.form) {
      payload = options.form; // k6 form-encodes objects and sets the content type
    } else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const tags: Record<string, string> = options.tags ? Object.assign({ name: endpoint.name }, options.tags) : { name: endpoint.name };
    const res = http.request(method, this.urls[endpoint.service] + endpoint.path, payload, {
      headers,
      tags,
      responseCallback: expectation.callback,
      timeout: options.timeout ?? this.timeout,
    });
    if (!options.noCheck) check(res, expectation.checks);
    return res;
  }
}

/** Parses a JSON response body, or returns undefined when it is not JSON. */
export function jsonBody<T = Record<string, unknown>>(res: Response): T | undefined {
  if (typeof res.body !== 'string' || res.body === '') return undefined;
  try {
    return JSON.parse(res.body) as T;
  } catch {
    return undefined;
  }
}

/** A short, secret-free description of a failed response for error messages. */
export function describeResponse(endpoint: Endpoint, res: Response): string {
  if (res.status === 0) return `${endpoint.name}: no response (${res.error || 'connection failed'})`;
  const body = typeof res.body === 'string' ? res.body.replace(/\s+/g, ' ').slice(0, 300) : '';
  return `${endpoint.name}: HTTP ${res.status}${body ? ` ${body}` : ''}`;
}

/** Statuses worth retrying during setup: network failures, throttling and transient 5xx. */
export function isTransient(status: number): boolean {
  return status === 0 || status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/** Set-up and token calls retried after a transient failure (reported with the run's metrics). */
export const setupRetries = new Counter('setup_retries');

export const RETRY_ATTEMPTS = 6;

/** Full-jitter exponential backoff: a random wait in [0, first * 2^retry), capped at 4 s. */
export function backoffSeconds(retry: number, firstDelaySeconds: number, random: () => number = Math.random): number {
  return Math.min(4, firstDelaySeconds * 2 ** retry) * (0.5 + random() / 2);
}

/**
 * Runs `attempt` until it returns a non-transient response, at most `attempts` times, backing
 * off with jitter; every retry is counted in `setup_retries`. Only for set-up and token calls:
 * under load, a retry would hide the very failures the test measures. The caller turns a last
 * transient response into its error (describeResponse + retriesExhausted).
 */
export function withRetries(attempt: () => Response, attempts = RETRY_ATTEMPTS, firstDelaySeconds = 0.25, what = 'setup'): Response {
  let res = attempt();
  for (let i = 1; i < attempts && isTransient(res.status); i++) {
    setupRetries.add(1, { call: what });
    sleep(backoffSeconds(i - 1, firstDelaySeconds));
    res = attempt();
  }
  return res;
}

/** Appended to an error when the response is still transient after every attempt. */
export function retriesExhausted(res: Response, attempts = RETRY_ATTEMPTS): string {
  return isTransient(res.status) ? ` (still failing after ${attempts} attempts with backoff; the target is overloaded or unreachable)` : '';
}
