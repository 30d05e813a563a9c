// Every workload's own knobs, as pure readers keyed by workload name, and the one read of all
// knobs of a run (run configuration, profile, the workload's own). defineWorkload (k6) and the
// plan checker (cli/config/plan.ts, Node) both call readRunKnobs, so a plan's env is judged by
// exactly the code the script runs: a bad value or an unknown name fails `--dry-run`, not k6.
import { loadConfig, loadMix, type RunConfig } from './config.ts';
import { type Env, EnvKnobs } from './env-knobs.ts';
import { parsePacing } from './pacing.ts';
import { DEFAULT_PAYLOAD_SIZES, parsePayloadSizes } from './payload-sizes.ts';
import { DEFAULT_PROFILE, PROFILES } from './profiles/catalog.ts';
import { readKnobs } from './profiles/env.ts';
import { parseClassWeights, parseThinkScale } from './user-classes.ts';

export type KnobReader<K> = (knobs: EnvKnobs, config: RunConfig) => K;

/** mixed-workload's default operation mix (seed 001's 40/30/20/10). */
export const MIX_DEFAULTS = { submit: 40, readTransaction: 30, readDockets: 20, sign: 5, health: 5 } as const;
export type MixOperation = keyof typeof MIX_DEFAULTS;

/** The knobs each workload reads besides the run configuration and profile ones. */
export const WORKLOAD_KNOBS = {
  'docket-finality': (k: EnvKnobs) => ({
    // Sorcha seals at least every 10 s; six periods is generous without letting a stuck docket
    // builder hang a VU for long.
    timeoutMs: k.number('FINALITY_TIMEOUT_S', { min: 1, max: 3600, example: '60' }, 60) * 1000,
    pollSeconds: k.number('FINALITY_POLL_MS', { min: 10, max: 60000, example: '250' }, 250) / 1000,
  }),
  'error-handling': (k: EnvKnobs, config: RunConfig) => ({
    // A second organisation is only created by default on the local reference server.
    otherOrg: k.onOff('OTHER_ORG', config.loopback),
    oversize: k.onOff('OVERSIZE', true),
    // Error codes are the reference server's (TX_001–TX_017 follow Sorcha's numbering, later ones are its own).
    errorCodes: k.onOff('ERROR_CODES', config.loopback),
  }),
  latency: (k: EnvKnobs) => parsePacing(k),
  'mixed-workload': (k: EnvKnobs) => loadMix<MixOperation>(k, MIX_DEFAULTS),
  'payload-size': (k: EnvKnobs) => parsePayloadSizes(k.raw('PAYLOAD_SIZES') ?? DEFAULT_PAYLOAD_SIZES, k),
  'user-classes': (k: EnvKnobs) => ({ weights: parseClassWeights(k), thinkScale: parseThinkScale(k) }),
} satisfies Record<string, KnobReader<unknown>>;

/**
 * Env names read by something other than a knob reader: the SLO set (lib/shared/slo-registry.ts),
 * the test id (lib/k6/options.ts), trace headers (lib/k6/http.ts).
 */
export const OTHER_ENV_NAMES = ['THRESHOLDS', 'TESTID', 'TRACE_CONTEXT'] as const;

export interface RunKnobs<K> {
  knobs: EnvKnobs;
  /** env with PROFILE defaulted. */
  profileEnv: Record<string, string | undefined> & { PROFILE: string };
  config: RunConfig;
  own: K;
}

/** Reads every knob of a run; problems are left in `knobs` (call throwIfAny). */
export function readRunKnobs<K>(env: Env, reader: KnobReader<K> | undefined, defaultProfile?: string): RunKnobs<K> {
  const profileEnv = { ...env, PROFILE: env.PROFILE || defaultProfile || DEFAULT_PROFILE };
  const knobs = new EnvKnobs(profileEnv);
  knobs.raw('PROFILE');
  if (!Object.hasOwn(PROFILES, profileEnv.PROFILE)) knobs.invalid('PROFILE', profileEnv.PROFILE, `one of ${Object.keys(PROFILES).join(', ')}`);
  const config = loadConfig(knobs);
  readKnobs(knobs);
  const own = reader ? reader(knobs, config) : (undefined as K);
  return { knobs, profileEnv, config, own };
}
