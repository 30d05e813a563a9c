// Turns what the user points at — a run folder, a k6 JSON output file, or a saved
// run-summary.json — into a RunSummary. run.json and summary.json are optional extras.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { droppedTags } from '../ingest/tag-filter.ts';
import { ingestK6Output } from '../ingest/ingest-file.ts';
import type { K6ThresholdResult, RunMeta, RunSummary } from '../model/run-summary.ts';
import { summaryFromJson } from '../model/serialize.ts';

export const K6_OUTPUT_NAMES = ['k6.json.gz', 'k6.json', 'k6.ndjson.gz', 'k6.ndjson'];
export const RUN_SUMMARY_NAME = 'run-summary.json';

export interface LoadOptions {
  lenient?: boolean;
  keepTags?: string[];
  /** Receives warnings (skipped lines, truncation) for the user. */
  warn?: (message: string) => void;
}

export function readJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError(file, undefined, `${what} not found or unreadable`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    const m = /position (\d+)/.exec((err as Error).message);
    const line = m ? text.slice(0, Number(m[1])).split('\n').length : undefined;
    throw new InputError(file, line, `${what} is not valid JSON (${(err as Error).message})`);
  }
}

function readRunJson(file: string): Partial<RunMeta> {
  const raw = readJsonFile(file, 'run.json');
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InputError(file, undefined, 'run.json must be a JSON object');
  const r = raw as Record<string, unknown>;
  const meta: Partial<RunMeta> = {};
  const str = (k: keyof RunMeta) => {
    const v = r[k];
    if (v === undefined || v === null) return;
    if (typeof v !== 'string') throw new InputError(file, undefined, `run.json /${k} must be a string, got ${JSON.stringify(v)}`);
    (meta as Record<string, unknown>)[k] = v;
  };
  for (const k of ['workload', 'profile', 'scriptHash', 'k6Version', 'startedAt', 'endedAt', 'testId', 'baseUrl', 'thresholdsFile'] as const) str(k);
  if (r['exitCode'] !== undefined && r['exitCode'] !== null) {
    if (typeof r['exitCode'] !== 'number') throw new InputError(file, undefined, `run.json /exitCode must be a number, got ${JSON.stringify(r['exitCode'])}`);
    meta.exitCode = r['exitCode'];
  }
  // Read by compare's comparability rules (cli/compare/comparability.ts): machine fingerprint, k6 flags.
  if (r['machine'] && typeof r['machine'] === 'object' && !Array.isArray(r['machine'])) (meta as Record<string, unknown>)['machine'] = r['machine'];
  if (Array.isArray(r['k6Args'])) (meta as Record<string, unknown>)['k6Args'] = r['k6Args'].map(String);
  if (r['env'] && typeof r['env'] === 'object') meta.env = Object.fromEntries(Object.entries(r['env'] as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  return meta;
}

/** k6 --summary-export: metrics[<name>].thresholds = { "<expr>": <true when it FAILED> }. */
export function readK6Thresholds(file: string): K6ThresholdResult[] {
  const raw = readJsonFile(file, 'summary.json') as { metrics?: Record<string, { thresholds?: Record<string, unknown> }> };
  const out: K6ThresholdResult[] = [];
  for (const [metric, m] of Object.entries(raw?.metrics ?? {})) {
    for (const [expression, failed] of Object.entries(m?.thresholds ?? {})) {
      if (typeof failed === 'boolean') out.push({ metric, expression, failed });
      else if (failed && typeof failed === 'object' && 'ok' in failed) out.push({ metric, expression, failed: !(failed as { ok: boolean }).ok });
    }
  }
  return out;
}

function findK6Output(dir: string): string | undefined {
  for (const n of K6_OUTPUT_NAMES) if (existsSync(join(dir, n))) return join(dir, n);
  return undefined;
}

export async function loadRun(pathArg: string, options: LoadOptions = {}): Promise<RunSummary> {
  const path = resolve(pathArg);
  if (!existsSync(path)) throw new InputError(pathArg, undefined, 'no such run folder or file', 'give a run folder (reports/<timestamp>-<workload>/), a k6 JSON output file, or a run-summary.json');
  const isDir = statSync(path).isDirectory();
  const dir = isDir ? path : undefined;
  const output = isDir ? findK6Output(path) : path;

  if (!output || output.endsWith(RUN_SUMMARY_NAME)) {
    const summaryFile = output ?? join(path, RUN_SUMMARY_NAME);
    if (!existsSync(summaryFile)) throw new InputError(pathArg, undefined, `no k6 output in this folder (looked for ${K6_OUTPUT_NAMES.join(', ')}, ${RUN_SUMMARY_NAME})`, 'run k6 with --out json=<run>/k6.json.gz');
    return summaryFromJson(readJsonFile(summaryFile, RUN_SUMMARY_NAME), summaryFile);
  }

  const result = await ingestK6Output(output, { lenient: options.lenient, dropped: droppedTags(options.keepTags) });
  for (const w of result.warnings) options.warn?.(w);
  const agg = result.aggregator;
  const series = agg.finish();

  let fileMeta: Partial<RunMeta> = {};
  if (dir && existsSync(join(dir, 'run.json'))) fileMeta = readRunJson(join(dir, 'run.json'));
  const k6Thresholds = dir && existsSync(join(dir, 'summary.json')) ? readK6Thresholds(join(dir, 'summary.json')) : [];

  // Rates use the run's wall-clock span; run.json knows it best, the points approximate it.
  const started = fileMeta.startedAt ? Date.parse(fileMeta.startedAt) : NaN;
  const ended = fileMeta.endedAt ? Date.parse(fileMeta.endedAt) : NaN;
  const useMeta = Number.isFinite(started) && Number.isFinite(ended) && ended > started;
  const meta: RunMeta = { ...fileMeta, testId: fileMeta.testId ?? agg.testId, sources: [pathArg], segments: 1 };

  return {
    meta,
    startMs: useMeta ? started : agg.startMs,
    endMs: useMeta ? ended : agg.endMs,
    series,
    timeseries: agg.timeline.ts,
    k6Thresholds,
    ingest: {
      files: [output],
      lines: result.lines,
      points: agg.points,
      badLines: result.badLines,
      truncated: result.truncated ? [result.truncated] : [],
      unknownMetricPoints: agg.unknownMetricPoints,
    },
  };
}
