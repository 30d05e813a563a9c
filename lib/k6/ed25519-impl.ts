// The only import of @noble/curves, built on its own to dist/ed25519.js (a side module, see
// K6_SIDE_MODULES in cli/build/k6-esbuild-options.mjs) and loaded by lib/k6/signing.ts only
// when SIGNING=local: the workload bundles do not carry it.
export { ed25519 } from '@noble/curves/ed25519.js';
