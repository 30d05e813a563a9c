// `ledger-perf k8s`: manifests for running a workload (or a whole plan) on k6-operator, with the
// bundle in a ConfigMap and every runner's raw output kept for an exact `ledger-perf merge`.

import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import Ajv from 'ajv';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { loadConfig } from '../../lib/shared/config.ts';
import { ConfigError } from '../../lib/shared/env-knobs.ts';
import { describeProfile, profileNames } from '../../lib/shared/profiles.ts';
import { isSecretName } from '../../lib/shared/secret-names.ts';
import { ConfigFileError } from '../config/json-source.ts';
import { availableWorkloads, loadPlanFile, resolvePlanPath, resolveRuns } from '../config/plan.ts';
import { CliError, EXIT } from '../errors.ts';
import { writeFilesAtomic } from '../io/atomic-write.ts';
import { pinnedK6Version, projectRoot } from '../k6-pin.mjs';
import { effectiveSloSet, readBuildManifest, scriptHash, sideModulesLoaded } from '../run-folder/build-manifest.ts';
import {
  type Bundle,
  configMapFor,
  DEFAULT_SECRET_KEYS,
  type K8sOptions,
  type K8sRun,
  MAX_TESTRUN_NAME,
  QUANTITY,
  resultsClaimFor,
  resultsReaderFor,
  runnerOutputPath,
  testRunFor,
  testRunNameProblem,
} from './manifests.ts';

/** A ConfigMap (like any object) must stay under 1 MiB; leave room for metadata. */
const CONFIGMAP_BUDGET = 1024 * 1024 - 16 * 1024;
const RESERVED_ENV: Record<string, string> = { PROFILE: 'use --profile', BASE_URL: 'use --base-url', TESTID: 'use --testid' };

interface K8sCliOptions {
  plan?: string;
  profile?: string;
  parallelism: string;
  baseUrl: string;
  env: string[];
  namespace: string;
  name?: string;
  testid?: string;
  secret: string;
  resultsClaim: string;
  resultsSize: string;
  storageClass?: string;
  prometheusUrl: string;
  prometheus: boolean;
  cpu: string;
  memory: string;
  memoryLimit: string;
  separate?: boolean;
  out: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerK8s(program: Command): void {
  program
    .command('k8s')
    .description('write k6-operator manifests (ConfigMap with the bundle, TestRun per run, results volume) for a workload or a plan')
    .argument('[workload]', 'workload (scenarios/<name>.ts, bundled in dist/); or use --plan')
    .option('--plan <plan>', 'a plan (plans/<name>.json or a path): one TestRun per run')
    .option('--profile <profile>', 'load profile (with a workload)')
    .requiredOption('--parallelism <n>', 'runners per TestRun (k6-operator splits the load by execution segments)')
    .requiredOption('--base-url <url>', 'the target as the runner pods reach it (e.g. http://register.ledger.svc:8080)')
    .option('-e, --env <KEY=VALUE>', 'non-secret script variable (repeatable); secrets go in the Secret', collect, [])
    .option('--namespace <ns>', 'namespace of every object', 'ledger-perf')
    .option('--name <name>', 'TestRun name (with a workload; default <workload>-<profile>)')
    .option('--testid <id>', 'testid tag (default <name>-<UTC timestamp>; with a plan: the part after <run name>-)')
    .option(
      '--secret <name>',
      `Kubernetes Secret with ${DEFAULT_SECRET_KEYS.adminPassword} (and optional ${DEFAULT_SECRET_KEYS.prometheusUser}/${DEFAULT_SECRET_KEYS.prometheusPassword})`,
      'ledger-perf-credentials',
    )
    .option('--results-claim <name>', "ReadWriteMany PersistentVolumeClaim for the runners' k6 JSON outputs", 'ledger-perf-results')
    .option('--results-size <quantity>', 'size of the results claim', '10Gi')
    .option('--storage-class <name>', 'storage class of the results claim (one that offers ReadWriteMany)')
    .option('--prometheus-url <url>', 'Prometheus remote-write endpoint for live dashboards', 'http://prometheus-server.monitoring.svc:80/api/v1/write')
    .option('--no-prometheus', 'no Prometheus remote-write output')
    .option('--cpu <quantity>', 'CPU request per runner', '1')
    .option('--memory <quantity>', 'memory request per runner', '1Gi')
    .option('--memory-limit <quantity>', 'memory limit per runner', '2Gi')
    .option('--separate', 'at most one runner per node')
    .requiredOption('-o, --out <dir>', 'folder for the manifests (then `kubectl apply -f <dir>`)')
    .action((workload: string | undefined, opts: K8sCliOptions) => {
      const result = writeK8sManifests(workload, opts);
      process.stdout.write(result.summary);
    });
}

function fail(message: string): never {
  throw new CliError(`k8s: ${message}`, EXIT.usage);
}

function parseEnv(pairs: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(pair);
    if (!m) fail(`--env ${JSON.stringify(pair)} is not KEY=VALUE`);
    const [, key, value] = m;
    if (key! in RESERVED_ENV) fail(`--env ${key} is set by the command: ${RESERVED_ENV[key!]}`);
    if (isSecretName(key!)) fail(`--env ${key} looks like a secret; manifests are files people commit and share. Put it in the Kubernetes Secret (--secret) instead`);
    env[key!] = value!;
  }
  return env;
}

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
  } catch {
    return false;
  }
}

