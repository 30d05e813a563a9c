// Which switch turns k6's trends into native histograms, per k6 version, and PROMETHEUS_RW_URL.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasNativeHistogramFeatureFlag, nativeHistogramSwitch, parseK6Version, prometheusOutput, prometheusOutputFromEnv } from '../../tools/runner/prometheus-output.ts';

describe('k6 Prometheus remote-write settings', () => {
  it('k6 v1 and v2.0 use K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM; v2.1+ the --features flag', () => {
    assert.deepEqual(nativeHistogramSwitch('v1.8.1'), { args: [], env: { K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true' } });
    assert.equal(hasNativeHistogramFeatureFlag('v2.0.3'), false);
    assert.equal(hasNativeHistogramFeatureFlag('2.1.0'), true);
    assert.deepEqual(nativeHistogramSwitch('v2.2.0'), { args: ['--features=native-histograms'], env: {} });
    assert.equal(hasNativeHistogramFeatureFlag('v3.0.0'), true);
    assert.throws(() => parseK6Version('latest'), /not a k6 version: "latest"/);
  });

  it('the output: -o experimental-prometheus-rw, the endpoint and push interval by env', () => {
    const o = prometheusOutput('v1.8.1', 'http://127.0.0.1:9090/api/v1/write', '2s');
    assert.deepEqual(o.args, ['-o', 'experimental-prometheus-rw']);
    assert.equal(o.env.K6_PROMETHEUS_RW_SERVER_URL, 'http://127.0.0.1:9090/api/v1/write');
    assert.equal(o.env.K6_PROMETHEUS_RW_PUSH_INTERVAL, '2s');
  });

  it('PROMETHEUS_RW_URL: unset is off, a bad value is an error naming the variable', () => {
    assert.equal(prometheusOutputFromEnv({}, 'v1.8.1'), undefined);
    assert.equal(prometheusOutputFromEnv({ PROMETHEUS_RW_URL: ' ' }, 'v1.8.1'), undefined);
    assert.equal(prometheusOutputFromEnv({ PROMETHEUS_RW_URL: 'http://127.0.0.1:9090/api/v1/write' }, 'v2.2.0')!.args.at(-1), '--features=native-histograms');
    assert.throws(() => prometheusOutputFromEnv({ PROMETHEUS_RW_URL: '127.0.0.1:9090' }, 'v1.8.1'), /PROMETHEUS_RW_URL.*(not a URL|http\(s\))/);
    assert.throws(() => prometheusOutputFromEnv({ PROMETHEUS_RW_URL: 'nonsense' }, 'v1.8.1'), /PROMETHEUS_RW_URL="nonsense" is not a URL\. Fix:/);
  });
});
