// k6 `-e` arguments shared by the tests and benchmarks that run a workload bundle directly
// (without the runner): the smoke profile with every iteration a signed submission.

/** `-e` pairs for a submit-only smoke run: every iteration submits one transaction (MIX). */
export function submitOnlySmokeEnv(o: { baseUrl: string; iterations: number; signing: string; extra?: Record<string, string> }): string[] {
  const env: Record<string, string> = { BASE_URL: o.baseUrl, PROFILE: 'smoke', ITERATIONS: String(o.iterations), MIX: '{"submit":1}', SIGNING: o.signing, ...o.extra };
  return Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
}
