// Set-up that never surprises: dependency freshness judged by the lockfile's content (not file
// times), the Node versions promised fit every locked dependency, and a missing system program
// stops `npm test` at once with the command that installs it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
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
  it('without Chromium and without a way to install it, stops at once naming the command (exit 2)', () => {
    const emptyPath = mkdtempSync(join(tmpdir(), 'ledger-path-'));
    try {
      const r = spawnSync(process.execPath, [join(projectRoot, 'tools', 'install', 'setup.mjs'), '--test'], { encoding: 'utf8', env: { PATH: emptyPath, HOME: process.env.HOME ?? '/root' } });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /missing: Chromium/);
      assert.match(r.stderr, /apt-get install -y --no-install-recommends chromium/);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    } finally {
      rmSync(emptyPath, { recursive: true, force: true });
    }
  });
});
