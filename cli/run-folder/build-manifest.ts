// dist/manifest.json, written by esbuild.config.mjs: per workload its bundle and the SLO sets
// k6 can pick in it (the workload's own set, then the shipped sets THRESHOLDS=<name> selects),
// with each set's content as it was bundled. The runner copies exactly the chosen set into the
// run folder, so the report judges a run by the levels k6 enforced, not by today's file.
import { existsSync, readFileSync } from 'node:fs';
import { selectedSloSetName, type ThresholdsFile } from '../../lib/shared/slo.ts';

export const BUILD_MANIFEST = 'manifest.json';

export interface BuiltWorkload {
  script: string;
  bytes: number;
  /** Name of the workload's own SLO set (the thresholds file its entry point imports). */
  sloSet: string | null;
  /** Every set THRESHOLDS=<name> may select in this bundle. */
  selectableSloSets: string[];
}

export interface BuildManifest {
  builtAt: string;
  workloads: Record<string, BuiltWorkload>;
  sloSets: Record<string, { file: string; set: ThresholdsFile }>;
}

export function readBuildManifest(distDir: string): BuildManifest | undefined {
  const file = `${distDir}/${BUILD_MANIFEST}`;
  if (!existsSync(file)) return undefined;
  const m = JSON.parse(readFileSync(file, 'utf8')) as Partial<BuildManifest>;
  return m.workloads && m.sloSets ? (m as BuildManifest) : undefined;
}

export interface EffectiveSloSet {
  name: string;
  file: string;
  set: ThresholdsFile;
}

/**
 * The set k6 enforces for this workload and env, by k6's own rule (lib/shared/slo.ts
 * selectedSloSetName) over what the bundle holds. undefined when the
 * bundle has none or k6 would reject the name (k6 then fails the run itself).
 */
export function effectiveSloSet(manifest: BuildManifest, workload: string, env: Record<string, string | undefined>): EffectiveSloSet | undefined {
  const built = manifest.workloads[workload];
  if (!built?.sloSet) return undefined;
  let name: string;
  try {
    name = selectedSloSetName(env, built.sloSet, built.selectableSloSets);
  } catch {
    return undefined;
  }
  const entry = manifest.sloSets[name];
  return entry ? { name, file: entry.file, set: entry.set } : undefined;
}
