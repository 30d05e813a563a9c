#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
// Compiles the Node programs to plain JavaScript so an installed package runs them with plain Node
// (tsx stays a dev tool):
//   dist/node/cli/main.js                      the results CLI (`ledger-perf`, cli/bin.mjs)
//   dist/node/reference-server/main.js         the reference register server
//   dist/node/reference-server/*-worker.js     its worker threads (started beside main.js)
// npm packages stay external: the installed package's dependencies provide them.
//
// Some CLI modules find project files from their own location (`new URL('../..', import.meta.url)`
// → thresholds/, package.json). In a bundle import.meta.url is the bundle's, so for every module
// outside reference-server/ the plugin below gives `import.meta.url` the module's SOURCE location
// in the package; the package ships thresholds/ and package.json where the sources expect them.
// reference-server/ keeps the bundle's own URL: its workers are siblings of its bundle.
// Flags: --quiet.
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outdir = join(root, 'dist', 'node');
const quiet = process.argv.includes('--quiet');

/** Every entry's bundle lands in dist/node/<folder>/, three levels below the package root. */
export const entryPoints = ['cli/main.ts', 'reference-server/main.ts', 'reference-server/checkpoint-worker.ts', 'reference-server/verify-worker.ts'];
const BUNDLE_TO_ROOT = '../../../';

function sourceLocationPlugin() {
  return {
    name: 'source-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.(ts|mts|mjs)$/ }, (args) => {
        const rel = relative(root, args.path).split(sep).join('/');
        if (rel.startsWith('..') || rel.startsWith('node_modules/') || rel.startsWith('reference-server/')) return undefined;
        const text = readFileSync(args.path, 'utf8');
        if (!/\bimport\.meta\.url\b/.test(text)) return undefined;
        const here = `new URL(${JSON.stringify(BUNDLE_TO_ROOT + rel)}, import.meta.url).href`;
        return { contents: text.replace(/\bimport\.meta\.url\b/g, here), loader: args.path.endsWith('.mjs') ? 'js' : 'ts' };
      });
    },
  };
}

export async function compileNode() {
  const result = await build({
    absWorkingDir: root,
    entryPoints,
    outdir,
    outbase: '.',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    legalComments: 'none',
    plugins: [sourceLocationPlugin()],
  });
  return Object.entries(result.metafile.outputs).filter(([f]) => f.endsWith('.js'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    for (const [file, info] of await compileNode()) if (!quiet) process.stderr.write(`[build] ${file}  ${(info.bytes / 1024).toFixed(1)} KiB\n`);
  } catch {
    process.stderr.write('[build] compiling the CLI and the reference server failed: fix the errors above (dist/node/ was not updated)\n');
    process.exit(1);
  }
}
