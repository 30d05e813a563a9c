// Live progress of a k6 run while its own output goes to k6.log (a suite's runs): run i of N,
// elapsed and remaining time of the run's profile, live req/s, p95 and error rate. The figures
// come from k6 itself, through its REST API (`--address`; k6 v2 serves it only when asked), on a
// free loopback port so runs never collide. On a terminal it is one line rewritten in place;
// otherwise (CI logs, files) one line per interval.
// These are live indications only: every verdict and reported figure comes from cli/.
import { createServer } from 'node:net';
import { describeProfile } from '../../lib/shared/profiles.ts';

export interface ProgressContext {
  /** This run's position in the plan (1-based) and the plan's number of runs. */
  index: number;
  total: number;
  /** Where the progress goes; default stderr. */
  stream?: ProgressStream;
  /** Poll interval; default 1 s on a terminal, 10 s otherwise. */
  intervalMs?: number;
  /** Called with every reading (tests wait on it instead of on the clock). */
  onReading?: (reading: LiveReading) => void;
}

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** What k6's REST API says so far (cumulative over the run). */
export interface LiveFigures {
  requests: number;
  p95Ms: number | undefined;
  errorRate: number | undefined;
}

export interface LiveReading extends LiveFigures {
  elapsedSeconds: number;
  /** Requests per second since the previous reading (the first: since the start). */
  requestRate: number;
  line: string;
}

/** A free TCP port on 127.0.0.1 (the OS picks it; k6 binds it a moment later). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface MetricsDocument {
  data?: Array<{ id?: string; attributes?: { sample?: Record<string, number> } }>;
}

/** Figures from k6's GET /v1/metrics (k6 v1 and v2 answer alike). */
export function liveFiguresFrom(doc: MetricsDocument): LiveFigures {
  const sample = (id: string) => doc.data?.find((m) => m.id === id)?.attributes?.sample;
  return { requests: sample('http_reqs')?.count ?? 0, p95Ms: sample('http_req_duration')?.['p(95)'], errorRate: sample('http_req_failed')?.rate };
}

/** mm:ss, or hh:mm:ss when the profile lasts an hour or more (every figure of a line alike). */
function clock(seconds: number, hours: boolean): string {
  const s = Math.max(0, Math.round(seconds));
  const hms = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, '0'));
  return hours ? hms.join(':') : hms.slice(1).join(':');
}

export function formatProgress(r: { index: number; total: number; label: string; elapsedSeconds: number; profileSeconds: number; requestRate?: number; p95Ms?: number; errorRate?: number }): string {
  const left = r.profileSeconds - r.elapsedSeconds;
  const h = Math.max(r.profileSeconds, r.elapsedSeconds) >= 3600;
  const time = `${clock(r.elapsedSeconds, h)} of ${clock(r.profileSeconds, h)}${left > -0.5 ? ` (${clock(left, h)} left)` : ` (${clock(-left, h)} over: graceful stop or set-up)`}`;
  const figures =
    r.requestRate === undefined
      ? 'waiting for k6'
      : `${r.requestRate.toFixed(1)} req/s, p95 ${r.p95Ms === undefined ? '–' : `${r.p95Ms.toFixed(1)} ms`}, errors ${r.errorRate === undefined ? '–' : `${(r.errorRate * 100).toFixed(2)} %`}`;
  return `[${r.index}/${r.total}] ${r.label}: ${time}, ${figures}`;
}

export interface RunProgress {
  /** k6 arguments that open the REST API the progress reads. */
  k6Args: string[];
  start(): void;
  stop(): void;
}

/** Prepares progress for one run: picks the port, knows the profile's length. */
export async function prepareProgress(context: ProgressContext, workload: string, profile: string, env: Record<string, string>, now: () => number = () => performance.now()): Promise<RunProgress> {
  const address = `127.0.0.1:${await freeLoopbackPort()}`;
  const stream = context.stream ?? process.stderr;
  const tty = stream.isTTY === true;
  const intervalMs = context.intervalMs ?? (tty ? 1000 : 10_000);
  const label = `${workload} × ${profile}`;
  let profileSeconds = 0;
  try {
    profileSeconds = describeProfile(profile, env).totalSeconds;
  } catch {
    // An unknown profile fails the run itself with a clear message; progress just shows elapsed.
  }
  let timer: NodeJS.Timeout | undefined;
  let startedAt = 0;
  let previous = { at: 0, requests: 0 };
  let polling = false;
  let stopped = false;
  let shown = false;
  const show = (line: string) => {
    shown = true;
    stream.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
  };
  const poll = async () => {
    if (polling) return;
    polling = true;
    try {
      const response = await fetch(`http://${address}/v1/metrics`, { signal: AbortSignal.timeout(Math.max(500, intervalMs)) });
      if (!response.ok || stopped) return;
      const figures = liveFiguresFrom((await response.json()) as MetricsDocument);
      const at = now();
      const elapsedSeconds = (at - startedAt) / 1000;
      const requestRate = ((figures.requests - previous.requests) * 1000) / Math.max(1, at - previous.at);
      previous = { at, requests: figures.requests };
      const line = formatProgress({ index: context.index, total: context.total, label, elapsedSeconds, profileSeconds, requestRate, p95Ms: figures.p95Ms, errorRate: figures.errorRate });
      if (stopped) return;
      show(line);
      context.onReading?.({ ...figures, elapsedSeconds, requestRate, line });
    } catch {
      // k6 not listening yet (set-up) or already gone: no reading this time.
      if (!stopped && tty) show(formatProgress({ index: context.index, total: context.total, label, elapsedSeconds: (now() - startedAt) / 1000, profileSeconds }));
    } finally {
      polling = false;
    }
  };
  return {
    k6Args: ['--address', address],
    start() {
      startedAt = now();
      previous = { at: startedAt, requests: 0 };
      timer = setInterval(() => void poll(), intervalMs);
    },
    stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      if (tty && shown) stream.write('\r\x1b[2K');
    },
  };
}
