// Thresholds files: compilation to k6 thresholds, warn/target verdicts, the schema + rule
// validation with file/pointer/fix messages, the validate CLI and the esbuild build-time check.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { build } from 'esbuild';
import { thresholdsValidationPlugin } from '../../cli/build/validate-esbuild-plugin.ts';
import { ConfigFileError, loadThresholdsFile, shippedThresholdNames, thresholdsDir } from '../../cli/slo/load.ts';
import { checkSloSemantics, compileThresholds, parseAggregation, parseMetricSelector, type ThresholdsFile, thresholdKey } from '../../lib/shared/slo.ts';
import { namedThresholds, selectThresholds } from '../../lib/shared/slo-registry.ts';
import { validateThresholdFiles } from '../../tools/build/validate-thresholds.ts';
import { projectRoot } from '../helpers/paths.ts';

const tmp = mkdtempSync(join(tmpdir(), 'thresholds-test-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Writes <tmp>/<dir>/<name>.json; returns its path. */
function writeFile(name: string, value: unknown, dir = 'thresholds'): string {
  mkdirSync(join(tmp, dir), { recursive: true });
  const path = join(tmp, dir, `${name}.json`);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return path;
}

const entry = (over: Record<string, unknown> = {}) => ({ id: 'p95', metric: 'http_req_duration', aggregation: 'p(95)', operator: '<', fail: 500, ...over });

describe('compileThresholds', () => {
  it('turns fail levels into k6 thresholds, merging tag filters into sorted submetric keys', () => {
    const file: ThresholdsFile = {
      name: 'x',
      slos: [
        entry(),
        entry({ id: 'p99', aggregation: 'p(99)', fail: 1000, warn: 800 }),
        entry({ id: 'submit', metric: 'http_req_duration{name:POST /transactions/validate}', tags: { payload_size: '1MB' }, fail: 2000 }),
        { id: 'err', metric: 'http_req_failed', aggregation: 'rate', operator: '<', fail: 0.01, abortOnFail: true, delayAbortEval: '10s' },
        { id: 'warn-only', metric: 'checks', aggregation: 'rate', operator: '>', warn: 0.999 },
        { id: 'derived', metric: 'recovery_time_s', aggregation: 'value', operator: '<', fail: 30, evaluate: 'report' },
      ],
    };
    assert.deepEqual(compileThresholds(file), {
      http_req_duration: ['p(95)<500', 'p(99)<1000'],
      'http_req_duration{name:POST /transactions/validate,payload_size:1MB}': ['p(95)<2000'],
      http_req_failed: [{ threshold: 'rate<0.01', abortOnFail: true, delayAbortEval: '10s' }],
    });
  });

  it('parses selectors the way k6 does (first { to last }, so values may contain braces)', () => {
    assert.deepEqual(parseMetricSelector('http_req_duration{name:GET /registers/{id}, status:200}'), { name: 'http_req_duration', tags: { name: 'GET /registers/{id}', status: '200' } });
    assert.equal(parseMetricSelector('http_req_duration{name}'), undefined);
    assert.equal(parseMetricSelector('9metric'), undefined);
    assert.equal(thresholdKey({ metric: 'checks', tags: { b: '2', a: '1' } }), 'checks{a:1,b:2}');
  });

  it('every shipped file compiles to k6 threshold expressions', () => {
    for (const name of shippedThresholdNames()) {
      const compiled = compileThresholds(loadThresholdsFile(join(thresholdsDir, `${name}.json`)));
      for (const rules of Object.values(compiled)) {
        for (const r of rules)
          assert.match(typeof r === 'string' ? r : r.threshold, /^(avg|min|max|med|rate|count|value|p\(\d+(\.\d+)?\))(<|<=|>|>=|==|!=)-?\d+(\.\d+)?(e-?\d+)?$/, `${name}: ${JSON.stringify(r)}`);
      }
    }
  });
});

describe('parseAggregation', () => {
  it('types what k6 accepts and rejects the rest', () => {
    assert.deepEqual(parseAggregation('p(99.9)'), { kind: 'percentile', percentile: 99.9 });
    assert.deepEqual(parseAggregation('rate'), { kind: 'rate' });
    assert.equal(parseAggregation('p95'), undefined);
    assert.equal(parseAggregation('mean'), undefined);
  });
});

describe('checkSloSemantics', () => {
  const problems = (slos: unknown[]) => checkSloSemantics({ name: 'x', slos } as ThresholdsFile);
  it('accepts well-ordered levels', () => {
    assert.deepEqual(problems([entry({ warn: 400, target: 300 }), entry({ id: 'c', metric: 'checks', aggregation: 'rate', operator: '>', fail: 0.9, warn: 0.95, target: 0.99 })]), []);
  });
  it('flags warn after fail, loose targets, duplicate ids, bad percentiles, missing levels, aborts without fail', () => {
    const got = problems([
      entry({ warn: 600 }),
      entry({ id: 'b', operator: '>', fail: 10, warn: 20, target: 15 }),
      entry({ id: 'b', aggregation: 'p(100)' }),
      { id: 'none', metric: 'checks', aggregation: 'rate', operator: '>' },
      { id: 'abort', metric: 'checks', aggregation: 'rate', operator: '>', warn: 0.9, abortOnFail: true },
      entry({ id: 'both', metric: 'http_req_duration{name:a}', tags: { name: 'b' } }),
    ]);
    assert.deepEqual(
      got.map((p) => p.pointer),
      ['/slos/0/warn', '/slos/1/target', '/slos/2/id', '/slos/2/aggregation', '/slos/3', '/slos/4/abortOnFail', '/slos/5/tags'],
    );
    assert.match(got[0]!.fix, /warn at most the fail level/);
    for (const p of got) assert.ok(p.fix.length > 10, `every problem says how to fix it: ${JSON.stringify(p)}`);
  });
});

describe('loading thresholds files', () => {
  it('every shipped thresholds file is valid', () => {
    const names = shippedThresholdNames();
    for (const required of ['api-default', 'tps-tiers', 'walkthrough-tiers', 'per-endpoint', 'smoke', 'system-stress', 'locust-api']) assert.ok(names.includes(required), required);
    for (const n of names) assert.doesNotThrow(() => loadThresholdsFile(join(thresholdsDir, `${n}.json`)), n);
  });

  it('api-default holds the seed 001 targets', () => {
    const compiled = compileThresholds(loadThresholdsFile(join(thresholdsDir, 'api-default.json')));
    assert.deepEqual(compiled, { http_req_duration: ['p(95)<500', 'p(99)<1000'], http_req_failed: ['rate<0.01'], checks: ['rate>0.99'] });
  });

  const cases: Array<[string, unknown, RegExp]> = [
    ['wrong-type', { name: 'wrong-type', slos: [entry({ fail: '500' })] }, /wrong-type\.json:\d+: \/slos\/0\/fail: must be number, got "500" — fix: write a number here/],
    ['unknown-prop', { name: 'unknown-prop', slos: [entry({ treshold: 1 })] }, /\/slos\/0\/treshold: unknown property "treshold" — fix: remove it or correct its spelling; allowed: id, metric/],
    ['missing', { name: 'missing', slos: [{ id: 'a', metric: 'checks', operator: '>' }] }, /\/slos\/0\/aggregation: required property "aggregation" is missing — fix: add "aggregation"/],
    ['bad-op', { name: 'bad-op', slos: [entry({ operator: '=<' })] }, /\/slos\/0\/operator: "=<" is not allowed — fix: use one of "<", "<="/],
    ['bad-agg', { name: 'bad-agg', slos: [entry({ aggregation: 'p95' })] }, /\/slos\/0\/aggregation: "p95" has the wrong form — fix: avg, min, max, med, p\(N\)/],
    ['name-mismatch', { name: 'other', slos: [entry()] }, /\/name: name "other" differs from the file name — fix: set "name": "name-mismatch"/],
    ['order', { name: 'order', slos: [entry({ warn: 900 })] }, /\/slos\/0\/warn: warn 900 trips after fail 500/],
    ['syntax', '{ "name": "syntax", slos: [] }', /syntax\.json: \/: not valid JSON at line 1, column \d+/],
  ];
  for (const [name, content, re] of cases) {
    it(`reports ${name} with file, pointer and fix`, () => {
      const path = writeFile(name, content);
      assert.throws(
        () => loadThresholdsFile(path),
        (err: unknown) => {
          assert.ok(err instanceof ConfigFileError);
          assert.match(err.message, re);
          return true;
        },
      );
    });
  }

  it('names the line of the offending key (or of its nearest parent when the key is missing)', () => {
    const text = [
      '{',
      '  "name": "lines",',
      '  "slos": [',
      '    { "id": "a", "metric": "checks", "aggregation": "rate", "operator": ">", "fail": 0.9 },',
      '    {',
      '      "id": "b",',
      '      "metric": "http_req_duration",',
      '      "aggregation": "p(95)",',
      '      "operator": "<",',
      '      "fail": "500"',
      '    },',
      '    { "id": "c", "metric": "checks", "operator": ">", "fail": 1 }',
      '  ]',
      '}',
    ].join('\n');
    const path = writeFile('lines', text);
    assert.throws(
      () => loadThresholdsFile(path),
      (err: unknown) => {
        assert.ok(err instanceof ConfigFileError);
        assert.deepEqual(
          err.problems.map((p) => [p.pointer, p.line]),
          [
            ['/slos/1/fail', 10],
            ['/slos/2/aggregation', 12],
          ],
        );
        assert.match(err.message, /lines\.json:10: \/slos\/1\/fail: must be number/);
        return true;
      },
    );
  });

  it('a missing file says so', () => {
    assert.throws(() => loadThresholdsFile(join(tmp, 'nope.json')), /nope\.json: \/: file not found — fix: check the path/);
  });
});

describe('validate-thresholds CLI', () => {
  it('prints ok lines and returns 0 for valid files, 2 with every problem otherwise', () => {
    const out: string[] = [];
    const err: string[] = [];
    const good = join(thresholdsDir, 'api-default.json');
    assert.equal(
      validateThresholdFiles(
        [good],
        (l) => out.push(l),
        (l) => err.push(l),
      ),
      0,
    );
    assert.match(out[0]!, /^ok {2}.*api-default\.json \(4 SLOs\)$/);
    const bad = writeFile('cli-bad', { name: 'cli-bad', slos: [entry({ fail: 'x', warn: 'y' })] });
    assert.equal(
      validateThresholdFiles(
        [good, bad],
        () => {},
        (l) => err.push(l),
      ),
      2,
    );
    assert.match(err.join('\n'), /\/slos\/0\/fail: must be number[\s\S]*\/slos\/0\/warn: must be number[\s\S]*1 of 2 thresholds file\(s\) invalid/);
  });

  it('exits non-zero as a process, without a stack trace', () => {
    const bad = writeFile('proc-bad', { name: 'proc-bad', slos: [] });
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'tools', 'build', 'validate-thresholds.ts'), bad], { encoding: 'utf8', cwd: projectRoot });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /proc-bad\.json:3: \/slos: must NOT have fewer than 1 items/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });
});

