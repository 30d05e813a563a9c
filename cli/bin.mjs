#!/usr/bin/env node
// Entry point for `npx ledger-perf`. An installed package runs the compiled CLI
// (dist/node/cli/main.js, plain Node; `npm run build` / `prepare` make it). A checkout runs the
// TypeScript sources through tsx (a dev tool), so a stale build never shadows a source edit.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const sources = new URL('./main.ts', import.meta.url);
const compiled = new URL('../dist/node/cli/main.js', import.meta.url);

function tsxAvailable() {
  try {
    createRequire(import.meta.url).resolve('tsx/esm/api');
    return true;
  } catch {
    return false;
  }
}

if (existsSync(sources) && tsxAvailable()) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(sources.href);
} else if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  process.stderr.write('ledger-perf: the compiled CLI (dist/node/cli/main.js) is missing. Fix: run `npm run build` in the package folder.\n');
  process.exitCode = 2;
}
