// The shipped, workload-independent SLO sets, bundled so a run can swap its workload's default
// set for another with -e THRESHOLDS=<name> (e.g. the lenient `smoke` set for quick runs on a
// busy machine, or `tps-tiers` for the seed 004 progression). Each file is schema-checked at
// build time by the esbuild plugin, so nothing is validated here per VU.

import apiDefault from '../../thresholds/api-default.json';
import locustApi from '../../thresholds/locust-api.json';
import perEndpoint from '../../thresholds/per-endpoint.json';
import smoke from '../../thresholds/smoke.json';
import systemStress from '../../thresholds/system-stress.json';
import tpsTiers from '../../thresholds/tps-tiers.json';
import walkthroughTiers from '../../thresholds/walkthrough-tiers.json';
import { selectedSloSetName, type ThresholdsFile } from './slo.ts';

export const namedThresholds: Readonly<Record<string, ThresholdsFile>> = {
  'api-default': apiDefault,
  'locust-api': locustApi,
  'per-endpoint': perEndpoint,
  smoke,
  'system-stress': systemStress,
  'tps-tiers': tpsTiers,
  'walkthrough-tiers': walkthroughTiers,
};

/**
 * The SLO set for this run: THRESHOLDS=<name> picks a shipped set (or names the workload's own
 * default), unset keeps the workload's default. An unknown name is an Error listing valid ones.
 */
export function selectThresholds(env: { [key: string]: string | undefined }, workloadDefault: ThresholdsFile): ThresholdsFile {
  const name = selectedSloSetName(env, workloadDefault.name, Object.keys(namedThresholds));
  return name === workloadDefault.name ? workloadDefault : namedThresholds[name]!;
}
