// Saved baselines: baselines/<name>/baseline.json (manifest) + one compact run summary per run
// (serialised histograms, no raw points, no chart series): small enough to commit.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { metricDefs } from '../compare/run-metrics.ts';
import { CliError, EXIT, InputError } from '../errors.ts';
import { writeFilesAtomic } from '../io/atomic-write.ts';
import { readJsonFile } from '../io/read-json.ts';
import type { RunSummary, Series } from '../model/run-summary.ts';
import { seriesKey, tagKey } from '../model/run-summary.ts';
import { summaryFromJson, summaryToJson } from '../model/serialize.ts';
import { combineSeries } from '../model/series-ops.ts';
import type { SloVerdict } from '../report/report-types.ts';
import { HTTP_SUB_TIMINGS } from '../run-folder/metric-names.ts';
import { judgeRun } from '../slo/judge.ts';

export const BASELINE_FORMAT = 'ledger-perf-baseline';
export const MANIFEST = 'baseline.json';
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Sub-timings of http_req_duration: never compared, so not worth committing. */
const DROPPED_METRICS = new Set<string>([...HTTP_SUB_TIMINGS, 'group_duration', 'data_sent', 'data_received']);

export interface BaselineManifest {
  format: typeof BASELINE_FORMAT;
  version: 1;
  name: string;
  createdAt: string;
  runs: Array<{ file: string; source: string; workload: string | null; profile: string | null; scriptHash: string | null; startedAt: string; requests: number; sloVerdict?: SloVerdict }>;
  /**
   * Run-to-run spread per metric id, recorded when the baseline has ≥ NOISE_MIN_RUNS runs: the
   * standard deviation across runs of log(value) for relative metrics (≈ a fraction), of the
   * value for rates. compare widens a metric's band to this when it is larger.
   */
  noise?: Record<string, number>;
}

export const NOISE_MIN_RUNS = 5;

function sd(values: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
}

/** Each metric's run-to-run spread over these runs (metric ids as in compare's table). */
export function runToRunNoise(runs: RunSummary[]): Record<string, number> | undefined {
  if (runs.length < NOISE_MIN_RUNS) return undefined;
  const out: Record<string, number> = {};
  for (const def of metricDefs(runs)) {
    const values = runs.map((r) => def.value(r)).filter((v): v is number => v !== null && Number.isFinite(v));
    if (values.length < NOISE_MIN_RUNS) continue;
    const relative = def.scale === 'relative' && values.every((v) => v > 0);
    const spread = relative ? Math.expm1(sd(values.map(Math.log))) : sd(values);
    if (Number.isFinite(spread)) out[def.id] = Number(spread.toPrecision(4));
  }
  return out;
}

/** The recorded noise of every saved baseline among compare's --baseline arguments (largest wins). */
export function baselineNoise(args: readonly string[], root: string): Record<string, number> | undefined {
  let out: Record<string, number> | undefined;
  for (const arg of args) {
    const dir = existsSync(arg) && isBaselineDir(arg) ? arg : !existsSync(arg) && NAME.test(arg) && isBaselineDir(baselineDir(root, arg)) ? baselineDir(root, arg) : undefined;
    if (!dir) continue;
    const noise = readManifest(dir).noise;
    if (!noise) continue;
    out ??= {};
    for (const [id, v] of Object.entries(noise)) if (typeof v === 'number' && Number.isFinite(v)) out[id] = Math.max(out[id] ?? 0, v);
  }
  return out;
}

export function baselineDir(root: string, name: string): string {
  return join(resolve(root), name);
}

export function validateName(name: string): void {
  if (!NAME.test(name)) throw new CliError(`baseline name "${name}" is not allowed: use letters, digits, '.', '_' or '-' (max 64, no leading punctuation)`, EXIT.usage);
}

