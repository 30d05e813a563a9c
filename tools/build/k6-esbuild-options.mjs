// The esbuild settings k6 needs, shared by the workload build (esbuild.config.mjs) and the extra
// scripts bundled for tests and benchmarks (tools/bundle-k6.ts): ESM for k6's Sobek engine,
// `k6`, `k6/*` and remote jslib modules left for k6 to resolve, minified.
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
};
