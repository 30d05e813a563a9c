// The run summary cached beside the k6 output (run-summary.json), so report, compare, baseline
// and npm start read k6.json.gz once. The cache records which output it was made from (name,
// size, modification time) and how (tags kept, lenient, engine version); any difference and the
// output is ingested again. A run-summary.json without that record is a merged run's own data.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.ts';
import type { RunSummary } from '../model/run-summary.ts';
import { summaryFromJson, summaryToJson } from '../model/serialize.ts';
import { RUN_FILES } from './names.ts';

/** Bump when ingest or the aggregator change what a summary holds. */
// 2: the timeline's latency holds successful requests only (expected_response:true).
// 3: timeline buckets count started iterations, checks and the latency sum; ingest notes the progress guard's VUs.
export const CACHE_ENGINE_VERSION = 3;

export interface CacheKey {
  engine: number;
  output: string;
  size: number;
  mtimeMs: number;
  keepTags: string[];
  lenient: boolean;
}

export function cacheKeyOf(output: string, options: { keepTags?: string[]; lenient?: boolean }): CacheKey {
  const st = statSync(output);
  return { engine: CACHE_ENGINE_VERSION, output: basename(output), size: st.size, mtimeMs: Math.floor(st.mtimeMs), keepTags: [...(options.keepTags ?? [])].sort(), lenient: !!options.lenient };
}

const sameKey = (a: unknown, b: CacheKey) => JSON.stringify(a) === JSON.stringify(b);

/** The cached summary of this output, or undefined when there is none or it is stale. */
export function readCachedSummary(dir: string, key: CacheKey): RunSummary | undefined {
  const file = join(dir, RUN_FILES.runSummary);
  if (!existsSync(file)) return undefined;
  try {
    const json = JSON.parse(readFileSync(file, 'utf8')) as { cacheOf?: unknown };
    return sameKey(json.cacheOf, key) ? summaryFromJson(json, file) : undefined;
  } catch {
    return undefined; // a damaged cache is only a cache: ingest again
  }
}

export function writeCachedSummary(dir: string, run: RunSummary, key: CacheKey): void {
  writeFileAtomic(join(dir, RUN_FILES.runSummary), `${JSON.stringify({ ...summaryToJson(run, { timeseries: true }), cacheOf: key })}\n`);
}
