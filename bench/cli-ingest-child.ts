// Child process of bench/cli-ingest.ts: ingests one file and reports points, time and peak RSS.
// Peak RSS is the kernel's high-water mark of this process's own memory (VmHWM). Not
// process.resourceUsage().maxRSS: Linux carries a forked process's pre-exec RSS (its parent's, at
// the fork) over execve into it, so a parent holding 260 MB made every child "peak" at 260 MB.
import { readFileSync } from 'node:fs';
import { ingestK6Output } from '../cli/ingest/ingest-file.ts';
import { droppedTags } from '../cli/ingest/tag-filter.ts';
import { quantiles } from '../cli/stats/histogram.ts';

function ownPeakRssMb(): number {
  const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  if (!hwm) throw new Error('cli-ingest-child: no VmHWM in /proc/self/status (the bench needs Linux)');
  return Number(hwm[1]) / 1024;
}

const file = process.argv[2];
if (!file) throw new Error('usage: cli-ingest-child.ts <k6 output>');
const t0 = process.hrtime.bigint();
const r = await ingestK6Output(file, { dropped: droppedTags() });
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
const d = r.aggregator.finish().get('http_req_duration')!;
const p95 = quantiles(d.hist!, [0.95], d.moments.min, d.moments.max)[0];
process.stdout.write(`${JSON.stringify({ points: r.aggregator.points, ms, maxRssMb: ownPeakRssMb(), p95 })}\n`);
