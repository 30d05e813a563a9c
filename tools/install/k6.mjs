#!/usr/bin/env node
// Resolves the pinned k6 binary: `k6` from PATH when it is exactly the pinned version, else a
// project-local build from the Go module proxy into .tools/k6-<version>/ (never a downloaded
// prebuilt binary).
// As a command it passes its arguments to that k6: `node tools/install/k6.mjs run dist/x.js`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The pin itself is read by the engine's one reader (cli/k6-pin.mjs, Node built-ins only).
import { compatK6Version, pinnedK6Version, projectRoot } from '../../cli/k6-pin.mjs';

export { compatK6Version, pinnedK6Version, projectRoot };

/** k6 module path for a version: k6 v2+ lives at go.k6.io/k6/v2 (Go's major-version suffix). */
export function k6ModulePath(version) {
  const major = Number(version.slice(1).split('.')[0]);
  return major >= 2 ? `go.k6.io/k6/v${major}` : 'go.k6.io/k6';
}

/** The Go that k6 v1.8 and v2.2 declare in their go.mod (`go 1.25.0`). */
const MIN_GO = [1, 25];

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

/**
 * Builds k6 from source in a throwaway Go module: `go get <module>@<version>` then
 * `go build -o … <module>`. Not `go install <module>@<version>`: for the v2 line that fails here,
 * because the module proxy does not list v2 versions and go's deprecation lookup then errors.
 * The same two steps build both major lines (v1: go.k6.io/k6, v2: go.k6.io/k6/v2).
 * Builds into a scratch folder and renames: an interrupted build never leaves a half binary.
 */
function buildK6(modulePath, version, destination) {
  const scratch = join(toolsDir(), `.build-${version}-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const env = { ...process.env, CGO_ENABLED: process.env.CGO_ENABLED ?? '0', GOFLAGS: '-mod=mod', GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'local' };
  const go = (args) => {
    const r = spawnSync('go', args, { cwd: scratch, stdio: ['ignore', 'inherit', 'inherit'], env });
    if (r.status !== 0) {
      rmSync(scratch, { recursive: true, force: true });
      throw new Error(`\`go ${args.join(' ')}\` failed (exit ${r.status ?? r.signal}) while building k6 ${version}; see the Go output above.`);
    }
  };
  try {
    writeFileSync(join(scratch, 'go.mod'), 'module ledger-perf/k6-build\n');
    go(['get', `${modulePath}@${version}`]);
    go(['build', '-trimpath', '-o', join(scratch, 'k6'), modulePath]);
    mkdirSync(dirname(destination), { recursive: true });
    renameSync(join(scratch, 'k6'), destination);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Returns the path of a k6 binary of the pinned version (or of `version`, e.g. the older line the
 * compatibility test runs), building it when needed.
 */
export function ensureK6({ version = pinnedK6Version(), log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  if (versionOf('k6') === version) return 'k6';
  const local = localK6Path(version);
  if (existsSync(local) && versionOf(local) === version) return local;

  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    throw new Error(
      `k6 ${version} is needed but neither \`k6\` on PATH is that version nor is Go installed to build it.\n` +
        `Fix: install Go 1.25 or newer (https://go.dev/doc/install; k6 v1.8 and v2.2 need it) and re-run, ` +
        `or put k6 ${version} on PATH.`,
    );
  }
  const goVersion = /go(\d+)\.(\d+)/.exec(go.stdout);
  if (goVersion && (Number(goVersion[1]) < MIN_GO[0] || (Number(goVersion[1]) === MIN_GO[0] && Number(goVersion[2]) < MIN_GO[1]))) {
    throw new Error(
      `k6 ${version} is needed and must be built, but ${go.stdout.trim()} is older than the Go ${MIN_GO.join('.')} k6 needs.\n` +
        `Fix: install Go ${MIN_GO.join('.')} or newer (https://go.dev/doc/install) and re-run, or put k6 ${version} on PATH.`,
    );
  }
  const modulePath = k6ModulePath(version);
  log(`[k6] building k6 ${version} (${modulePath}) from the Go module proxy into ${dirname(local)} (one time, about a minute or two)…`);
  buildK6(modulePath, version, local);
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
