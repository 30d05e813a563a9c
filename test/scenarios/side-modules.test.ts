// The workload bundles do not carry @noble/curves: SIGNING=local loads it from the side module
// dist/ed25519.js beside the script (cli/build/k6-esbuild-options.mjs). Under real k6 against
// the reference server (which verifies every Ed25519 signature): local signing still signs
// correctly, a script without its side module fails with what to do while the other modes never
// need the file, the run's script hash covers the side module, and a k8s ConfigMap carries it
// exactly when a run needs it, so k6 run from the ConfigMap's files alone signs.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { readBuildManifest, scriptHash } from '../../cli/run-folder/build-manifest.ts';
import { ensureK6 } from '../../tools/install/k6.mjs';
import { runWorkload } from '../../tools/runner/run-workload.ts';
import { cli, run, tempDir } from '../cli/helpers.ts';
import { submitOnlySmokeEnv } from '../helpers/k6-args.ts';
import { projectRoot } from '../helpers/paths.ts';
import { type RunningReferenceServer, startReferenceServer } from '../helpers/reference-server.ts';

interface Summary {
  metrics: Record<string, Record<string, number>>;
}

const dist = join(projectRoot, 'dist');
const tmp = tempDir('side-modules');
let server: RunningReferenceServer;

before(async () => {
  server = await startReferenceServer();
});
after(async () => {
  await server?.stop();
  tmp.cleanup();
});

let summaries = 0;

/** k6 run of a script with SIGNING and a few submit-only iterations; the summary's metrics. */
async function k6Submit(script: string, signing: string, iterations = 4) {
  const summary = join(tmp.dir, `summary-${++summaries}.json`);
  const r = await run(
    ensureK6(),
    ['run', '--quiet', '--summary-export', summary, ...submitOnlySmokeEnv({ baseUrl: server.url, iterations, signing }), script],
    { K6_NO_USAGE_REPORT: 'true' },
    tmp.dir,
  );
  const metrics = r.code === 0 ? (JSON.parse(readFileSync(summary, 'utf8')) as Summary).metrics : undefined;
  return { ...r, metrics };
}