function timestamp(): string {
  return new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** The SLO file a run is judged by, exactly as the local runner records it (the build manifest's rule). */
function thresholdsFileOf(workload: string, env: Record<string, string>): string | null {
  const manifest = readBuildManifest(join(projectRoot, 'dist'));
  return (manifest && effectiveSloSet(manifest, workload, env)?.file) ?? null;
}

/** The side modules a run loads beside its script, by what k6's __ENV will hold in the runner (k6ArgsFor's -e values). */
function sideModulesOf(run: K8sRun): string[] {
  return sideModulesLoaded(readBuildManifest(join(projectRoot, 'dist')), run.workload, { PROFILE: run.profile, ...run.env });
}

function readBundle(workload: string, runs: readonly K8sRun[]): Bundle {
  const file = join(projectRoot, 'dist', `${workload}.js`);
  if (!existsSync(file)) fail(`no bundle for workload "${workload}" at ${relative(process.cwd(), file)}; build it with \`npm run build\``);
  const js = readFileSync(file, 'utf8');
  const sideModules: Record<string, string> = {};
  for (const name of new Set(runs.filter((r) => r.workload === workload).flatMap(sideModulesOf))) {
    const path = join(projectRoot, 'dist', name);
    if (!existsSync(path)) fail(`${workload} runs with these settings load dist/${name}, which is missing; build it with \`npm run build\``);
    sideModules[name] = readFileSync(path, 'utf8');
  }
  const mapFile = `${file}.map`;
  const map = existsSync(mapFile) ? readFileSync(mapFile, 'utf8') : undefined;
  const size = (s?: string) => (s === undefined ? 0 : Buffer.byteLength(s));
  const needed = size(js) + Object.values(sideModules).reduce((n, m) => n + size(m), 0);
  if (needed > CONFIGMAP_BUDGET)
    fail(`dist/${workload}.js${Object.keys(sideModules).length ? ` with ${Object.keys(sideModules).join(', ')}` : ''} is ${needed} bytes; a ConfigMap holds at most ~1 MiB`);
  // The source map makes k6 stack traces name .ts lines; it is dropped only when it does not fit.
  return { workload, js, map: needed + size(map) <= CONFIGMAP_BUDGET ? map : undefined, sideModules };
}

function quantity(value: string, flag: string): string {
  if (!QUANTITY.test(value)) fail(`${flag} ${JSON.stringify(value)} is not a Kubernetes quantity (e.g. 500m, 2, 1Gi)`);
  return value;
}

function runsToWrite(workload: string | undefined, opts: K8sCliOptions, extraEnv: Record<string, string>): K8sRun[] {
  const stamp = timestamp();
  if (opts.plan !== undefined) {
    if (workload !== undefined) fail('give a workload or --plan, not both');
    if (opts.profile !== undefined || opts.name !== undefined) fail('--profile and --name go with a workload; a plan names its runs and profiles');
    let plan;
    try {
      plan = loadPlanFile(resolvePlanPath(opts.plan));
    } catch (err) {
      if (err instanceof ConfigFileError) throw new CliError(err.message, EXIT.usage);
      throw err;
    }
    const suffix = opts.testid ?? stamp;
    return resolveRuns(plan).flatMap((r) =>
      Array.from({ length: r.repeats }, (_, i) => {
        const name = r.repeats > 1 ? `${r.label}-${i + 1}` : r.label;
        return { name, workload: r.workload, profile: r.profile, testId: `${name}-${suffix}`, env: { ...r.env, ...extraEnv } };
      }),
    );
  }
  if (workload === undefined) fail('give a workload (e.g. `ledger-perf k8s throughput --profile tps-baseline …`) or --plan <plan>');
  const workloads = availableWorkloads();
  if (!workloads.includes(workload)) fail(`unknown workload "${workload}"; use one of ${workloads.join(', ')}`);
  if (opts.profile === undefined) fail('--profile is required with a workload');
  if (!profileNames.includes(opts.profile)) fail(`unknown profile "${opts.profile}"; use one of ${profileNames.join(', ')}`);
  const name = opts.name ?? `${workload}-${opts.profile}`;
  return [{ name, workload, profile: opts.profile, testId: opts.testid ?? `${name}-${stamp}`, env: extraEnv }];
}

function checkRun(run: K8sRun, baseUrl: string): void {
  const nameProblem = testRunNameProblem(run.name);
  if (nameProblem) fail(`TestRun name ${nameProblem}${run.name.length > MAX_TESTRUN_NAME ? '; pass a shorter --name' : ''}`);
  // The testid is a label value (at most 63 characters) and part of the output file names.
  if (!/^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/.test(run.testId))
    fail(`testid ${JSON.stringify(run.testId)} must be 1 to 63 letters, digits, '.', '_' or '-', starting and ending with a letter or digit (it is a Kubernetes label value and part of file names)`);
  try {
    describeProfile(run.profile, run.env);
  } catch (err) {
    fail(`run "${run.name}": ${(err as Error).message}`);
  }
  // The script checks its configuration at start; check it here so a typo fails before any pod
  // starts. The password is not here (it comes from the Secret), so only its absence is allowed.
  try {
    loadConfig({ ...run.env, BASE_URL: baseUrl, PROFILE: run.profile });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    fail(`run "${run.name}": ${err.problems.join('; ')}`);
  }
}

/**
 * The reduced TestRun schema written from the operator's CRD: a TestRun this command cannot
 * vouch for (e.g. a label value the API server would refuse) is never written.
 */
function checkAgainstSchema(testRuns: object[]): void {
  const schema = JSON.parse(readFileSync(new URL('./testrun.schema.json', import.meta.url), 'utf8')) as object;
  const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
  for (const tr of testRuns) {
    if (validate(tr)) continue;
    const name = (tr as { metadata: { name: string } }).metadata.name;
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    fail(`TestRun "${name}" would not be a valid k6-operator v1.6.0 TestRun (cli/k8s/testrun.schema.json): ${problems}`);
  }
}

export interface K8sWriteResult {
  files: string[];
  summary: string;
}

export function writeK8sManifests(workload: string | undefined, opts: K8sCliOptions): K8sWriteResult {
  const parallelism = Number(opts.parallelism);
  if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > 1000) fail(`--parallelism ${JSON.stringify(opts.parallelism)}: expected a whole number from 1 to 1000`);
  if (!/^https?:\/\/[^/\s]+/.test(opts.baseUrl)) fail(`--base-url ${JSON.stringify(opts.baseUrl)} is not an http(s) URL`);
  if (isLoopback(opts.baseUrl)) fail(`--base-url ${opts.baseUrl} is loopback: inside a runner pod that is the pod itself. Give the target's in-cluster address (e.g. http://register.ledger.svc:8080)`);
  if (opts.prometheus && !/^https?:\/\/[^/\s]+/.test(opts.prometheusUrl)) fail(`--prometheus-url ${JSON.stringify(opts.prometheusUrl)} is not an http(s) URL`);
  const options: K8sOptions = {
    namespace: opts.namespace,
    parallelism,
    baseUrl: opts.baseUrl.replace(/\/+$/, ''),
    image: `grafana/k6:${pinnedK6Version().replace(/^v/, '')}`,
    secretName: opts.secret,
    secretKeys: DEFAULT_SECRET_KEYS,
    resultsClaim: opts.resultsClaim,
    resultsSize: quantity(opts.resultsSize, '--results-size'),
    storageClass: opts.storageClass,
    prometheusUrl: opts.prometheus ? opts.prometheusUrl : null,
    requests: { cpu: quantity(opts.cpu, '--cpu'), memory: quantity(opts.memory, '--memory') },
    limits: { memory: quantity(opts.memoryLimit, '--memory-limit') },
    separate: opts.separate === true,
  };
  for (const [flag, value] of [
    ['--namespace', options.namespace],
    ['--secret', options.secretName],
    ['--results-claim', options.resultsClaim],
  ] as const) {
    const problem = testRunNameProblem(value);
    if (problem) fail(`${flag} ${problem}`);
  }
  const runs = runsToWrite(workload, opts, parseEnv(opts.env));
  for (const run of runs) checkRun(run, options.baseUrl);

  const outDir = resolve(opts.out);
  const bundles = new Map<string, Bundle>();
  for (const run of runs) if (!bundles.has(run.workload)) bundles.set(run.workload, readBundle(run.workload, runs));
  checkAgainstSchema(runs.map((run) => testRunFor(run, options)));
  const yaml = (docs: object[]) => docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
  const files = [
    ...[...bundles.values()].map((b) => ({ path: join(outDir, `configmap-${b.workload}.yaml`), content: yaml([configMapFor(b, options.namespace)]) })),
    { path: join(outDir, 'results-volume.yaml'), content: yaml([resultsClaimFor(options), resultsReaderFor(options, options.image)]) },
    ...runs.map((run) => ({ path: join(outDir, `testrun-${run.name}.yaml`), content: yaml([testRunFor(run, options)]) })),
  ];
  // What `ledger-perf merge` and `report` need afterwards, per TestRun: which files to collect
  // and the SLO file to judge the merged run by.
  const index = runs.map((run) => ({
    testRun: run.name,
    testId: run.testId,
    workload: run.workload,
    profile: run.profile,
    parallelism,
    scriptHash: scriptHash(join(projectRoot, 'dist', `${run.workload}.js`), sideModulesOf(run)),
    k6Version: pinnedK6Version(),
    thresholdsFile: thresholdsFileOf(run.workload, run.env),
    env: run.env,
    outputs: Array.from({ length: parallelism }, (_, i) => runnerOutputPath(run.testId, `${run.name}-${i + 1}`)),
  }));
  files.push({ path: join(outDir, 'runs.json'), content: `${JSON.stringify(index, null, 2)}\n` });
  // A run.json for each runner's folder after collection (the fields a local run records), so
  // the merged run knows its workload, profile and SLO file and merge can check the script hash.
  for (const r of index) {
    const runJson = {
      workload: r.workload,
      profile: r.profile,
      script: `dist/${r.workload}.js`,
      scriptHash: r.scriptHash,
      k6Version: r.k6Version,
      testId: r.testId,
      baseUrl: options.baseUrl,
      thresholdsFile: r.thresholdsFile,
      env: { PROFILE: r.profile, BASE_URL: options.baseUrl, TESTID: r.testId, ...r.env },
      k6Args: [],
      parallelism: r.parallelism,
      testRun: r.testRun,
    };
    files.push({ path: join(outDir, `run-${r.testRun}.json`), content: `${JSON.stringify(runJson, null, 2)}\n` });
  }
  writeFilesAtomic(files);

  const rel = relative(process.cwd(), outDir) || '.';
  const lines = [`wrote ${files.length} files to ${rel}/ (${runs.length} TestRun(s), ${parallelism} runner(s) each, image ${options.image})`];
  lines.push(`  kubectl create namespace ${options.namespace}`);
  lines.push(`  kubectl -n ${options.namespace} create secret generic ${options.secretName} --from-literal=${DEFAULT_SECRET_KEYS.adminPassword}="$ADMIN_PASSWORD"`);
  lines.push(`  kubectl apply -f ${rel}/configmap-*.yaml -f ${rel}/results-volume.yaml`);
  for (const r of index) lines.push(`  kubectl apply -f ${rel}/testrun-${r.testRun}.yaml   # outputs ${r.outputs[0]} … (${r.outputs.length})`);
  lines.push(`then collect and merge each TestRun: see docs/scaling-out.md`);
  return { files: files.map((f) => f.path), summary: `${lines.join('\n')}\n` };
}
