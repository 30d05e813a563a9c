import type { BuildOptions } from 'esbuild';
export const k6BundleOptions: BuildOptions;
