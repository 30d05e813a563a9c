// SLO and plan files are checked against what exists: each bad case names the file, the line,
// the JSON pointer and the nearest valid name, and exits 2 from every entry point that reads it
// (validate-thresholds, report --thresholds, plan validation, suite --dry-run).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cli, tempDir } from '../cli/helpers.ts';
import { writeSyntheticRun } from '../cli/synthetic-runs.ts';
import { projectRoot } from '../helpers/paths.ts';

const tmp = tempDir('names');
after(() => tmp.cleanup());

function tsx(script: string, args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, script), ...args], { encoding: 'utf8', cwd: projectRoot });
}

function sloFile(name: string, slo: Record<string, unknown>): string {
  const dir = join(tmp.dir, 'thresholds');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  const entry = { id: 'x', metric: 'http_req_duration', aggregation: 'p(95)', operator: '<', fail: 500, ...slo };
  writeFileSync(file, `{\n  "name": "${name}",\n  "slos": [\n    ${JSON.stringify(entry)}\n  ]\n}\n`);
  return file;
}

const badSlos: Array<{ name: string; slo: Record<string, unknown>; expect: RegExp }> = [
  { name: 'metric-typo', slo: { metric: 'http_req_duraton' }, expect: /:4: \/slos\/0\/metric: unknown metric "http_req_duraton".*did you mean http_req_duration\?/ },
  { name: 'custom-typo', slo: { metric: 'docket_finalty' }, expect: /:4: \/slos\/0\/metric: unknown metric "docket_finalty".*did you mean docket_finality\?/ },
  { name: 'derived-typo', slo: { metric: 'recovery_time', aggregation: 'value', evaluate: 'report' }, expect: /:4: \/slos\/0\/metric: unknown metric "recovery_time".*did you mean recovery_time_s\?/ },
  { name: 'derived-by-k6', slo: { metric: 'recovery_time_s', aggregation: 'value' }, expect: /:4: \/slos\/0\/metric: "recovery_time_s" is a figure the report derives.*add "evaluate": "report"/ },
  { name: 'rate-on-trend', slo: { aggregation: 'rate' }, expect: /:4: \/slos\/0\/aggregation: http_req_duration is a trend: it has no "rate".*avg, min, max, med, p\(N\)/ },
  { name: 'p95-on-rate', slo: { metric: 'http_req_failed' }, expect: /:4: \/slos\/0\/aggregation: http_req_failed is a rate: it has no "p\(95\)" — fix: use one of rate/ },
  { name: 'value-on-counter', slo: { metric: 'http_reqs', aggregation: 'value', operator: '>', fail: 1 }, expect: /http_reqs is a counter: it has no "value" — fix: use one of count, rate/ },
  { name: 'tag-typo', slo: { metric: 'http_req_duration{nme:submit}' }, expect: /:4: \/slos\/0\/metric: unknown tag "nme".*did you mean name\?/ },
  { name: 'tag-object-typo', slo: { tags: { stauts: '200' } }, expect: /:4: \/slos\/0\/tags\/stauts: unknown tag "stauts".*did you mean status\?/ },
  { name: 'expected-response', slo: { metric: 'http_req_duration{expected_response:yes}' }, expect: /expected_response is "true" or "false", not "yes"/ },
];

describe('bad SLO files', () => {
  for (const c of badSlos) {
    it(`${c.name}: validate-thresholds names file, line, pointer and the fix; exit 2`, () => {
      const file = sloFile(c.name, c.slo);
      const r = tsx('tools/build/validate-thresholds.ts', [file]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`${c.name}\\.json`));
      assert.match(r.stderr, c.expect);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    });
  }

  it('report --thresholds uses the same check: exit 2, nothing written', async () => {
    const run = join(tmp.dir, 'run');
    writeSyntheticRun(run, { seed: 3, medianMs: 10, requests: 200 });
    const r = await cli(['report', run, '--thresholds', sloFile('report-typo', { metric: 'http_req_duraton' })]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /report-typo\.json:4: \/slos\/0\/metric: unknown metric "http_req_duraton".*did you mean http_req_duration\?/);
  });

  it('every shipped SLO file names only metrics, aggregations and tags that exist', () => {
    const r = tsx('tools/build/validate-thresholds.ts', []);
    assert.equal(r.status, 0, r.stderr);
  });

  it('a k6 metric judged by the report (evaluate: "report") is accepted', () => {
    const r = tsx('tools/build/validate-thresholds.ts', [sloFile('report-judged', { metric: 'checks{phase:burst}', aggregation: 'rate', operator: '>', fail: 0.8, evaluate: 'report' })]);
    assert.equal(r.status, 0, r.stderr);
  });
});

