// The HTTP layer every workload and the setup library use: JSON or form bodies, Bearer tokens,
// one stable `name` tag per endpoint, a check per call, and the statuses that count as
// success declared per call (a 409 during setup is an answer, not a failure).
import { check, sleep } from 'k6';
import http, { type RefinedResponse, type ResponseType } from 'k6/http';
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

const expectedCallbacks = new Map<string, ReturnType<typeof http.expectedStatuses>>();

function expectedCallback(statuses: number[]) {
  const key = statuses.join(',');
  let cb = expectedCallbacks.get(key);
  if (!cb) {
    cb = http.expectedStatuses(...statuses);
    expectedCallbacks.set(key, cb);
  }
  return cb;
}

export class ApiClient {
  constructor(
    readonly urls: ServiceUrls,
    readonly timeout = '30s',
  ) {}

  /** `body`: an object (sent as JSON) or a pre-serialised JSON string (sent verbatim). */
  call(method: 'GET' | 'POST', endpoint: Endpoint, body?: unknown, options: CallOptions = {}): Response {
    const expected = options.expected ?? [200];
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
    const res = http.request(method, this.urls[endpoint.service] + endpoint.path, payload, {
      headers,
      tags: { name: endpoint.name, ...options.tags },
      responseCallback: expectedCallback(expected),
      timeout: options.timeout ?? this.timeout,
    });
    if (!options.noCheck) {
      check(res, { [`${endpoint.name} ${expected.join('|')}`]: (r) => expected.includes(r.status) });
    }
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
  return status === 0 || status === 429 || status === 502 || status === 503 || status === 504;
}

/**
 * Runs `attempt` until it returns a non-transient response, backing off exponentially.
 * Only for setup: under load, a retry would hide the very failures the test measures.
 */
export function withRetries(attempt: () => Response, attempts = 4, firstDelaySeconds = 0.25): Response {
  let res = attempt();
  for (let i = 1; i < attempts && isTransient(res.status); i++) {
    sleep(firstDelaySeconds * 2 ** (i - 1));
    res = attempt();
  }
  return res;
}
