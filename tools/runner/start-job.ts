// What `npm start` runs, in one place, so the shipped baseline is made by the same job.
export const START_WORKLOAD = 'mixed-workload';

// Variables the workload and profiles read; forwarded explicitly so run.json records them
// (names that look secret are never recorded).
const FORWARDED = [
  'API_LAYOUT',
  'TENANT_URL',
  'WALLET_URL',
  'REGISTER_URL',
  'VALIDATOR_URL',
  'REGISTER_ID',
  'CORRIDOR_WEIGHTS',
  'MIX',
  'SIGNING',
  'PAYLOAD_BYTES',
  'THINK_TIME',
  'HTTP_TIMEOUT',
  'THRESHOLDS',
  'VUS_SCALE',
  'RATE_SCALE',
  'DURATION_SCALE',
  'ITERATIONS',
  'MAX_VUS',
  'TRACE_CONTEXT',
];

export function startJobProfile(env: NodeJS.ProcessEnv): string {
  return env.PROFILE ?? 'average';
}

/** The -e variables of the start job: a one-minute "average" run at 20 VUs unless overridden. */
export function startJobEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const chosenProfile = env.PROFILE !== undefined;
  const out: Record<string, string> = {};
  const duration = env.PROFILE_DURATION ?? (chosenProfile ? undefined : '60s');
  const vusScale = env.VUS_SCALE ?? (chosenProfile ? undefined : '0.4');
  if (duration !== undefined && env.DURATION_SCALE === undefined) out.PROFILE_DURATION = duration;
  if (vusScale !== undefined) out.VUS_SCALE = vusScale;
  for (const name of FORWARDED) if (env[name] !== undefined) out[name] = env[name]!;
  return out;
}
