// What every workload in scenarios/ shares: one read of every knob (run configuration, profile,
// the workload's own) so a bad value anywhere is listed with all the others before k6 starts;
// the options from the profile and the workload's SLO file; the set-up of the run's world.
// A workload file is left with its own knobs, extra thresholds and the default function.
import type { Options } from 'k6/options';
import type { RunConfig } from '../shared/config.ts';
import type { EnvKnobs } from '../shared/env-knobs.ts';
import { describeProfile, type ScheduledProfile } from '../shared/profiles.ts';
import { derivedHttpTimeout } from '../shared/progress-guard.ts';
import type { ThresholdsFile } from '../shared/slo.ts';
import { selectThresholds } from '../shared/slo-registry.ts';
import { readRunKnobs } from '../shared/workload-knobs.ts';
import { failOnConfigProblems } from './config-failure.ts';
import { buildOptions, withProgressGuard } from './options.ts';
import { progressGuard } from './progress-guard.ts';
import { setupWorld, type World } from './setup.ts';

type K6Thresholds = NonNullable<Options['thresholds']>;

export interface WorkloadSpec<K, W extends World> {
  /** The workload's name: the `workload` tag and the bundle's name (dist/<name>.js). */
  name: string;
  /** Its SLO file (thresholds/*.json, imported as JSON). */
  slo: ThresholdsFile | object;
  /** Profile when PROFILE is unset; DEFAULT_PROFILE otherwise. */
  defaultProfile?: string;
  /**
   * Reads the workload's own knobs; problems go to `knobs` and are listed with all others. Use the
   * workload's entry of WORKLOAD_KNOBS (lib/shared/workload-knobs.ts): the plan checker reads it too.
   */
  knobs?: (knobs: EnvKnobs, config: RunConfig) => K;
  /** Thresholds added to the options (informational per-step or per-level ones). */
  thresholds?: (profile: ScheduledProfile, own: K) => K6Thresholds;
  /** Set-up of the run's world; setupWorld by default. */
  setup?: (config: RunConfig, own: K) => Promise<W>;
}

export interface Workload<K, W extends World> {
  options: Options;
  config: RunConfig;
  /** What `spec.knobs` returned. */
  own: K;
  setup: () => Promise<W>;
  /** The progress guard's scenario function: every workload exports it as `progressGuard`. */
  progressGuard: () => void;
}

export function defineWorkload<K = undefined, W extends World = World>(spec: WorkloadSpec<K, W>, env: Record<string, string | undefined> = __ENV): Workload<K, W> {
  const { knobs, profileEnv, config: loaded, own } = readRunKnobs(env, spec.knobs, spec.defaultProfile);
  failOnConfigProblems(knobs); // one clean line per problem, no stack trace (config-failure.ts)
  // Without HTTP_TIMEOUT a request times out at a multiple of the SLO set's latency fail level,
  // so a hung target turns into failed requests inside the run (lib/shared/progress-guard.ts).
  const config: RunConfig = env.HTTP_TIMEOUT ? loaded : { ...loaded, httpTimeout: derivedHttpTimeout(selectThresholds(profileEnv, spec.slo as ThresholdsFile).slos) };

  const base = buildOptions({ workload: spec.name, thresholds: spec.slo, env: profileEnv });
  const profile = describeProfile(profileEnv.PROFILE, profileEnv);
  const extra = spec.thresholds?.(profile, own);
  const options: Options = withProgressGuard(extra ? { ...base, thresholds: { ...base.thresholds, ...extra } } : base, profile);
  const setup = spec.setup ? () => spec.setup!(config, own) : () => setupWorld(config) as Promise<W>;
  return { options, config, own, setup, progressGuard };
}
