// dist/manifest.json, written by esbuild.config.mjs: per workload its bundle and the SLO sets
// k6 can pick in it (the workload's own set, then the shipped sets THRESHOLDS=<name> selects),
// with each set's content as it was bundled. The runner copies exactly the chosen set into the
// run folder, so the report judges a run by the levels k6 enforced, not by today's file.
//
// A workload may load side modules beside its script (dist/ed25519.js for SIGNING=local; see
// K6_SIDE_MODULES in cli/build/k6-esbuild-options.mjs): sideModulesLoaded() says which a run
// loads, and scriptHash() covers the script and exactly those.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { selectedSloSetName, type ThresholdsFile } from '../../lib/shared/slo.ts';

export const BUILD_MANIFEST = 'manifest.json';

export interface BuiltWorkload {
  script: string;
  bytes: number;
  /** Name of the workload's own SLO set (the thresholds file its entry point imports). */
  sloSet: string | null;
  /** Every set THRESHOLDS=<name> may select in this bundle. */
  selectableSloSets: string[];
  /** Side modules the script may require() beside it (file names in dist/). */
  sideModules?: string[];
  /** Side modules it loads in every run, whatever the env. */
  alwaysLoads?: string[];
}

export interface BuiltSideModule {
  file: string;
  bytes: number;
  /** Env values that make a script load it (all must hold). */
  neededWhen: Record<string, string>;
}

export interface BuildManifest {
  builtAt: string;
  workloads: Record<string, BuiltWorkload>;
  sideModules?: Record<string, BuiltSideModule>;
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

/** The side modules (file names beside the script) a run of this workload with this env loads. */
export function sideModulesLoaded(manifest: BuildManifest | undefined, workload: string, env: Record<string, string | undefined>): string[] {
  const built = manifest?.workloads[workload];
  return (built?.sideModules ?? []).filter((name) => {
    if (built?.alwaysLoads?.includes(name)) return true;
    const side = manifest?.sideModules?.[name];
    return side !== undefined && Object.entries(side.neededWhen).every(([k, v]) => env[k] === v);
  });
}

/**
 * sha256 (hex) of what k6 runs: the script's bytes when it loads nothing beside it (so the hash of
 * a single-file run is the plain file hash), else of `sha256sum`-style lines, "<hex>  <name>\n",
 * for the script and then each side module, so a changed side module changes the hash too.
 */
export function scriptHash(script: string, sideModules: readonly string[] = []): string {
  const fileHash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
  if (sideModules.length === 0) return fileHash(script);
  const dir = dirname(script);
  const lines = [script, ...sideModules.map((m) => join(dir, m))].map((p) => `${fileHash(p)}  ${basename(p)}\n`);
  return createHash('sha256').update(lines.join('')).digest('hex');
}
