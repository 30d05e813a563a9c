// The package people install: `npm pack`, install the tarball into an empty folder, then use it
// the way a user does, with plain Node (no tsx, no TypeScript sources of the CLI or server):
// the CLI's help, the shipped k6 bundles, and the user's own workload written on top of the
// package's lib/ and bundled with `ledger-perf build`, run by the real k6 against the reference
// server started from the installed package, on 127.0.0.1.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { ensureK6 } from '../../tools/install/k6.mjs';
import { submitOnlySmokeEnv } from '../helpers/k6-args.ts';
import { projectRoot } from '../helpers/paths.ts';

const work = mkdtempSync(join(tmpdir(), 'ledger-package-'));
const consumer = join(work, 'consumer');
const installed = join(consumer, 'node_modules', 'ledger-perf');
const npm = (args: string[], cwd: string) =>
  spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
/** A user's shell: the consumer's node_modules/.bin first, and nothing of this checkout. */
const userEnv = { ...process.env, PATH: `${join(consumer, 'node_modules', '.bin')}:${process.env.PATH}`, NODE_OPTIONS: '', NO_COLOR: '1' };
const ledgerPerf = (args: string[]) => spawnSync(join(consumer, 'node_modules', '.bin', 'ledger-perf'), args, { cwd: consumer, encoding: 'utf8', env: userEnv });

let packedFiles: string[] = [];

before(() => {
  // `npm pack` runs `prepare` (k6 bundles + compiled CLI and server) and lists what it ships.
  const pack = npm(['pack', '--json', '--pack-destination', work], projectRoot);
  assert.equal(pack.status, 0, pack.stderr);
  const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>;
  packedFiles = info!.files.map((f) => f.path);
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'my-load-tests', version: '1.0.0', private: true, type: 'module' }));
  // From the tarball and npm's local cache (the registry only for what the cache lacks). Install
  // scripts are skipped: the one that matters, better-sqlite3's native build, is taken from this
  // checkout when it is the very same version for this very Node, and built otherwise.
  const install = npm(['install', '--prefer-offline', '--ignore-scripts', join(work, info!.filename)], consumer);
  assert.equal(install.status, 0, install.stderr);
  const version = (dir: string) => (JSON.parse(readFileSync(join(dir, 'better-sqlite3', 'package.json'), 'utf8')) as { version: string }).version;
  const addon = join('build', 'Release', 'better_sqlite3.node');
  const consumerSqlite = join(consumer, 'node_modules');
  if (version(consumerSqlite) === version(join(projectRoot, 'node_modules'))) {
    mkdirSync(join(consumerSqlite, 'better-sqlite3', 'build', 'Release'), { recursive: true });
    copyFileSync(join(projectRoot, 'node_modules', 'better-sqlite3', addon), join(consumerSqlite, 'better-sqlite3', addon));
  } else {
    const rebuild = npm(['rebuild', 'better-sqlite3'], consumer);
    assert.equal(rebuild.status, 0, rebuild.stderr);
  }
});

after(() => rmSync(work, { recursive: true, force: true }));

