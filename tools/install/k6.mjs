#!/usr/bin/env node
// Resolves the pinned k6 binary: `k6` from PATH when it is exactly the pinned version, else a
// project-local build made with `go install` (never a downloaded prebuilt binary).
// As a command it passes its arguments to that k6: `node tools/k6.mjs run dist/x.js`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The one place the k6 version is pinned: package.json "config.k6Version". */
export function pinnedK6Version() {
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));
  const version = pkg.config?.k6Version;
  if (typeof version !== 'string' || !/^v\d+\.\d+\.\d+$/.test(version)) {
    throw new Error(`package.json config.k6Version must look like "v1.2.3", got ${JSON.stringify(version)}`);
  }
  return version;
}

/** k6 module path for a version: k6 v2+ lives at go.k6.io/k6/v2 (Go's major-version suffix). */
export function k6ModulePath(version) {
  const major = Number(version.slice(1).split('.')[0]);
  return major >= 2 ? `go.k6.io/k6/v${major}` : 'go.k6.io/k6';
}

/** Where project-local tool builds live: .tools/ (git-ignored), or K6_TOOLS_DIR. */
function toolsDir() {
  return process.env.K6_TOOLS_DIR || join(projectRoot, '.tools');
}

export function localK6Path(version = pinnedK6Version()) {
  return join(toolsDir(), `k6-${version}`, 'k6');
}

function versionOf(binary) {
  const r = spawnSync(binary, ['version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  const m = /k6 (v\d+\.\d+\.\d+)/.exec(r.stdout);
  return m?.[1];
}

/** Returns the path of a k6 binary of the pinned version, building it when needed. */
export function ensureK6({ log = (m) => process.stderr.write(m + '\n') } = {}) {
  const version = pinnedK6Version();
  if (versionOf('k6') === version) return 'k6';
  const local = localK6Path(version);
  if (existsSync(local) && versionOf(local) === version) return local;

  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    throw new Error(
      `k6 ${version} is needed but neither \`k6\` on PATH is that version nor is Go installed to build it.\n` +
        `Fix: install Go 1.25 or newer (https://go.dev/doc/install; k6 v1.8.1 needs it) and re-run, ` +
        `or put k6 ${version} on PATH.`,
    );
  }
  const modulePath = k6ModulePath(version);
  log(`[k6] building k6 ${version} with go install ${modulePath}@${version} (one time, a few minutes)…`);
  // Build into a scratch folder, then rename: an interrupted build never leaves a half binary.
  const scratch = join(toolsDir(), `.build-${process.pid}`);
  mkdirSync(scratch, { recursive: true });
  const r = spawnSync('go', ['install', `${modulePath}@${version}`], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, GOBIN: scratch, CGO_ENABLED: process.env.CGO_ENABLED ?? '0' },
  });
  if (r.status !== 0) {
    rmSync(scratch, { recursive: true, force: true });
    throw new Error(`go install ${modulePath}@${version} failed (exit ${r.status}); see the Go output above.`);
  }
  mkdirSync(dirname(local), { recursive: true });
  renameSync(join(scratch, 'k6'), local);
  rmSync(scratch, { recursive: true, force: true });
  if (versionOf(local) !== version) throw new Error(`built ${local} but it does not report k6 ${version}`);
  log(`[k6] built ${local}`);
  return local;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const k6 = ensureK6();
    const r = spawnSync(k6, process.argv.slice(2), { stdio: 'inherit' });
    process.exit(r.status ?? 1);
  } catch (err) {
    process.stderr.write(`error: ${err.message}\n`);
    process.exit(2);
  }
}
