// The TestRun's k6 arguments are real k6 arguments: run the pinned k6 locally with exactly the
// generated `spec.args`, put together the way k6-operator v1.6.0 composes a runner's command
// (pkg/resources/jobs/runner.go: `k6 run --quiet <segment flags> <args> <script> … --tag
// instance_id=<i> --tag testrun_name=<name>`), with what the kubelet would substitute
// ($(LEDGER_PERF_RUNNER), the /results volume, the Secret's password) and a loopback target in
// place of the cluster's. Then collect and merge exactly as docs/scaling-out.md says.

import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { newPointRef, parseLine } from '../../cli/ingest/k6-line-parser.ts';
import { readLines } from '../../cli/io/line-reader.ts';
import { executionSegments } from '../../cli/k8s/execution-segments.ts';
import { loadRun } from '../../cli/run/load-run.ts';
import { ensureK6 } from '../../tools/install/k6.mjs';
import { projectRoot } from '../helpers/paths.ts';
import { type RunningReferenceServer, startReferenceServer } from '../helpers/reference-server.ts';
import { cli, run, tempDir } from './helpers.ts';

const CLUSTER_URL = 'http://register.ledger.svc:8080';
const RUNNERS = 2;
const ITERATIONS = 6;
const tmp = tempDir('k8s-args');
let target: RunningReferenceServer;

before(async () => {
  target = await startReferenceServer();
});
after(async () => {
  await target?.stop();
  tmp.cleanup();
});

describe('a generated TestRun, run by real k6 as the operator would start its runners', () => {
  const manifests = join(tmp.dir, 'manifests');
  const results = join(tmp.dir, 'results');
  let testRun: { metadata: { name: string }; spec: { args: string[]; script: { configMap: { file: string } } } };
  let codes: Array<number | null> = [];

  before(async () => {
    const r = await cli([
      'k8s',
      'throughput',
      '--profile',
      'smoke',
      '--parallelism',
      String(RUNNERS),
      '--base-url',
      CLUSTER_URL,
      '-e',
      `ITERATIONS=${ITERATIONS}`,
      '-e',
      `VUS_SCALE=${RUNNERS}`,
      '-e',
      'ORG_NAME=Perf Org',
      '-e',
      'ORG_SUBDOMAIN=perf-k8s',
      '-e',
      'ADMIN_EMAIL=perf@example.org',
      '-e',
      'ADMIN_NAME=Perf Admin',
      '--no-prometheus',
      '--testid',
      'k8s-args-1',
      '--out',
      manifests,
    ]);
    assert.equal(r.code, 0, r.stderr);
    testRun = parse(readFileSync(join(manifests, 'testrun-throughput-smoke.yaml'), 'utf8'));
    mkdirSync(results);
    const name = testRun.metadata.name;
    const segments = executionSegments(RUNNERS);
    const runs = segments.map(({ segment, sequence }, i) => {
      const job = `${name}-${i + 1}`;
      const args = testRun.spec.args.map((a) => a.replace('$(LEDGER_PERF_RUNNER)', job).replace('json=/results/', `json=${results}/`).replace(`BASE_URL=${CLUSTER_URL}`, `BASE_URL=${target.url}`));
      const script = join(projectRoot, 'dist', testRun.spec.script.configMap.file);
      return run(
        ensureK6(),
        ['run', '--quiet', `--execution-segment=${segment}`, `--execution-segment-sequence=${sequence}`, ...args, script, '--tag', `instance_id=${i + 1}`, '--tag', `testrun_name=${name}`],
        { ADMIN_PASSWORD: 'PerfTest!2026', K6_NO_USAGE_REPORT: 'true' },
      );
    });
    const done = await Promise.all(runs);
    codes = done.map((d) => d.code);
    done.forEach((d, i) => assert.ok(d.code === 0 || d.code === 99, `runner ${i + 1}: ${d.stderr}`));
  });

  it('every runner writes its own output file, named as runs.json says', () => {
    const index = JSON.parse(readFileSync(join(manifests, 'runs.json'), 'utf8'))[0] as { outputs: string[] };
    assert.equal(index.outputs.length, RUNNERS);
    for (const out of index.outputs) assert.ok(existsSync(out.replace(/^\/results\//, `${results}/`)), out);
  });

  it("keep the run tags a local run has, plus the operator's instance_id and testrun_name", async () => {
    const out = (JSON.parse(readFileSync(join(manifests, 'runs.json'), 'utf8'))[0] as { outputs: string[] }).outputs[1]!.replace(/^\/results\//, `${results}/`);
    const point = newPointRef();
    let tags: Record<string, string> | undefined;
    await readLines(out, (text, start, end) => {
      if (tags === undefined && parseLine(text, start, end, point) === 'point' && point.metric === 'http_reqs') tags = point.tags ?? JSON.parse(point.tagsRaw);
    });
    assert.ok(tags, 'the runner sent requests');
    assert.deepEqual(
      { testid: tags!.testid, workload: tags!.workload, profile: tags!.profile, instance_id: tags!.instance_id, testrun_name: tags!.testrun_name },
      { testid: 'k8s-args-1', workload: 'throughput', profile: 'smoke', instance_id: '2', testrun_name: 'throughput-smoke' },
    );
  });

  it('collected with the generated run.json and merged, they count the whole test once', async () => {
    const index = JSON.parse(readFileSync(join(manifests, 'runs.json'), 'utf8'))[0] as { testRun: string; outputs: string[]; thresholdsFile: string };
    const folders = index.outputs.map((out, i) => {
      const folder = join(tmp.dir, 'collected', `runner-${i + 1}`);
      mkdirSync(folder, { recursive: true });
      copyFileSync(out.replace(/^\/results\//, `${results}/`), join(folder, 'k6.json.gz'));
      copyFileSync(join(manifests, `run-${index.testRun}.json`), join(folder, 'run.json'));
      return folder;
    });
    for (const f of folders) assert.ok(((await loadRun(f)).series.get('iterations')?.moments.sum ?? 0) > 0, `${f} did a share`);
    const merged = join(tmp.dir, 'merged');
    const m = await cli(['merge', ...folders, '--out', merged]);
    assert.equal(m.code, 0, m.stderr);
    assert.doesNotMatch(m.stderr, /different testid/);
    const run = await loadRun(merged);
    assert.equal(run.series.get('iterations')?.moments.sum, ITERATIONS);
    assert.equal(run.meta.workload, 'throughput');
    assert.equal(run.meta.profile, 'smoke');
    assert.equal(run.meta.segments, RUNNERS);
    const rep = await cli(['report', merged, '--quiet', '--check']);
    const report = JSON.parse(readFileSync(join(merged, 'report.json'), 'utf8'));
    assert.equal(report.totals.iterations, ITERATIONS);
    assert.ok(report.slos.length > 0, 'the SLO file named in run.json judges the merged run');
    assert.equal(rep.code, report.sloVerdict === 'fail' ? 1 : 0);
    assert.ok(
      codes.every((c) => c === 0),
      'the runners passed their shares',
    );
    assert.equal(index.thresholdsFile, 'thresholds/workload-throughput.json');
  });
});
