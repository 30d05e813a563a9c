// The pinned-k6 resolver: module paths per major version, and a clear way out without Go.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compatK6Version, k6ModulePath, pinnedK6Version } from '../../tools/install/k6.mjs';
import { projectRoot } from '../helpers/paths.ts';

describe('pinned k6', () => {
  it('is pinned once, in package.json, as a release tag', () => {
    assert.match(pinnedK6Version(), /^v\d+\.\d+\.\d+$/);
  });

  it('pins the v2 line and keeps a v1 line for the compatibility test', () => {
    assert.match(pinnedK6Version(), /^v2\./);
    assert.match(compatK6Version(), /^v1\./);
  });

  it('maps k6 v2+ to its Go major-version module path', () => {
    assert.equal(k6ModulePath('v1.8.1'), 'go.k6.io/k6');
    assert.equal(k6ModulePath('v2.0.0'), 'go.k6.io/k6/v2');
  });

  it('without k6 of that version and without Go, explains what to install and exits 2', () => {
    const emptyTools = mkdtempSync(join(tmpdir(), 'ledger-tools-'));
    const noToolsPath = mkdtempSync(join(tmpdir(), 'ledger-path-'));
    try {
      const r = spawnSync(process.execPath, [join(projectRoot, 'tools', 'install', 'k6.mjs'), 'version'], {
        encoding: 'utf8',
        env: { PATH: noToolsPath, K6_TOOLS_DIR: emptyTools, HOME: process.env.HOME ?? '/root' },
      });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`k6 ${pinnedK6Version()} is needed`));
      assert.match(r.stderr, /install Go 1\.25 or newer/);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    } finally {
      rmSync(emptyTools, { recursive: true, force: true });
      rmSync(noToolsPath, { recursive: true, force: true });
    }
  });

  it('with a Go older than k6 needs, says which Go to install instead of failing inside the build', () => {
    const emptyTools = mkdtempSync(join(tmpdir(), 'ledger-tools-'));
    const fakeBin = mkdtempSync(join(tmpdir(), 'ledger-path-'));
    try {
      writeFileSync(join(fakeBin, 'go'), '#!/bin/sh\necho "go version go1.22.4 linux/amd64"\n');
      chmodSync(join(fakeBin, 'go'), 0o755);
      const r = spawnSync(process.execPath, [join(projectRoot, 'tools', 'install', 'k6.mjs'), 'version'], {
        encoding: 'utf8',
        env: { PATH: `${fakeBin}:/bin:/usr/bin`, K6_TOOLS_DIR: emptyTools, HOME: process.env.HOME ?? '/root' },
      });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /go version go1\.22\.4 linux\/amd64 is older than the Go 1\.25 k6 needs/);
      assert.match(r.stderr, /install Go 1\.25 or newer/);
    } finally {
      rmSync(emptyTools, { recursive: true, force: true });
      rmSync(fakeBin, { recursive: true, force: true });
    }
  });
});
