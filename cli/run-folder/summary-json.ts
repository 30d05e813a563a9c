// k6's --summary-export (summary.json): the one reader. The analysis uses it only for what k6
// itself decided, its threshold verdicts; every figure comes from k6.json.gz.
import { ConfigFileError, readJsonSource } from '../config/json-source.ts';

/** A threshold as k6 evaluated it: metrics[<metric>].thresholds[<expression>]. */
export interface K6ThresholdResult {
  metric: string;
  expression: string;
  /** k6's verdict; null when unknown (merged runs), then it is recomputed from the data. */
  failed: boolean | null;
}

/** In k6's summary export `true` means the threshold was crossed (k6 ≥ 0.x also writes { ok }). */
export function readK6Thresholds(file: string): K6ThresholdResult[] {
  const { data } = readJsonSource(file);
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new ConfigFileError(file, [{ pointer: '', message: 'summary.json must be a JSON object', fix: 'write it with k6 run --summary-export <run>/summary.json' }]);
  const metrics = (data as { metrics?: unknown }).metrics;
  const out: K6ThresholdResult[] = [];
  if (typeof metrics !== 'object' || metrics === null) return out;
  for (const [metric, m] of Object.entries(metrics as Record<string, { thresholds?: Record<string, unknown> }>)) {
    for (const [expression, failed] of Object.entries(m?.thresholds ?? {})) {
      if (typeof failed === 'boolean') out.push({ metric, expression, failed });
      else if (failed && typeof failed === 'object' && 'ok' in failed) out.push({ metric, expression, failed: !(failed as { ok: boolean }).ok });
    }
  }
  return out;
}