function planFile(name: string, runs: unknown[], env?: Record<string, string>): string {
  const dir = join(tmp.dir, 'plans');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, `{\n  "name": "${name}",${env ? `\n  "env": ${JSON.stringify(env)},` : ''}\n  "runs": [\n${runs.map((r) => `    ${JSON.stringify(r)}`).join(',\n')}\n  ]\n}\n`);
  return file;
}

const badPlans: Array<{ name: string; runs: unknown[]; env?: Record<string, string>; expect: RegExp }> = [
  { name: 'knob-typo', runs: [{ workload: 'mixed-workload', profile: 'smoke', env: { VUS_SCAL: '2' } }], expect: /:4: \/runs\/0\/env\/VUS_SCAL: unknown knob VUS_SCAL.*did you mean VUS_SCALE\?/ },
  {
    name: 'plan-env-typo',
    env: { DURATION_SCAL: '0.1' },
    runs: [{ workload: 'latency', profile: 'smoke' }],
    expect: /:3: \/env\/DURATION_SCAL: unknown knob DURATION_SCAL.*did you mean DURATION_SCALE\?/,
  },
  {
    name: 'knob-range',
    runs: [{ workload: 'mixed-workload', profile: 'smoke', env: { PAYLOAD_BYTES: '12' } }],
    expect: /:4: \/runs\/0\/env\/PAYLOAD_BYTES: PAYLOAD_BYTES="12" is not valid: expected a whole number from 64 to 10485760/,
  },
  { name: 'knob-type', runs: [{ workload: 'user-classes', profile: 'smoke', env: { THINK_SCALE: 'fast' } }], expect: /\/runs\/0\/env\/THINK_SCALE: THINK_SCALE="fast" is not valid/ },
  {
    name: 'own-knob',
    runs: [{ workload: 'docket-finality', profile: 'smoke', env: { FINALITY_TIMEOUT_S: '0' } }],
    expect: /\/runs\/0\/env\/FINALITY_TIMEOUT_S: FINALITY_TIMEOUT_S="0" is not valid: expected a number from 1 to 3600/,
  },
  {
    name: 'other-workload-knob',
    runs: [{ workload: 'latency', profile: 'smoke', env: { PAYLOAD_SIZES: '1KB' } }],
    expect: /\/runs\/0\/env\/PAYLOAD_SIZES: PAYLOAD_SIZES is a knob of payload-size, not of workload "latency".*run workload payload-size/,
  },
  { name: 'profile-knob', runs: [{ workload: 'latency', profile: 'smoke', env: { VUS_SCALE: '-1' } }], expect: /\/runs\/0\/env\/VUS_SCALE: VUS_SCALE="-1" is not valid: expected a positive number/ },
];

describe('bad plan files', () => {
  for (const c of badPlans) {
    it(`${c.name}: plan validation and suite --dry-run give the same clear error; exit 2`, () => {
      const file = planFile(c.name, c.runs, c.env);
      for (const r of [tsx('cli/config/plan.ts', [file]), tsx('tools/runner/suite.ts', [file, '--dry-run'])]) {
        assert.equal(r.status, 2, r.stderr);
        assert.match(r.stderr, new RegExp(`${c.name}\\.json`));
        assert.match(r.stderr, c.expect);
        assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      }
    });
  }

  it('a plan using only real knobs passes --dry-run', () => {
    const file = planFile('good', [{ workload: 'payload-size', profile: 'smoke', env: { PAYLOAD_SIZES: '1KB', VUS_SCALE: '0.5', THRESHOLDS: 'smoke' } }]);
    const r = tsx('tools/runner/suite.ts', [file, '--dry-run']);
    assert.equal(r.status, 0, r.stderr);
  });
});
