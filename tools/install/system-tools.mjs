// System programs some tests drive for real (never an emulation), found on PATH. When one is
// missing, it is installed with Debian's apt when that is possible (apt-get present, running as
// root); otherwise set-up stops at once and names the command that installs it.
// Uses only Node built-ins (it runs before node_modules).
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * What `npm test` needs besides Node, npm and Go (k6 is built by k6.mjs).
 * commands: any one of these on PATH is enough; debian: the apt package that provides it.
 */
export const TEST_TOOLS = [
  { name: 'Chromium', commands: ['chromium', 'chromium-browser'], debian: 'chromium', neededBy: 'the report.html check (headless Chromium renders its charts)' },
  { name: 'Prometheus', commands: ['prometheus'], debian: 'prometheus', neededBy: 'test/watch (every dashboard query runs on real Prometheus fed by real k6)' },
];

/** The first of `commands` found on PATH, or undefined. */
export function findOnPath(commands, path = process.env.PATH ?? '') {
  for (const command of commands) {
    for (const dir of path.split(delimiter)) {
      if (!dir) continue;
      try {
        accessSync(join(dir, command), constants.X_OK);
        return join(dir, command);
      } catch {
        // not in this folder
      }
    }
  }
  return undefined;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function installCommand(packages) {
  return `apt-get update && apt-get install -y --no-install-recommends ${packages.join(' ')}`;
}

/**
 * Makes sure every tool is on PATH; throws an Error naming the install command when it cannot.
 * `root`: whether apt may be used (default: running as root); with apt-get on PATH it installs.
 */
export function ensureSystemTools(tools, { log = (m) => process.stderr.write(`${m}\n`), root = isRoot() } = {}) {
  const missing = tools.filter((t) => !findOnPath(t.commands));
  if (missing.length === 0) return;
  const packages = missing.map((t) => t.debian);
  const what = missing.map((t) => `${t.name} (${t.commands[0]}: ${t.neededBy})`).join('; ');
  if (!root || findOnPath(['apt-get']) === undefined) {
    throw new Error(
      `missing: ${what}.\n` + `Fix: install it and re-run, e.g. on Debian/Ubuntu: sudo sh -c '${installCommand(packages)}'` + ` (or put ${missing.map((t) => t.commands[0]).join(', ')} on PATH).`,
    );
  }
  log(`installing ${packages.join(', ')} with apt (missing: ${what})…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', ...packages],
  ]) {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
    if (r.status !== 0) throw new Error(`\`apt-get ${args.join(' ')}\` failed (exit ${r.status ?? r.signal}). Fix: run \`${installCommand(packages)}\` as root and re-run.`);
  }
  const still = missing.filter((t) => !findOnPath(t.commands));
  if (still.length) throw new Error(`apt installed ${packages.join(', ')} but ${still.map((t) => t.commands[0]).join(', ')} is still not on PATH`);
}
