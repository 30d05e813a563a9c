// `ledger-perf k8s` writes k6-operator manifests. No cluster here: what is checked is what a
// cluster would be given — every TestRun validates against the reduced TestRun schema written
// from the CRD (cli/k8s/testrun.schema.json), the ConfigMap carries the exact bundle, secrets
// appear only as Secret references, and bad input fails with a reason and writes nothing.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Ajv from 'ajv';
import { parseAllDocuments } from 'yaml';
import { executionSegments } from '../../cli/k8s/execution-segments.ts';
import { projectRoot } from '../helpers/paths.ts';
import { run, tempDir } from './helpers.ts';

const tmp = tempDir('k8s');
const SEED004 = ['baseline-100tps', 'scale-500tps', 'target-1000tps', 'endurance-1000tps', 'stress-to-failure'];
const SEED004_PROFILES = ['tps-baseline', 'tps-scale', 'tps-target', 'tps-endurance', 'breakpoint'];
const IDENTITY = ['-e', 'ORG_NAME=Perf Org', '-e', 'ORG_SUBDOMAIN=perf-org', '-e', 'ADMIN_EMAIL=perf@example.org', '-e', 'ADMIN_NAME=Perf Admin'];
/** A password in the CLI's own environment must never reach a manifest. */
const PASSWORD_IN_ENV = 'Never!nManifest9';

const k8s = (args: string[]) => run(process.execPath, [join(projectRoot, 'cli', 'bin.mjs'), 'k8s', ...args], { NO_COLOR: '1', ADMIN_PASSWORD: PASSWORD_IN_ENV });
const validateTestRun = new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(join(projectRoot, 'cli', 'k8s', 'testrun.schema.json'), 'utf8')));
const k6Version = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { config: { k6Version: string } }).config.k6Version;

function docsOf(file: string): Array<Record<string, any>> {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((d) => {
    assert.equal(d.errors.length, 0, `${file}: ${d.errors.join('; ')}`);
    return d.toJS() as Record<string, any>;
  });
}

function assertValidTestRun(doc: unknown, where: string): void {
  assert.ok(validateTestRun(doc), `${where}: ${JSON.stringify(validateTestRun.errors, null, 1)}`);
}

after(() => tmp.cleanup());