describe('the installed package', () => {
  it('ships the k6 bundles, the compiled CLI and server, SLO files, plans, schemas, lib/ and example scenarios/, and no k6', () => {
    for (const f of [
      'dist/mixed-workload.js',
      'dist/manifest.json',
      'dist/node/cli/main.js',
      'dist/node/reference-server/main.js',
      'dist/node/reference-server/verify-worker.js',
      'dist/node/reference-server/checkpoint-worker.js',
      'cli/bin.mjs',
      'thresholds/schema.json',
      'thresholds/smoke.json',
      'plans/quick.json',
      'plans/schema.json',
      'cli/report/report.schema.json',
      'lib/k6/options.ts',
      'lib/shared/slo.ts',
      'scenarios/mixed-workload.ts',
      'cli/build/k6-esbuild-options.mjs',
      'LICENSE',
      'README.md',
      'package.json',
    ]) {
      assert.ok(packedFiles.includes(f), `${f} is not in the tarball`);
    }
    assert.deepEqual(
      packedFiles.filter((f) => /(^|\/)k6$|\.tools\/|node_modules\//.test(f) || /^(cli|reference-server)\/.*\.ts$/.test(f)),
      [],
      'no k6 binary, no tool builds, no TypeScript sources of the CLI or server',
    );
    assert.equal(existsSync(join(consumer, 'node_modules', 'tsx')), false, 'tsx is a dev tool and must not be installed');
  });

  it('`ledger-perf --help` runs with plain Node and lists its commands, build among them', () => {
    const r = ledgerPerf(['--help']);
    assert.equal(r.status, 0, r.stderr);
    for (const command of ['report', 'compare', 'baseline', 'merge', 'build']) assert.match(r.stdout, new RegExp(`^\\s+${command}\\b`, 'm'));
  });

  it("builds a user's own workload on top of lib/ and k6 runs it, and a shipped bundle, against the installed reference server", async () => {
    writeFileSync(
      join(consumer, 'my-workload.ts'),
      [
        "import slo from 'ledger-perf/thresholds/smoke.json';",
        "import { loadConfig } from 'ledger-perf/lib/shared/config.ts';",
        "import { buildOptions } from 'ledger-perf/lib/k6/options.ts';",
        "import { setupWorld, type World } from 'ledger-perf/lib/k6/setup.ts';",
        "import { vuContext } from 'ledger-perf/lib/k6/vu-context.ts';",
        '',
        'const config = loadConfig(__ENV);',
        "export const options = buildOptions({ workload: 'my-workload', thresholds: slo });",
        'export function setup(): Promise<World> {',
        '  return setupWorld(config);',
        '}',
        'export default function myWorkload(world: World): void {',
        '  const ctx = vuContext(world, config);',
        '  ctx.submitter.submit(ctx.pickRegister());',
        '}',
        '',
      ].join('\n'),
    );
    const built = ledgerPerf(['build', 'my-workload.ts']);
    assert.equal(built.status, 0, built.stderr);
    assert.match(built.stdout, /built dist\/my-workload\.js/);
    const bundle = readFileSync(join(consumer, 'dist', 'my-workload.js'), 'utf8');
    assert.doesNotMatch(bundle, /from ['"]ledger-perf\//, 'lib/ is bundled in, not left for k6 to resolve');
    assert.ok(existsSync(join(consumer, 'dist', 'ed25519.js')), 'the Ed25519 side module SIGNING=local loads is built beside it');
    assert.doesNotMatch(built.stdout, /built dist\/ed25519\.js/, 'a side module is not offered as a workload');

    const server = await startInstalledServer();
    try {
      const k6 = ensureK6();
      // The user's bundle also signs locally, from the side module its build put beside it.
      for (const [script, signing] of [
        [join(consumer, 'dist', 'my-workload.js'), 'wallet'],
        [join(consumer, 'dist', 'my-workload.js'), 'local'],
        [join(installed, 'dist', 'mixed-workload.js'), 'local'],
      ] as const) {
        const r = spawnSync(k6, ['run', '--quiet', '--no-usage-report', ...submitOnlySmokeEnv({ baseUrl: server.url, iterations: 3, signing }), script], {
          cwd: consumer,
          encoding: 'utf8',
          env: { ...userEnv, K6_NO_USAGE_REPORT: 'true' },
        });
        assert.equal(r.status, 0, `${script} SIGNING=${signing}\n${r.stdout}\n${r.stderr}`);
        // Every iteration submits (MIX): 3 iterations of the shipped mix could otherwise all be reads.
        assert.match(r.stdout, /transaction_success\.*: 100\.00%/);
      }
    } finally {
      await server.stop();
    }
  });

  it('`ledger-perf build` of a missing file or a broken workload fails with the reason and writes nothing', () => {
    const missing = ledgerPerf(['build', 'nope.ts', '--outdir', 'broken-out']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no such file: nope\.ts/);
    writeFileSync(join(consumer, 'broken.ts'), "import { nothing } from 'ledger-perf/lib/k6/does-not-exist.ts';\nexport default function () { nothing(); }\n");
    const broken = ledgerPerf(['build', 'broken.ts', '--outdir', 'broken-out']);
    assert.equal(broken.status, 2);
    assert.match(broken.stderr, /does-not-exist\.ts/);
    assert.match(broken.stderr, /build failed: fix the errors above \(nothing was written\)/);
    assert.doesNotMatch(broken.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(existsSync(join(consumer, 'broken-out')), false);
  });
});

/** `node node_modules/ledger-perf/dist/node/reference-server/main.js` on 127.0.0.1, any free port. */
async function startInstalledServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const dataDir = join(work, 'server-data');
  const child = spawn(process.execPath, [join(installed, 'dist', 'node', 'reference-server', 'main.js'), '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir], {
    cwd: consumer,
    env: userEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) resolve(m[1]!);
    });
    void exited.then(() => reject(new Error(`the installed reference server exited before listening:\n${stderr}`)));
  });
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