describe('bundles and the Ed25519 side module', () => {
  it('every workload bundle is at most 60 KiB and none carries @noble/curves', () => {
    const manifest = readBuildManifest(dist)!;
    assert.ok(manifest.sideModules?.['ed25519.js'], 'the build made the side module');
    const noble = readFileSync(join(dist, 'ed25519.js'), 'utf8');
    // A constant of the curve (the base point's y in hex): present in noble, so in a bundle only with it.
    const marker = /6666666666666666666666666666666666666666666666666666666666666658/i;
    assert.match(noble, marker);
    for (const [name, w] of Object.entries(manifest.workloads)) {
      const js = readFileSync(join(projectRoot, w.script), 'utf8');
      assert.ok(Buffer.byteLength(js) <= 60 * 1024, `${name}: ${Buffer.byteLength(js)} bytes`);
      assert.doesNotMatch(js, marker, `${name} bundles noble itself`);
      assert.deepEqual(w.sideModules, ['ed25519.js'], `${name} loads the signer beside it`);
      // error-handling signs its malformed submissions itself in every mode.
      assert.deepEqual(w.alwaysLoads, name === 'error-handling' ? ['ed25519.js'] : [], name);
    }
  });

  it('SIGNING=local signs in k6 and the server accepts every transaction; the script hash covers the side module', async () => {
    const { exitCode, runDir } = await runWorkload({
      workload: 'mixed-workload',
      profile: 'smoke',
      baseUrl: server.url,
      outDir: tmp.dir,
      quiet: true,
      env: { SIGNING: 'local', MIX: '{"submit":1}', ITERATIONS: '6' },
    });
    assert.equal(exitCode, 0, readFileSync(join(runDir, 'k6.log'), 'utf8'));
    const m = (JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as Summary).metrics;
    assert.equal(m.transactions_accepted?.count, 6);
    assert.equal(m.transactions_rejected?.count ?? 0, 0);
    assert.equal(m.signing_duration?.count, 6, 'each was signed inside k6');
    const meta = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { scriptHash: string };
    const script = join(dist, 'mixed-workload.js');
    assert.equal(meta.scriptHash, scriptHash(script, ['ed25519.js']));
    assert.notEqual(meta.scriptHash, scriptHash(script), 'differs from the hash of the script alone');
  });

  it('a script without ed25519.js beside it fails SIGNING=local with what to do, and runs the other modes', async () => {
    const alone = join(tmp.dir, 'alone');
    mkdirSync(alone);
    copyFileSync(join(dist, 'throughput.js'), join(alone, 'throughput.js'));
    const local = await k6Submit(join(alone, 'throughput.js'), 'local');
    assert.notEqual(local.code, 0);
    assert.match(local.stderr + local.stdout, /SIGNING=local needs ed25519\.js \(the Ed25519 signer\) beside the workload script, and k6 could not load it/);
    assert.match(local.stderr + local.stdout, /Fix: rebuild \(npm run build/);
    const wallet = await k6Submit(join(alone, 'throughput.js'), 'wallet');
    assert.equal(wallet.code, 0, wallet.stderr);
    assert.equal(wallet.metrics?.transactions_accepted?.count, 4);
  });

  it('error-handling loads the signer whatever SIGNING says: its ConfigMap and script hash carry it with SIGNING=wallet', async () => {
    const out = join(tmp.dir, 'k8s-error-handling');
    const identity = ['ORG_NAME=Perf Org', 'ORG_SUBDOMAIN=perf-k8s', 'ADMIN_EMAIL=perf@example.org', 'ADMIN_NAME=Perf Admin'].flatMap((e) => ['-e', e]);
    const r = await cli(['k8s', 'error-handling', '--profile', 'smoke', '--parallelism', '1', '--base-url', 'http://register.ledger.svc:8080', ...identity, '--no-prometheus', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const cm = parse(readFileSync(join(out, 'configmap-error-handling.yaml'), 'utf8')) as { data: Record<string, string> };
    assert.ok(cm.data['ed25519.js'], 'the ConfigMap carries ed25519.js');
    const runs = JSON.parse(readFileSync(join(out, 'runs.json'), 'utf8')) as Array<{ scriptHash: string }>;
    assert.equal(runs[0]!.scriptHash, scriptHash(join(dist, 'error-handling.js'), ['ed25519.js']));
  });

  it('ledger-perf k8s puts ed25519.js in the ConfigMap only for SIGNING=local, and k6 signs from the ConfigMap files alone', async () => {
    // A cluster target is not loopback, so the identity has no defaults.
    const identity = ['ORG_NAME=Perf Org', 'ORG_SUBDOMAIN=perf-k8s', 'ADMIN_EMAIL=perf@example.org', 'ADMIN_NAME=Perf Admin'].flatMap((e) => ['-e', e]);
    const configMap = async (signing: string) => {
      const out = join(tmp.dir, `k8s-${signing}`);
      const r = await cli([
        'k8s',
        'throughput',
        '--profile',
        'smoke',
        '--parallelism',
        '1',
        '--base-url',
        'http://register.ledger.svc:8080',
        '-e',
        `SIGNING=${signing}`,
        ...identity,
        '--no-prometheus',
        '--out',
        out,
      ]);
      assert.equal(r.code, 0, r.stderr);
      const cm = parse(readFileSync(join(out, 'configmap-throughput.yaml'), 'utf8')) as { data: Record<string, string> };
      const runs = JSON.parse(readFileSync(join(out, 'runs.json'), 'utf8')) as Array<{ scriptHash: string }>;
      return { data: cm.data, hash: runs[0]!.scriptHash };
    };
    const wallet = await configMap('wallet');
    assert.deepEqual(Object.keys(wallet.data).sort(), ['throughput.js', 'throughput.js.map']);
    assert.equal(wallet.hash, scriptHash(join(dist, 'throughput.js')));
    const local = await configMap('local');
    assert.deepEqual(Object.keys(local.data).sort(), ['ed25519.js', 'throughput.js', 'throughput.js.map']);
    assert.equal(local.data['ed25519.js'], readFileSync(join(dist, 'ed25519.js'), 'utf8'));
    assert.equal(local.hash, scriptHash(join(dist, 'throughput.js'), ['ed25519.js']));
    // As the operator mounts it: every key a file in one folder (/test), nothing else there.
    const mounted = join(tmp.dir, 'mounted');
    mkdirSync(mounted);
    for (const [file, content] of Object.entries(local.data)) writeFileSync(join(mounted, file), content);
    const r = await k6Submit(join(mounted, 'throughput.js'), 'local');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.metrics?.transactions_accepted?.count, 4);
    assert.equal(r.metrics?.signing_duration?.count, 4);
  });
});