describe('k8s --plan seed004-tps-progression', () => {
  const out = join(tmp.dir, 'seed004');
  before(async () => {
    const r = await k8s(['--plan', 'seed004-tps-progression', '--parallelism', '4', '--base-url', 'http://register.ledger.svc:8080', ...IDENTITY, '--testid', 'T1', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
  });

  it('writes the five tests as five TestRuns that validate against the TestRun schema', () => {
    const files = readdirSync(out)
      .filter((f) => f.startsWith('testrun-'))
      .sort();
    assert.deepEqual(files, SEED004.map((n) => `testrun-${n}.yaml`).sort());
    SEED004.forEach((name, i) => {
      const [doc, ...rest] = docsOf(join(out, `testrun-${name}.yaml`));
      assert.equal(rest.length, 0);
      assertValidTestRun(doc, name);
      assert.equal(doc!.metadata.name, name);
      assert.equal(doc!.spec.parallelism, 4);
      assert.equal(doc!.spec.cleanup, 'post');
      const args: string[] = doc!.spec.args;
      const testId = `${name}-T1`;
      assert.ok(args.includes(`PROFILE=${SEED004_PROFILES[i]}`), `${name} runs profile ${SEED004_PROFILES[i]}`);
      assert.ok(args.includes('THRESHOLDS=tps-tiers'), 'the plan env reaches the script');
      assert.ok(args.includes('BASE_URL=http://register.ledger.svc:8080'));
      assert.deepEqual(args.slice(args.indexOf('--tag'), args.indexOf('--tag') + 2), ['--tag', `testid=${testId}`]);
      // One JSON output per runner, named by the runner's Job (expanded by Kubernetes).
      assert.ok(args.includes(`json=/results/${testId}.$(LEDGER_PERF_RUNNER).json.gz`), args.join(' '));
      assert.ok(args.includes('experimental-prometheus-rw'));
      const env: Array<Record<string, any>> = doc!.spec.runner.env;
      assert.equal(env.find((e) => e.name === 'LEDGER_PERF_RUNNER')!.valueFrom.fieldRef.fieldPath, "metadata.labels['job-name']");
      assert.ok(env.find((e) => e.name === 'K6_PROMETHEUS_RW_SERVER_URL')!.value.startsWith('http'));
      assert.deepEqual(doc!.spec.runner.resources, { requests: { cpu: '1', memory: '1Gi' }, limits: { memory: '2Gi' } });
      assert.equal(doc!.spec.runner.volumeMounts[0].mountPath, '/results');
      assert.equal(doc!.spec.runner.volumes[0].persistentVolumeClaim.claimName, 'ledger-perf-results');
    });
  });

  it('runs the image of the pinned k6 version from package.json', () => {
    const [doc] = docsOf(join(out, 'testrun-baseline-100tps.yaml'));
    assert.equal(doc!.spec.runner.image, `grafana/k6:${k6Version.replace(/^v/, '')}`);
    const reader = docsOf(join(out, 'results-volume.yaml')).find((d) => d.kind === 'Pod')!;
    assert.equal(reader.spec.containers[0].image, doc!.spec.runner.image);
  });

  it('takes secrets only from the Kubernetes Secret, never as values', () => {
    for (const f of readdirSync(out)) assert.ok(!readFileSync(join(out, f), 'utf8').includes(PASSWORD_IN_ENV), `${f} holds the password`);
    for (const name of SEED004) {
      const [doc] = docsOf(join(out, `testrun-${name}.yaml`));
      const env: Array<Record<string, any>> = doc!.spec.runner.env;
      const password = env.find((e) => e.name === 'ADMIN_PASSWORD')!;
      assert.deepEqual(password.valueFrom.secretKeyRef, { name: 'ledger-perf-credentials', key: 'admin-password', optional: false });
      for (const e of env) if (/PASSWORD|USERNAME|TOKEN|SECRET/.test(e.name)) assert.equal(e.value, undefined, `${e.name} is inline`);
      assert.ok(!doc!.spec.args.some((a: string) => /PASSWORD|SECRET|TOKEN/.test(a)), 'no secret-looking -e variable');
    }
  });

  it('puts the exact bundle (and its source map) in one ConfigMap the TestRuns name', () => {
    const [cm, ...rest] = docsOf(join(out, 'configmap-throughput.yaml'));
    assert.equal(rest.length, 0);
    assert.equal(cm!.kind, 'ConfigMap');
    assert.equal(cm!.data['throughput.js'], readFileSync(join(projectRoot, 'dist', 'throughput.js'), 'utf8'));
    assert.equal(cm!.data['throughput.js.map'], readFileSync(join(projectRoot, 'dist', 'throughput.js.map'), 'utf8'));
    const [tr] = docsOf(join(out, 'testrun-baseline-100tps.yaml'));
    assert.deepEqual(tr!.spec.script, { configMap: { name: cm!.metadata.name, file: 'throughput.js' } });
  });

  it("lists, per TestRun, each runner's output file and the SLO file for the merged report", () => {
    const index = JSON.parse(readFileSync(join(out, 'runs.json'), 'utf8')) as Array<Record<string, any>>;
    assert.deepEqual(
      index.map((r) => r.testRun),
      SEED004,
    );
    const first = index[0]!;
    assert.deepEqual(
      first.outputs,
      [1, 2, 3, 4].map((i) => `/results/baseline-100tps-T1.baseline-100tps-${i}.json.gz`),
    );
    assert.equal(first.thresholdsFile, 'thresholds/tps-tiers.json');
    assert.match(first.scriptHash, /^[0-9a-f]{64}$/);
  });

  it('the schema rejects what the CRD would prune or refuse (so the checks above can fail)', () => {
    const [doc] = docsOf(join(out, 'testrun-baseline-100tps.yaml'));
    const typo = structuredClone(doc!);
    typo.spec.paralelism = typo.spec.parallelism;
    delete typo.spec.parallelism;
    assert.equal(validateTestRun(typo), false);
    const badCleanup = structuredClone(doc!);
    badCleanup.spec.cleanup = 'always';
    assert.equal(validateTestRun(badCleanup), false);
    const badQuantity = structuredClone(doc!);
    badQuantity.spec.runner.resources.requests.memory = '1 GB';
    assert.equal(validateTestRun(badQuantity), false);
    const inlineAndRef = structuredClone(doc!);
    inlineAndRef.spec.runner.env[1].value = 'x';
    assert.equal(validateTestRun(inlineAndRef), false);
  });
});

describe('k8s <workload>', () => {
  it('writes one TestRun for a workload and profile, without Prometheus when asked', async () => {
    const out = join(tmp.dir, 'single');
    const r = await k8s([
      'throughput',
      '--profile',
      'tps-baseline',
      '--parallelism',
      '3',
      '--base-url',
      'https://ledger.example.org',
      ...IDENTITY,
      '-e',
      'RATE_SCALE=2',
      '--no-prometheus',
      '--cpu',
      '2',
      '--memory',
      '2Gi',
      '--memory-limit',
      '4Gi',
      '--separate',
      '--out',
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const [doc] = docsOf(join(out, 'testrun-throughput-tps-baseline.yaml'));
    assertValidTestRun(doc, 'single');
    assert.equal(doc!.spec.parallelism, 3);
    assert.equal(doc!.spec.separate, true);
    assert.ok(doc!.spec.args.includes('RATE_SCALE=2'));
    assert.ok(!doc!.spec.args.includes('experimental-prometheus-rw'));
    assert.ok(!doc!.spec.runner.env.some((e: { name: string }) => e.name.startsWith('K6_PROMETHEUS')));
    assert.deepEqual(doc!.spec.runner.resources, { requests: { cpu: '2', memory: '2Gi' }, limits: { memory: '4Gi' } });
    assert.match(doc!.metadata.labels['ledger-perf/testid'], /^throughput-tps-baseline-\d{8}T\d{6}Z$/);
  });

  const bad: Array<[string, string[], RegExp]> = [
    ['a secret as --env', ['-e', 'ADMIN_PASSWORD=x'], /looks like a secret.*Kubernetes Secret/],
    ['a loopback target', ['--base-url', 'http://127.0.0.1:3000'], /loopback.*in-cluster address/],
    ['an unknown profile', ['--profile', 'nope'], /unknown profile "nope"/],
    ['zero runners', ['--parallelism', '0'], /--parallelism "0"/],
    ['a bad profile knob', ['-e', 'RATE_SCALE=-1'], /RATE_SCALE/],
    ['a missing identity off loopback', ['-e', 'ORG_NAME='], /ORG_NAME is required/],
    ['a bad quantity', ['--memory', '1 GB'], /--memory "1 GB" is not a Kubernetes quantity/],
    ['a reserved variable', ['-e', 'PROFILE=smoke'], /PROFILE is set by the command: use --profile/],
  ];
  for (const [what, override, message] of bad) {
    it(`refuses ${what} with a reason and writes nothing`, async () => {
      const out = join(tmp.dir, `bad-${what.replace(/\W+/g, '-')}`);
      const base: Record<string, string> = { '--profile': 'tps-baseline', '--parallelism': '2', '--base-url': 'http://register.ledger.svc:8080' };
      const args = ['throughput', ...IDENTITY];
      for (let i = 0; i < override.length; i += 2) {
        if (override[i] === '-e') args.push('-e', override[i + 1]!);
        else base[override[i]!] = override[i + 1]!;
      }
      const r = await k8s([...args, ...Object.entries(base).flat(), '--out', out]);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, message);
      assert.ok(!r.stderr.includes('    at '), 'no stack trace');
      assert.equal(existsSync(out), false);
    });
  }
});

describe('k8s argument combinations', () => {
  it('refuses a workload together with --plan, and neither', async () => {
    const both = await k8s(['throughput', '--plan', 'seed004-tps-progression', '--parallelism', '2', '--base-url', 'http://register.ledger.svc:8080', '--out', join(tmp.dir, 'both')]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /a workload or --plan, not both/);
    const neither = await k8s(['--parallelism', '2', '--base-url', 'http://register.ledger.svc:8080', '--out', join(tmp.dir, 'neither')]);
    assert.equal(neither.code, 2);
    assert.match(neither.stderr, /give a workload .* or --plan <plan>/);
  });

  it('refuses a testid that Kubernetes would refuse as a label value', async () => {
    const r = await k8s([
      'throughput',
      '--profile',
      'smoke',
      '--parallelism',
      '2',
      '--base-url',
      'http://register.ledger.svc:8080',
      ...IDENTITY,
      '--name',
      'x',
      '--testid',
      'a'.repeat(64),
      '--out',
      join(tmp.dir, 'long'),
    ]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /testid "a+" must be 1 to 63/);
    assert.equal(existsSync(join(tmp.dir, 'long')), false);
  });
});

describe('execution segments', () => {
  it('split the load as k6-operator does for its runners (1-based runner i gets (i-1)/n:i/n)', () => {
    assert.deepEqual(executionSegments(3), [
      { segment: '0:1/3', sequence: '0,1/3,2/3,1' },
      { segment: '1/3:2/3', sequence: '0,1/3,2/3,1' },
      { segment: '2/3:1', sequence: '0,1/3,2/3,1' },
    ]);
    assert.deepEqual(executionSegments(1), [{ segment: '0:1', sequence: '0,1' }]);
    assert.throws(() => executionSegments(0), /whole number >= 1/);
  });
});
