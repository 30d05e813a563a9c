#!/usr/bin/env node
// One-shot set-up shared by `npm start` and `npm test`: installs npm dependencies when
// node_modules does not hold what package-lock.json pins (judged by content, deps-state.mjs),
// checks the native SQLite module loads, and makes sure the pinned k6 exists. Uses only Node
// built-ins (it runs before node_modules).
// Flags: --deps (dependencies only), --test (also the system programs the tests use, installed
// with apt when missing and possible, otherwise it stops at once naming the command to run; and
// the k6 build of the compatibility line, package.json config.k6CompatVersion).
import { spawnSync } from 'node:child_process';
import { dependenciesOutOfDate } from './deps-state.mjs';
import { compatK6Version, ensureK6, projectRoot } from './k6.mjs';
import { ensureSystemTools, TEST_TOOLS } from './system-tools.mjs';

const log = (m) => process.stderr.write(`[setup] ${m}\n`);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: projectRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`\`${cmd} ${args.join(' ')}\` failed (exit ${r.status ?? r.signal})`);
}

function nativeSqliteLoads() {
  const r = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], {
    cwd: projectRoot,
    encoding: 'utf8',
  });
  return r.status === 0;
}

try {
  // First, because it is quick and may stop the run: nothing else is worth doing without them.
  if (process.argv.includes('--test')) ensureSystemTools(TEST_TOOLS, { log });
  const outOfDate = dependenciesOutOfDate(projectRoot);
  if (outOfDate) {
    log(`installing npm dependencies (npm ci): ${outOfDate}…`);
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
  // The compatibility test runs the older k6 line too; build it here, not in the middle of a test.
  if (process.argv.includes('--test')) ensureK6({ version: compatK6Version(), log });
} catch (err) {
  process.stderr.write(`[setup] error: ${err.message}\n`);
  process.exit(2);
}
