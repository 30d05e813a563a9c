// resources.csv (written by the runner's resource monitor during a run against a local server)
// -> the figures a report gives about the server process: memory growth rate (least-squares
// slope of RSS over time), CPU and open files. The memory-stability SLO
// (target_memory_growth_bytes_per_s, thresholds/system-stress.json) is judged from this figure.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { InputError } from '../errors.ts';
import { RUN_FILES } from '../run-folder/names.ts';

export const RESOURCES_FILE = RUN_FILES.resources;
/** The columns of resources.csv, in order; the monitor writes exactly these. */
export const RESOURCE_COLUMNS = ['time', 'elapsed_s', 'pid', 'cpu_percent', 'rss_bytes', 'open_files'] as const;
/** Fewer samples than this give no growth rate: a slope through two points is noise. */
export const MIN_GROWTH_SAMPLES = 3;

export interface ResourceSample {
  time: string;
  elapsedS: number;
  pid: number;
  cpuPercent: number;
  rssBytes: number;
  openFiles: number;
}

export interface ResourceFigures {
  file: string;
  samples: number;
  spanS: number;
  /** Least-squares slope of RSS over elapsed time; null with fewer than MIN_GROWTH_SAMPLES samples or no time span. */
  memoryGrowthBytesPerS: number | null;
  memoryGrowthMBPerS: number | null;
  rssFirstBytes: number | null;
  rssLastBytes: number | null;
  rssMaxBytes: number | null;
  cpuMeanPercent: number | null;
  cpuMaxPercent: number | null;
  openFilesMax: number | null;
  detail: string;
  /** [elapsed_s, rss_bytes, cpu_percent] for the report's chart. */
  points: Array<[number, number, number]>;
}

/** Parses resources.csv; every malformed row is an error naming its line and column. */
export function parseResources(text: string, file: string): ResourceSample[] {
  const parsed = Papa.parse<string[]>(text.trim(), { skipEmptyLines: true });
  const rows = parsed.data;
  if (rows.length === 0) throw new InputError(file, 1, 'empty file: no header', `the first line must be ${RESOURCE_COLUMNS.join(',')}`);
  const header = rows[0]!.map((h) => h.trim());
  if (header.join(',') !== RESOURCE_COLUMNS.join(',')) {
    throw new InputError(file, 1, `unexpected header "${header.join(',')}"`, `the first line must be ${RESOURCE_COLUMNS.join(',')} (written by tools/runner/resource-monitor.ts)`);
  }
  const samples: ResourceSample[] = [];
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i]!;
    const line = i + 1;
    if (row.length !== RESOURCE_COLUMNS.length) throw new InputError(file, line, `${row.length} fields, expected ${RESOURCE_COLUMNS.length} (${RESOURCE_COLUMNS.join(',')})`);
    const num = (col: (typeof RESOURCE_COLUMNS)[number]): number => {
      const raw = row[RESOURCE_COLUMNS.indexOf(col)]!.trim();
      const v = Number(raw);
      if (raw === '' || !Number.isFinite(v) || v < 0) throw new InputError(file, line, `column ${col} must be a non-negative number, got ${JSON.stringify(raw)}`);
      return v;
    };
    const time = row[0]!.trim();
    if (Number.isNaN(Date.parse(time))) throw new InputError(file, line, `column time must be an ISO timestamp, got ${JSON.stringify(time)}`);
    const sample = { time, elapsedS: num('elapsed_s'), pid: num('pid'), cpuPercent: num('cpu_percent'), rssBytes: num('rss_bytes'), openFiles: num('open_files') };
    const prev = samples[samples.length - 1];
    if (prev && sample.elapsedS < prev.elapsedS) throw new InputError(file, line, `elapsed_s goes backwards (${sample.elapsedS} after ${prev.elapsedS})`);
    samples.push(sample);
  }
  return samples;
}

/** Least-squares slope of y over x; null when x has no spread. */
export function leastSquaresSlope(points: ReadonlyArray<readonly [number, number]>): number | null {
  const n = points.length;
  if (n < 2) return null;
  let mx = 0;
  let my = 0;
  for (const [x, y] of points) {
    mx += x / n;
    my += y / n;
  }
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : null;
}

export function resourceFigures(samples: readonly ResourceSample[], file: string): ResourceFigures {
  const n = samples.length;
  const spanS = n ? samples[n - 1]!.elapsedS - samples[0]!.elapsedS : 0;
  const slope = n >= MIN_GROWTH_SAMPLES ? leastSquaresSlope(samples.map((s) => [s.elapsedS, s.rssBytes])) : null;
  const max = (xs: number[]) => (xs.length ? Math.max(...xs) : null);
  const cpu = samples.map((s) => s.cpuPercent);
  const detail =
    slope === null
      ? `${n} sample(s) over ${spanS.toFixed(1)} s: too few for a memory growth rate (needs ${MIN_GROWTH_SAMPLES} or more over a time span)`
      : `least-squares slope of RSS over ${n} samples in ${spanS.toFixed(1)} s`;
  return {
    file,
    samples: n,
    spanS,
    memoryGrowthBytesPerS: slope,
    memoryGrowthMBPerS: slope === null ? null : slope / 1e6,
    rssFirstBytes: n ? samples[0]!.rssBytes : null,
    rssLastBytes: n ? samples[n - 1]!.rssBytes : null,
    rssMaxBytes: max(samples.map((s) => s.rssBytes)),
    cpuMeanPercent: n ? cpu.reduce((a, b) => a + b, 0) / n : null,
    cpuMaxPercent: max(cpu),
    openFilesMax: max(samples.map((s) => s.openFiles)),
    detail,
    points: samples.map((s) => [s.elapsedS, s.rssBytes, s.cpuPercent]),
  };
}

/** The figures of `<runDir>/resources.csv`, or null when the run has none (a remote target). */
export function readRunResources(runDir: string | undefined): ResourceFigures | null {
  if (!runDir) return null;
  const file = join(runDir, RESOURCES_FILE);
  if (!existsSync(file)) return null;
  return resourceFigures(parseResources(readFileSync(file, 'utf8'), file), RESOURCES_FILE);
}
