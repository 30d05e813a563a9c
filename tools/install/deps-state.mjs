// Are the installed npm dependencies the ones package-lock.json pins? Judged by CONTENT: npm
// records what it installed in node_modules/.package-lock.json (its "hidden lockfile"); the
// dependencies are current when every package the lockfile pins is installed at that version and
// integrity and nothing else is. File times are not used: a fresh clone over an existing
// node_modules makes the lockfile look newer without changing a single pin.
// Uses only Node built-ins (it runs before node_modules exists).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function packagesOf(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8')).packages ?? {};
  } catch {
    return undefined;
  }
}

const pin = (entry) => `${entry.version ?? ''} ${entry.integrity ?? entry.resolved ?? ''}`;

/** undefined when node_modules matches package-lock.json, else why it does not. */
export function dependenciesOutOfDate(root) {
  const lockFile = join(root, 'package-lock.json');
  const installedFile = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(installedFile)) return 'node_modules has no record of an npm install (node_modules/.package-lock.json)';
  const locked = packagesOf(lockFile);
  const installed = packagesOf(installedFile);
  if (!locked) return 'package-lock.json is missing or not valid JSON';
  if (!installed) return 'node_modules/.package-lock.json is not valid JSON';
  for (const [path, entry] of Object.entries(locked)) {
    if (path === '' || entry.link) continue;
    const got = installed[path];
    // Optional packages for other platforms (e.g. @esbuild/darwin-arm64) are legitimately absent.
    if (!got) {
      if (entry.optional) continue;
      return `${path} (${entry.version}) is not installed`;
    }
    if (pin(got) !== pin(entry)) return `${path} is ${got.version}, the lockfile pins ${entry.version}`;
  }
  for (const path of Object.keys(installed)) if (!(path in locked)) return `${path} is installed but not in the lockfile`;
  return undefined;
}