/** Keeps what compare needs: whole-metric series and per-endpoint (name) roll-ups. */
export function compactForBaseline(run: RunSummary): RunSummary {
  const series = new Map<string, Series>();
  const byName = new Map<string, Series[]>();
  for (const s of run.series.values()) {
    if (DROPPED_METRICS.has(s.metric)) continue;
    if (Object.keys(s.tags).length === 0) series.set(seriesKey(s.metric, ''), s);
    else if (s.tags['name'] !== undefined) {
      const k = seriesKey(s.metric, tagKey({ name: s.tags['name'] }));
      byName.set(k, [...(byName.get(k) ?? []), s]);
    }
  }
  for (const [k, list] of byName) series.set(k, combineSeries(list, { name: list[0]!.tags['name']! })!);
  return { ...run, series, timeseries: undefined };
}

export function saveBaseline(root: string, name: string, runs: RunSummary[], options: { force?: boolean } = {}): string {
  validateName(name);
  const dir = baselineDir(root, name);
  if (isBaselineDir(dir) && !options.force)
    throw new CliError(`baseline "${name}" already exists in ${dir}: refusing to overwrite it\n  fix: pass --force to replace it, or choose another name`, EXIT.usage);
  const files: Array<{ path: string; content: string }> = [];
  const manifest: BaselineManifest = { format: BASELINE_FORMAT, version: 1, name, createdAt: new Date().toISOString(), runs: [] };
  runs.forEach((run, i) => {
    const file = `run-${String(i + 1).padStart(3, '0')}.json`;
    const compact = compactForBaseline(run);
    files.push({ path: join(dir, file), content: `${JSON.stringify(summaryToJson(compact, { timeseries: false }))}\n` });
    manifest.runs.push({
      file,
      source: run.meta.sources.join('+'),
      workload: run.meta.workload ?? null,
      profile: run.meta.profile ?? null,
      scriptHash: run.meta.scriptHash ?? null,
      startedAt: new Date(run.startMs).toISOString(),
      requests: run.series.get('http_reqs')?.moments.sum ?? 0,
      // Judged on the full run: the compact copy drops the tags some SLOs select on.
      sloVerdict: run.savedVerdict ?? judgeRun(run).verdict,
    });
  });
  const noise = runToRunNoise(runs);
  if (noise) manifest.noise = noise;
  files.push({ path: join(dir, MANIFEST), content: `${JSON.stringify(manifest, null, 2)}\n` });
  writeFilesAtomic(files);
  // A re-saved baseline with fewer runs must not leave stale run files to be committed.
  const keep = new Set(manifest.runs.map((r) => r.file));
  for (const f of readdirSync(dir)) if (/^run-\d+\.json$/.test(f) && !keep.has(f)) rmSync(join(dir, f));
  return dir;
}

export function isBaselineDir(path: string): boolean {
  return existsSync(join(path, MANIFEST));
}

export function readManifest(dir: string): BaselineManifest {
  const m = readJsonFile(join(dir, MANIFEST), 'baseline manifest') as Partial<BaselineManifest>;
  if (m?.format !== BASELINE_FORMAT || !Array.isArray(m.runs)) throw new InputError(join(dir, MANIFEST), undefined, `not a ledger-perf baseline manifest (missing "format": "${BASELINE_FORMAT}")`);
  return m as BaselineManifest;
}

export function loadBaseline(dir: string): RunSummary[] {
  const manifest = readManifest(dir);
  return manifest.runs.map((r) => {
    const file = join(dir, r.file);
    const run = summaryFromJson(readJsonFile(file, 'baseline run'), file);
    return { ...run, meta: { ...run.meta, sources: [`${manifest.name}/${r.file}`] }, ...(r.sloVerdict ? { savedVerdict: r.sloVerdict } : {}) };
  });
}

export function listBaselines(root: string): BaselineManifest[] {
  const dir = resolve(root);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => statSync(join(dir, n)).isDirectory() && isBaselineDir(join(dir, n)))
    .sort()
    .map((n) => readManifest(join(dir, n)));
}
