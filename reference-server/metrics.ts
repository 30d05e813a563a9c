// Prometheus exposition through prom-client (the Node client Prometheus lists): counters and
// fixed-bucket histograms keyed by route pattern (never the raw URL, to keep label cardinality
// bounded) and status. One registry per server, so servers started in one process (tests) never
// share counts. The metric names are part of the reference server's documented interface.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Metrics {
  private readonly registry = new Registry();
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 10 });
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly durations: Histogram<'method' | 'route' | 'status'>;
  private readonly rejections: Counter<'code'>;
  private readonly committed: Counter;
  private readonly sealed: Counter;
  private readonly faults: Counter;

  constructor(mempoolSize: () => number) {
    this.loopDelay.enable();
    const registers = [this.registry];
    this.requests = new Counter({ name: 'target_http_requests_total', help: 'HTTP requests answered, by method, route pattern and status.', labelNames: ['method', 'route', 'status'], registers });
    this.durations = new Histogram({
      name: 'target_http_request_duration_seconds',
      help: 'Time from request received to response sent.',
      labelNames: ['method', 'route', 'status'],
      buckets: BUCKETS,
      registers,
    });
    this.rejections = new Counter({ name: 'target_transactions_rejected_total', help: 'Transactions rejected by validation, by error code.', labelNames: ['code'], registers });
    this.committed = new Counter({ name: 'target_transactions_committed_total', help: 'Transactions durably committed (answered 200).', registers });
    this.sealed = new Counter({ name: 'target_dockets_sealed_total', help: 'Dockets sealed since start (genesis dockets included).', registers });
    this.faults = new Counter({
      name: 'target_faults_injected_total',
      help: 'Requests answered 503 (kind="error") or dropped without an answer (kind="drop") by a fault knob.',
      labelNames: ['kind'],
      registers,
    });
    // Both kinds exported from the start (as 0): dashboards and rate() see the series before the first fault.
    for (const kind of ['error', 'drop']) this.faults.inc({ kind }, 0);
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    gauge('target_mempool_transactions', 'Verified transactions waiting to be sealed, all registers.', mempoolSize);
    // Process figures under the names this server has always exposed (prom-client's default
    // collectors would rename some, e.g. nodejs_heap_size_used_bytes).
    new Counter({
      name: 'process_cpu_seconds_total',
      help: 'User and system CPU time of the reference server process.',
      registers,
      collect() {
        const u = process.cpuUsage();
        this.reset();
        this.inc((u.user + u.system) / 1e6);
      },
    });
    gauge('process_resident_memory_bytes', 'Resident set size.', () => process.memoryUsage().rss);
    gauge('nodejs_heap_used_bytes', 'V8 heap in use.', () => process.memoryUsage().heapUsed);
    gauge('nodejs_eventloop_delay_p99_seconds', '99th percentile event-loop delay since the last scrape.', () => {
      const p99 = this.loopDelay.percentile(99) / 1e9;
      this.loopDelay.reset();
      return p99;
    });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.requests.inc(labels);
    this.durations.observe(labels, seconds);
  }

  countRejection(code: string): void {
    this.rejections.inc({ code });
  }

  countCommitted(transactions: number): void {
    this.committed.inc(transactions);
  }

  countDocketSealed(): void {
    this.sealed.inc();
  }

  countFault(kind: 'error' | 'drop'): void {
    this.faults.inc({ kind });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  close(): void {
    this.loopDelay.disable();
  }
}
