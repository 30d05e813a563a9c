// The k6 version the project pins, read from its one place: package.json "config.k6Version" (and
// "config.k6CompatVersion", the older line the scripts are kept working on). The engine needs it
// (`ledger-perf k8s` names the runner image and records the version) and so does set-up
// (tools/install/k6.mjs builds that k6): both import it from here. Node built-ins only, so set-up
// can use it before `npm install`.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's root: package.json, dist/, thresholds/ are found from here. */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function configVersion(key) {
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));
  const version = pkg.config?.[key];
  if (typeof version !== 'string' || !/^v\d+\.\d+\.\d+$/.test(version)) {
    throw new Error(`package.json config.${key} must look like "v1.2.3", got ${JSON.stringify(version)}`);
  }
  return version;
}

/** The one place the k6 version is pinned: package.json "config.k6Version". */
export function pinnedK6Version() {
  return configVersion('k6Version');
}

/** The older k6 line the scripts are also kept working on (the compatibility test runs it): "config.k6CompatVersion". */
export function compatK6Version() {
  return configVersion('k6CompatVersion');
}
