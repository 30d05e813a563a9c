// Child process of bench/cli-ingest.ts: ingests one file and reports points, time and peak RSS
// (its own process.resourceUsage().maxRSS, so the parent's memory never pollutes the figure).
import { ingestK6Output } from '../cli/ingest/ingest-file.ts';
import { droppedTags } from '../cli/ingest/tag-filter.ts';
import { quantiles } from '../cli/stats/histogram.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: cli-ingest-child.ts <k6 output>');
const t0 = process.hrtime.bigint();
const r = await ingestK6Output(file, { dropped: droppedTags() });
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
const d = r.aggregator.finish().get('http_req_duration')!;
const p95 = quantiles(d.hist!, [0.95], d.moments.min, d.moments.max)[0];
process.stdout.write(`${JSON.stringify({ points: r.aggregator.points, ms, maxRssMb: process.resourceUsage().maxRSS / 1024, p95 })}\n`);
