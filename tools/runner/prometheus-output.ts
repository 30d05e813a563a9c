// How the pinned k6 streams to Prometheus with trends as native histograms. k6 v1 reads
// K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM; k6 v2.1+ has the feature flag
// `--features native-histograms` (the old variable is kept there as an alias). One place decides,
// so docker-compose.yml's k6 service, the runner and the tests agree (test/watch/ checks it).

export interface PrometheusOutput {
  /** k6 arguments: the output itself plus the native-histogram switch when it is a flag. */
  args: string[];
  /** Environment for the k6 process. */
  env: Record<string, string>;
}

/** [major, minor, patch] of "v1.8.1" / "2.2.0"; throws on anything else. */
export function parseK6Version(version: string): [number, number, number] {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  if (!m) throw new Error(`not a k6 version: "${version}" (expected e.g. v1.8.1 or 2.2.0)`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** True when this k6 turns native histograms on with `--features native-histograms`. */
export function hasNativeHistogramFeatureFlag(version: string): boolean {
  const [major, minor] = parseK6Version(version);
  return major > 2 || (major === 2 && minor >= 1);
}

export function nativeHistogramSwitch(version: string): PrometheusOutput {
  return hasNativeHistogramFeatureFlag(version) ? { args: ['--features=native-histograms'], env: {} } : { args: [], env: { K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true' } };
}

/**
 * `-o experimental-prometheus-rw` to `remoteWriteUrl` (…/api/v1/write), trends as native
 * histograms, pushed every `pushInterval`.
 */
export function prometheusOutput(version: string, remoteWriteUrl: string, pushInterval = '5s'): PrometheusOutput {
  const sw = nativeHistogramSwitch(version);
  return {
    args: ['-o', 'experimental-prometheus-rw', ...sw.args],
    env: { K6_PROMETHEUS_RW_SERVER_URL: remoteWriteUrl, K6_PROMETHEUS_RW_PUSH_INTERVAL: pushInterval, ...sw.env },
  };
}

/**
 * PROMETHEUS_RW_URL (e.g. http://127.0.0.1:9090/api/v1/write, the compose stack's Prometheus):
 * runner runs also stream there. Unset: undefined. Throws naming the variable on a bad URL.
 */
export function prometheusOutputFromEnv(env: NodeJS.ProcessEnv, version: string): PrometheusOutput | undefined {
  const raw = env.PROMETHEUS_RW_URL?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`PROMETHEUS_RW_URL=${JSON.stringify(raw)} is not a URL. Fix: PROMETHEUS_RW_URL=http://127.0.0.1:9090/api/v1/write (the remote-write endpoint), or unset it`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`PROMETHEUS_RW_URL must be an http(s) URL, got ${JSON.stringify(raw)}`);
  return prometheusOutput(version, url.href, env.K6_PROMETHEUS_RW_PUSH_INTERVAL ?? '5s');
}
