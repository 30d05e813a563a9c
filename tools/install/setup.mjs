#!/usr/bin/env node
// One-shot set-up shared by `npm start` and `npm test`: installs npm dependencies when
// node_modules is missing or older than the lockfile, checks the native SQLite module loads,
// and makes sure the pinned k6 exists. Uses only Node built-ins (it runs before node_modules).
// Flags: --deps (dependencies only).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureK6, projectRoot } from './k6.mjs';

const log = (m) => process.stderr.write(`[setup] ${m}\n`);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: projectRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`\`${cmd} ${args.join(' ')}\` failed (exit ${r.status ?? r.signal})`);
}

function depsStale() {
  const marker = join(projectRoot, 'node_modules', '.package-lock.json');
  const lock = join(projectRoot, 'package-lock.json');
  if (!existsSync(marker)) return true;
  return existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs;
}

function nativeSqliteLoads() {
  const r = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], {
    cwd: projectRoot,
    encoding: 'utf8',
  });
  return r.status === 0;
}

try {
  if (depsStale()) {
    log('installing npm dependencies (npm ci)…');
    run('npm', ['ci', '--no-audit', '--no-fund']);
  }
  if (!nativeSqliteLoads()) {
    log('building better-sqlite3 for this Node…');
    run('npm', ['rebuild', 'better-sqlite3']);
    if (!nativeSqliteLoads()) {
      throw new Error('better-sqlite3 still does not load. Fix: install a C++ toolchain (Debian: build-essential python3) and run `npm rebuild better-sqlite3`.');
    }
  }
  if (!process.argv.includes('--deps')) ensureK6({ log });
} catch (err) {
  process.stderr.write(`[setup] error: ${err.message}\n`);
  process.exit(2);
}
