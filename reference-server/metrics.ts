// Prometheus text exposition, hand-written: counters and fixed-bucket histograms keyed by
// route pattern (never the raw URL, to keep label cardinality bounded) and status.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Series {
  labels: string;
  count: number;
  sum: number;
  buckets: number[];
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export class Metrics {
  private readonly requests = new Map<string, Series>();
  private readonly rejections = new Map<string, number>();
  transactionsCommitted = 0;
  docketsSealed = 0;
  faultsInjected = 0;
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 10 });

  constructor(private readonly mempoolSize: () => number) {
    this.loopDelay.enable();
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = `method="${escapeLabel(method)}",route="${escapeLabel(route)}",status="${status}"`;
    let s = this.requests.get(labels);
    if (s === undefined) {
      s = { labels, count: 0, sum: 0, buckets: BUCKETS.map(() => 0) };
      this.requests.set(labels, s);
    }
    s.count++;
    s.sum += seconds;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) s.buckets[i]!++;
  }

  countRejection(code: string): void {
    this.rejections.set(code, (this.rejections.get(code) ?? 0) + 1);
  }

  render(): string {
    const out: string[] = [];
    out.push('# HELP target_http_requests_total HTTP requests answered, by method, route pattern and status.');
    out.push('# TYPE target_http_requests_total counter');
    for (const s of this.requests.values()) out.push(`target_http_requests_total{${s.labels}} ${s.count}`);
    out.push('# HELP target_http_request_duration_seconds Time from request received to response sent.');
    out.push('# TYPE target_http_request_duration_seconds histogram');
    for (const s of this.requests.values()) {
      BUCKETS.forEach((le, i) => out.push(`target_http_request_duration_seconds_bucket{${s.labels},le="${le}"} ${s.buckets[i]}`));
      out.push(`target_http_request_duration_seconds_bucket{${s.labels},le="+Inf"} ${s.count}`);
      out.push(`target_http_request_duration_seconds_sum{${s.labels}} ${s.sum}`);
      out.push(`target_http_request_duration_seconds_count{${s.labels}} ${s.count}`);
    }
    out.push('# HELP target_transactions_rejected_total Transactions rejected by validation, by error code.');
    out.push('# TYPE target_transactions_rejected_total counter');
    for (const [code, n] of this.rejections) out.push(`target_transactions_rejected_total{code="${escapeLabel(code)}"} ${n}`);
    out.push('# HELP target_transactions_committed_total Transactions durably committed (answered 200).');
    out.push('# TYPE target_transactions_committed_total counter');
    out.push(`target_transactions_committed_total ${this.transactionsCommitted}`);
    out.push('# HELP target_dockets_sealed_total Dockets sealed since start (genesis dockets included).');
    out.push('# TYPE target_dockets_sealed_total counter');
    out.push(`target_dockets_sealed_total ${this.docketsSealed}`);
    out.push('# HELP target_faults_injected_total Requests answered 503 or dropped by a fault knob.');
    out.push('# TYPE target_faults_injected_total counter');
    out.push(`target_faults_injected_total ${this.faultsInjected}`);
    out.push('# HELP target_mempool_transactions Verified transactions waiting to be sealed, all registers.');
    out.push('# TYPE target_mempool_transactions gauge');
    out.push(`target_mempool_transactions ${this.mempoolSize()}`);
    const cpu = process.cpuUsage();
    const mem = process.memoryUsage();
    out.push('# HELP process_cpu_seconds_total User and system CPU time of the target process.');
    out.push('# TYPE process_cpu_seconds_total counter');
    out.push(`process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}`);
    out.push('# HELP process_resident_memory_bytes Resident set size.');
    out.push('# TYPE process_resident_memory_bytes gauge');
    out.push(`process_resident_memory_bytes ${mem.rss}`);
    out.push('# HELP nodejs_heap_used_bytes V8 heap in use.');
    out.push('# TYPE nodejs_heap_used_bytes gauge');
    out.push(`nodejs_heap_used_bytes ${mem.heapUsed}`);
    out.push('# HELP nodejs_eventloop_delay_p99_seconds 99th percentile event-loop delay since the last scrape.');
    out.push('# TYPE nodejs_eventloop_delay_p99_seconds gauge');
    out.push(`nodejs_eventloop_delay_p99_seconds ${this.loopDelay.percentile(99) / 1e9}`);
    this.loopDelay.reset();
    return out.join('\n') + '\n';
  }

  close(): void {
    this.loopDelay.disable();
  }
}
