// Set-up that never surprises: dependency freshness judged by the lockfile's content (not file
// times), the Node versions promised fit every locked dependency, and a system program the tests
// drive (Chromium, Prometheus) is installed with apt when missing and possible, otherwise
// `npm test` stops at once with the command that installs it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import semver from 'semver';
import { dependenciesOutOfDate } from '../../tools/install/deps-state.mjs';
import { projectRoot } from '../helpers/paths.ts';

const lock = (packages: Record<string, object>) => JSON.stringify({ name: 'x', lockfileVersion: 3, packages: { '': { name: 'x' }, ...packages } });
const a1 = { version: '1.0.0', integrity: 'sha512-aaa' };
const b2 = { version: '2.0.0', integrity: 'sha512-bbb' };

function project(locked: Record<string, object>, installed: Record<string, object> | null): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-deps-'));
  writeFileSync(join(dir, 'package-lock.json'), lock(locked));
  if (installed) {
    mkdirSync(join(dir, 'node_modules'));
    writeFileSync(join(dir, 'node_modules', '.package-lock.json'), lock(installed));
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('dependency freshness', () => {
  it('is current when node_modules holds exactly the locked pins, whatever the file times', () => {
    const p = project({ 'node_modules/a': a1, 'node_modules/b': b2 }, { 'node_modules/a': a1, 'node_modules/b': b2 });
    try {
      // A fresh clone over an existing node_modules: the lockfile is newer than everything installed.
      const future = new Date(Date.now() + 3_600_000);
      utimesSync(join(p.dir, 'package-lock.json'), future, future);
      assert.equal(dependenciesOutOfDate(p.dir), undefined);
    } finally {
      p.cleanup();
    }
  });

  it('is out of date when a pin changed, a package is missing or an extra one is installed', () => {
    const cases: Array<[Record<string, object>, Record<string, object> | null, RegExp]> = [
      [{ 'node_modules/a': a1 }, { 'node_modules/a': { ...a1, version: '1.0.1', integrity: 'sha512-new' } }, /node_modules\/a is 1\.0\.1, the lockfile pins 1\.0\.0/],
      [{ 'node_modules/a': a1, 'node_modules/b': b2 }, { 'node_modules/a': a1 }, /node_modules\/b \(2\.0\.0\) is not installed/],
      [{ 'node_modules/a': a1 }, { 'node_modules/a': a1, 'node_modules/b': b2 }, /node_modules\/b is installed but not in the lockfile/],
      [{ 'node_modules/a': a1 }, null, /no record of an npm install/],
    ];
    for (const [locked, installed, why] of cases) {
      const p = project(locked, installed);
      try {
        assert.match(dependenciesOutOfDate(p.dir) ?? 'current', why);
      } finally {
        p.cleanup();
      }
    }
  });

  it('ignores optional packages for other platforms that npm did not install', () => {
    const p = project({ 'node_modules/a': a1, 'node_modules/@esbuild/darwin-arm64': { ...b2, optional: true } }, { 'node_modules/a': a1 });
    try {
      assert.equal(dependenciesOutOfDate(p.dir), undefined);
    } finally {
      p.cleanup();
    }
  });

  it('finds this checkout current after its own install', () => {
    assert.equal(dependenciesOutOfDate(projectRoot), undefined);
  });
});

describe('promised Node versions', () => {
  it('the oldest Node of every promised major line satisfies every locked dependency', () => {
    const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { engines: { node: string } };
    const range = new semver.Range(pkg.engines.node);
    const oldest = range.set.map((comparators) => semver.minVersion(new semver.Range(comparators.map((c) => c.value).join(' ')))!.version);
    assert.ok(oldest.length > 0);
    const locked = (JSON.parse(readFileSync(join(projectRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { engines?: { node?: string } | string[] }> }).packages;
    const unfit: string[] = [];
    for (const [path, entry] of Object.entries(locked)) {
      const wants = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
      if (!path || !wants) continue;
      for (const node of oldest) if (!semver.satisfies(node, wants)) unfit.push(`${path} wants Node ${wants}, the project promises ${pkg.engines.node} (so ${node})`);
    }
    assert.deepEqual(unfit, []);
  });

  it('this Node is one the project promises', () => {
    const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { engines: { node: string } };
    assert.ok(semver.satisfies(process.version, pkg.engines.node), `${process.version} vs ${pkg.engines.node}`);
  });
});

describe('system programs for npm test', () => {
  it('without Chromium and Prometheus and without a way to install them, stops at once naming the command (exit 2)', () => {
    const emptyPath = mkdtempSync(join(tmpdir(), 'ledger-path-'));
    try {
      const r = spawnSync(process.execPath, [join(projectRoot, 'tools', 'install', 'setup.mjs'), '--test'], { encoding: 'utf8', env: { PATH: emptyPath, HOME: process.env.HOME ?? '/root' } });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /missing: Chromium \(chromium: .+\); Prometheus \(prometheus: .+\)/);
      assert.match(r.stderr, /apt-get install -y --no-install-recommends chromium prometheus/);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    } finally {
      rmSync(emptyPath, { recursive: true, force: true });
    }
  });

  // apt itself is not what is under test here, set-up's decisions are: a stand-in apt-get on an
  // otherwise empty PATH records how it was called and, like the real one, puts the programs
  // of the packages it installs on PATH.
  function withStandInApt(behaviour: 'installs' | 'fails', body: (bin: string, calls: () => string[]) => void): void {
    const bin = mkdtempSync(join(tmpdir(), 'ledger-apt-'));
    const log = join(bin, 'apt-calls.log');
    const script = [
      '#!/bin/sh',
      `echo "$*" >> '${log}'`,
      behaviour === 'fails' ? '[ "$1" = install ] && exit 100' : '',
      'if [ "$1" = install ]; then for a in "$@"; do case "$a" in -*|install) ;; *) printf \'#!/bin/sh\\n\' > "' + bin + '/$a"; /bin/chmod +x "' + bin + '/$a";; esac; done; fi',
      'exit 0',
      '',
    ].join('\n');
    writeFileSync(join(bin, 'apt-get'), script);
    chmodSync(join(bin, 'apt-get'), 0o755);
    try {
      body(bin, () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []));
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  }
  const ensureWith = (bin: string, root: boolean) =>
    spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(pathToFileURL(join(projectRoot, 'tools', 'install', 'system-tools.mjs')).href)});
         try { m.ensureSystemTools(m.TEST_TOOLS, { root: ${root} }); console.log('ready'); } catch (e) { console.error(e.message); process.exit(2); }`,
      ],
      { encoding: 'utf8', env: { PATH: bin } },
    );

  it('as root with apt-get, installs the missing Chromium and Prometheus in one apt-get call and goes on', () => {
    withStandInApt('installs', (bin, calls) => {
      const r = ensureWith(bin, true);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /ready/);
      assert.match(r.stderr, /installing chromium, prometheus with apt/);
      assert.deepEqual(calls(), ['update -qq', 'install -y -qq --no-install-recommends chromium prometheus']);
      assert.ok(existsSync(join(bin, 'chromium')) && existsSync(join(bin, 'prometheus')));
      // Once both are there, set-up installs nothing more.
      const again = ensureWith(bin, true);
      assert.equal(again.status, 0, again.stderr);
      assert.equal(calls().length, 2, 'no second apt-get run');
    });
  });

  it('without root, never runs apt-get: names the command to run as root (exit 2)', () => {
    withStandInApt('installs', (bin, calls) => {
      const r = ensureWith(bin, false);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /missing: Chromium .*; Prometheus /);
      assert.match(r.stderr, /sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends chromium prometheus'/);
      assert.deepEqual(calls(), []);
    });
  });

  it('when apt-get fails, stops naming the command instead of going on without the programs', () => {
    withStandInApt('fails', (bin) => {
      const r = ensureWith(bin, true);
      assert.equal(r.status, 2);
      assert.match(
        r.stderr,
        /`apt-get install -y -qq --no-install-recommends chromium prometheus` failed \(exit 100\)\. Fix: run `apt-get update && apt-get install -y --no-install-recommends chromium prometheus` as root/,
      );
    });
  });
});
