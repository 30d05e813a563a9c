// Turns what the user points at — a run folder, a k6 JSON output file, or a saved
// run-summary.json — into a RunSummary. k6.json.gz is ingested once: the result is cached as
// run-summary.json in the run folder and reused until the k6 output changes. run.json,
// summary.json and thresholds.json are small and always read fresh.

import { existsSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ThresholdsFile } from '../../lib/shared/slo.ts';
import { InputError } from '../errors.ts';
import { readGeneratorSamples } from '../figures/generator.ts';
import { readRunResources } from '../figures/resources.ts';
import { ingestK6Output } from '../ingest/ingest-file.ts';
import { droppedTags } from '../ingest/tag-filter.ts';
import { readJsonFile } from '../io/read-json.ts';
import type { RunMeta, RunSummary } from '../model/run-summary.ts';
import { summaryFromJson } from '../model/serialize.ts';
import { K6_OUTPUT_NAMES, RUN_FILES } from '../run-folder/names.ts';
import { type RunJson, readRunJson } from '../run-folder/run-json.ts';
import { cacheKeyOf, readCachedSummary, writeCachedSummary } from '../run-folder/summary-cache.ts';
import { readK6Thresholds } from '../run-folder/summary-json.ts';
import { loadThresholdsFile } from '../slo/load.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface LoadOptions {
  lenient?: boolean;
  keepTags?: string[];
  /** Receives warnings (skipped lines, truncation) for the user. */
  warn?: (message: string) => void;
}

function findK6Output(dir: string): string | undefined {
  for (const n of K6_OUTPUT_NAMES) if (existsSync(join(dir, n))) return join(dir, n);
  return undefined;
}

/**
 * The SLO set a run folder records: its thresholds.json (the copy the runner made of what the
 * bundle enforced); for older folders, the file run.json names, resolved against the folder,
 * the current directory and the project.
 */
export function recordedSloSet(dir: string, runJson: RunJson, warn?: (m: string) => void): ThresholdsFile | undefined {
  if (existsSync(join(dir, RUN_FILES.thresholds))) return loadThresholdsFile(join(dir, RUN_FILES.thresholds));
  const named = runJson.thresholdsFile;
  if (!named) return undefined;
  const candidates = isAbsolute(named) ? [named] : [dir, process.cwd(), PROJECT_ROOT].map((b) => join(b, named));
  const found = candidates.find((c) => existsSync(c));
  if (found) return loadThresholdsFile(found);
  warn?.(`run.json names thresholds file ${named}, but it was not found; judging by k6's own threshold results (summary.json)`);
  return undefined;
}

function metaOf(runJson: RunJson, source: string, testId: string | undefined): RunMeta {
  const { schemaVersion: _v, sources: _s, segments: _g, ...rest } = runJson;
  return { ...rest, ...((rest.testId ?? testId) ? { testId: rest.testId ?? testId } : {}), sources: [source], segments: 1 };
}

export async function loadRun(pathArg: string, options: LoadOptions = {}): Promise<RunSummary> {
  const path = resolve(pathArg);
  if (!existsSync(path)) throw new InputError(pathArg, undefined, 'no such run folder or file', 'give a run folder (reports/<timestamp>-<workload>/), a k6 JSON output file, or a run-summary.json');
  const isDir = statSync(path).isDirectory();
  const dir = isDir ? path : undefined;
  const output = isDir ? findK6Output(path) : path;

  if (!output || basename(output) === RUN_FILES.runSummary) {
    const summaryFile = output ?? join(path, RUN_FILES.runSummary);
    if (!existsSync(summaryFile))
      throw new InputError(pathArg, undefined, `no k6 output in this folder (looked for ${K6_OUTPUT_NAMES.join(', ')}, ${RUN_FILES.runSummary})`, 'run k6 with --out json=<run>/k6.json.gz');
    const run = summaryFromJson(readJsonFile(summaryFile, RUN_FILES.runSummary), summaryFile);
    if (dir && !run.sloSet) {
      const sloSet = recordedSloSet(dir, existsSync(join(dir, RUN_FILES.run)) ? readRunJson(join(dir, RUN_FILES.run)) : {}, options.warn);
      if (sloSet) run.sloSet = sloSet;
    }
    const resources = dir ? readRunResources(dir) : null;
    if (resources) run.resources = resources;
    const generator = readGeneratorSamples(dir);
    if (generator) run.generator = generator;
    return run;
  }

  const key = cacheKeyOf(output, options);
  let ingested = dir ? readCachedSummary(dir, key) : undefined;
  if (ingested) {
    if (ingested.ingest.badLines) options.warn?.(`${ingested.ingest.badLines} corrupt line(s) were skipped when this run was ingested (--lenient)`);
  } else {
    const result = await ingestK6Output(output, { lenient: options.lenient, dropped: droppedTags(options.keepTags) });
    for (const w of result.warnings) options.warn?.(w);
    const agg = result.aggregator;
    ingested = {
      meta: { testId: agg.testId, sources: [pathArg], segments: 1 },
      startMs: agg.startMs,
      endMs: agg.endMs,
      series: agg.finish(),
      timeseries: agg.timeline.ts,
      k6Thresholds: [],
      ingest: {
        files: [output],
        lines: result.lines,
        points: agg.points,
        badLines: result.badLines,
        truncated: result.truncated ? [result.truncated] : [],
        unknownMetricPoints: agg.unknownMetricPoints,
        ...(agg.progressGuardVus ? { progressGuardVus: agg.progressGuardVus } : {}),
      },
    };
    if (dir) {
      try {
        writeCachedSummary(dir, ingested, key);
      } catch (err) {
        options.warn?.(`could not cache the run summary in ${dir} (${(err as Error).message}); the next command re-reads ${basename(output)}`);
      }
    }
  }

  const runJson: RunJson = dir && existsSync(join(dir, RUN_FILES.run)) ? readRunJson(join(dir, RUN_FILES.run)) : {};
  const k6Thresholds = dir && existsSync(join(dir, RUN_FILES.summary)) ? readK6Thresholds(join(dir, RUN_FILES.summary)) : [];
  const sloSet = dir ? recordedSloSet(dir, runJson, options.warn) : undefined;
  const resources = dir ? readRunResources(dir) : null;
  const generator = readGeneratorSamples(dir);

  // Rates use the run's wall-clock span; run.json knows it best, the points approximate it.
  const started = runJson.startedAt ? Date.parse(runJson.startedAt) : NaN;
  const ended = runJson.endedAt ? Date.parse(runJson.endedAt) : NaN;
  const useMeta = Number.isFinite(started) && Number.isFinite(ended) && ended > started;
  return {
    ...ingested,
    meta: metaOf(runJson, pathArg, ingested.meta.testId),
    startMs: useMeta ? started : ingested.startMs,
    endMs: useMeta ? ended : ingested.endMs,
    k6Thresholds,
    ...(sloSet ? { sloSet } : {}),
    ...(resources ? { resources } : {}),
    ...(generator ? { generator } : {}),
  };
}
