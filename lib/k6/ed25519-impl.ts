// The only static import of @noble/curves: localSigner() require()s this module, so esbuild
// evaluates it (and noble's curve set-up) only in a VU that signs locally.
export { ed25519 } from '@noble/curves/ed25519.js';