describe('esbuild plugin', () => {
  const bundle = (entryPoint: string) => build({ entryPoints: [entryPoint], bundle: true, write: false, format: 'esm', logLevel: 'silent', plugins: [thresholdsValidationPlugin()] });

  it('bundles a valid thresholds file', async () => {
    writeFile('good', { name: 'good', slos: [entry()] }, 'plugin/thresholds');
    const main = join(tmp, 'plugin', 'ok.ts');
    writeFileSync(main, "import slo from './thresholds/good.json';\nexport const n = slo.slos.length;\n");
    const r = await bundle(main);
    assert.match(r.outputFiles[0]!.text, /http_req_duration/);
  });

  it('fails the build naming the file, pointer and fix', async () => {
    writeFile('broken', { name: 'broken', slos: [entry({ warn: 700 })] }, 'plugin/thresholds');
    const main = join(tmp, 'plugin', 'bad.ts');
    writeFileSync(main, "import slo from './thresholds/broken.json';\nexport const n = slo.slos.length;\n");
    await assert.rejects(bundle(main), (err: { errors?: Array<{ text: string }> }) => {
      assert.match(err.errors?.[0]?.text ?? '', /broken\.json:\d+: \/slos\/0\/warn: warn 700 trips after fail 500 .* — fix: make warn at most the fail level/);
      return true;
    });
  });
});

describe('selectThresholds (THRESHOLDS=<name>)', () => {
  const own: ThresholdsFile = { name: 'workload-x', slos: [] };
  it('keeps the workload default when unset or naming it, else picks a shipped set', () => {
    assert.equal(selectThresholds({}, own), own);
    assert.equal(selectThresholds({ THRESHOLDS: 'workload-x' }, own), own);
    assert.equal(selectThresholds({ THRESHOLDS: 'tps-tiers' }, own), namedThresholds['tps-tiers']);
  });
  it('an unknown name lists the valid ones', () => {
    assert.throws(() => selectThresholds({ THRESHOLDS: 'nope' }, own), /THRESHOLDS="nope" is not a known SLO set\. Valid: workload-x, api-default, .*walkthrough-tiers/);
  });
  it('the registry holds every shipped set that is not a workload default, each matching its file', () => {
    for (const n of shippedThresholdNames().filter((n) => !n.startsWith('workload-'))) {
      assert.deepEqual(namedThresholds[n], loadThresholdsFile(join(thresholdsDir, `${n}.json`)), n);
    }
  });
});
