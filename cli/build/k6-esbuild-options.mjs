// The esbuild settings k6 needs, shared by the workload build (esbuild.config.mjs), `ledger-perf
// build` (cli/commands/build.ts) and the extra scripts bundled for tests and benchmarks
// (tools/build/bundle-k6.ts): ESM for k6's Sobek engine, `k6`, `k6/*` and remote jslib modules
// left for k6 to resolve, minified, and the side modules kept out of the bundle.
/**
 * Side modules: code only some runs need, built to its own file next to the bundles and loaded
 * with k6's require() in the init context only when `neededWhen` holds (k6 v2.2.0 has no dynamic
 * import()). k6 resolves the path against the script, so the file must sit beside it: `k6
 * archive` carries it when the archive is made with the same env, and `ledger-perf k8s` adds it
 * to the ConfigMap. The code that loads one names it by the literal `./<file>`.
 * `alwaysIn` names the workloads that load it in every run whatever the env says.
 * - ed25519.js: @noble/curves Ed25519 (~34 KiB minified), for SIGNING=local, and always in
 *   error-handling (it signs its own malformed submissions: loadLocalSignerAtInit()).
 */
export const K6_SIDE_MODULES = [{ file: 'ed25519.js', entry: new URL('../../lib/k6/ed25519-impl.ts', import.meta.url), neededWhen: { SIGNING: 'local' }, alwaysIn: ['error-handling'] }];

/** Keeps each `require('./<side module>')` as a call k6 makes at run time. */
export const k6SideModulesPlugin = {
  name: 'k6-side-modules',
  setup(b) {
    const names = K6_SIDE_MODULES.map((m) => m.file.replace(/[.]/g, '\\.')).join('|');
    b.onResolve({ filter: new RegExp(`^\\./(${names})$`) }, (args) => ({ path: args.path, external: true }));
  },
};

export const k6BundleOptions = {
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2020',
  mainFields: ['module', 'main'],
  conditions: ['import', 'default'],
  external: ['k6', 'k6/*', 'https://*'],
  define: { global: 'globalThis' },
  // Minified (the linked source map still names .ts lines): a third of the bytes every VU
  // compiles and keeps; see docs/benchmarks.md.
  minify: true,
  plugins: [k6SideModulesPlugin],
};

/** The side modules an esbuild metafile output requires (by file name). */
export function sideModulesRequiredBy(output) {
  const files = new Set(K6_SIDE_MODULES.map((m) => m.file));
  return [...new Set((output.imports ?? []).filter((i) => i.external && i.kind === 'require-call').map((i) => i.path.replace(/^\.\//, '')))].filter((f) => files.has(f));
}

/**
 * Builds the given side modules into outdir. write: false returns the output files instead
 * (for callers that write everything atomically).
 */
export async function buildK6SideModules(outdir, files, { write = true } = {}) {
  const wanted = K6_SIDE_MODULES.filter((m) => files.includes(m.file));
  if (wanted.length === 0) return [];
  // Loaded here, not at start-up: the CLI imports these options without bundling anything.
  const { build } = await import('esbuild');
  const r = await build({
    ...k6BundleOptions,
    entryPoints: Object.fromEntries(wanted.map((m) => [m.file.replace(/\.js$/, ''), decodeURIComponent(m.entry.pathname)])),
    outdir,
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    write,
  });
  return write
    ? Object.entries(r.metafile.outputs)
        .filter(([f]) => f.endsWith('.js'))
        .map(([f, o]) => ({ path: f, bytes: o.bytes }))
    : r.outputFiles;
}
