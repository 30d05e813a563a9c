// Payload sizes for the payload-size workload: seed 000's 1 KB … 1 MB ladder, overridable with
// PAYLOAD_SIZES=1KB,10KB. Labels are the metric tag `payload_size`, so they stay the short,
// stable spellings users write in thresholds (1KB, 1MB), never raw byte counts. Pure.
import { invalidValue, type ProblemSink } from './env-knobs.ts';

export interface PayloadSize {
  label: string;
  bytes: number;
}

/** Seed 000: 1 KB, 10 KB, 50 KB, 100 KB, 500 KB, 1 MB. */
export const DEFAULT_PAYLOAD_SIZES = '1KB,10KB,50KB,100KB,500KB,1MB';
/** The contract's body limit is 10 MB; a payload needs room for the rest of the body. */
export const MAX_PAYLOAD_BYTES = 9 * 1024 * 1024;

const SIZE_RE = /^(\d+)(B|KB|MB)$/;
const UNIT_BYTES: Record<string, number> = { B: 1, KB: 1024, MB: 1024 * 1024 };

/** Parses "1KB,10KB,1MB" (binary units: 1 KB = 1024 bytes); problems name PAYLOAD_SIZES. */
export function parsePayloadSizes(source: string, problems: ProblemSink, envName = 'PAYLOAD_SIZES'): PayloadSize[] {
  const out: PayloadSize[] = [];
  const seen = new Set<string>();
  for (const raw of source.split(',')) {
    const label = raw.trim().toUpperCase();
    const m = SIZE_RE.exec(label);
    const bytes = m ? Number(m[1]) * UNIT_BYTES[m[2]!]! : NaN;
    if (!m || bytes < 64 || bytes > MAX_PAYLOAD_BYTES) {
      problems.add(invalidValue(envName, source, `payload sizes from 64B to 9MB such as ${DEFAULT_PAYLOAD_SIZES} (${JSON.stringify(raw.trim())} is not one)`));
      continue;
    }
    if (seen.has(label)) {
      problems.add(invalidValue(envName, source, `each size once (${label} is listed twice)`));
      continue;
    }
    seen.add(label);
    out.push({ label, bytes });
  }
  return out;
}
