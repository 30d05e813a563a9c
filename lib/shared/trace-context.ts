// W3C Trace Context (https://www.w3.org/TR/trace-context/) for requests the workloads send, so a
// platform with a tracing backend can find the traces of a load test. Off by default
// (TRACE_CONTEXT=w3c turns it on). k6's own k6/experimental/tracing module is gone since k6 v1
// and its replacement is a remote jslib, so the header is made here: one new trace per request,
// sampled. Pure: the random source is passed in (k6 crypto inside k6, node:crypto in tests).

export type TraceContextMode = 'off' | 'w3c';

/** `traceparent`: version 00, 16-byte trace id, 8-byte parent id, flags 01 (sampled). */
export const TRACEPARENT = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-01$/;

export function traceContextMode(env: Record<string, string | undefined>): TraceContextMode {
  const raw = (env.TRACE_CONTEXT ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'off' || raw === 'false' || raw === '0') return 'off';
  if (raw === 'w3c') return 'w3c';
  throw new Error(`TRACE_CONTEXT=${JSON.stringify(env.TRACE_CONTEXT)} is not valid. Fix: TRACE_CONTEXT=w3c (send W3C traceparent headers) or leave it unset (off)`);
}

/** A fresh `traceparent` value; `randomHex(n)` returns n random bytes as lower-case hex. */
export function newTraceparent(randomHex: (bytes: number) => string): string {
  let traceId = randomHex(16);
  while (/^0+$/.test(traceId)) traceId = randomHex(16); // all-zero ids are invalid
  let spanId = randomHex(8);
  while (/^0+$/.test(spanId)) spanId = randomHex(8);
  return `00-${traceId}-${spanId}-01`;
}
