// Bundles one extra k6 script (a test fixture or a benchmark) with the same settings k6 needs
// as the workloads in esbuild.config.mjs: ESM, `k6` and `k6/*` left for k6 to resolve.
import { build } from 'esbuild';

export async function bundleK6Script(entryPoint: string, outfile: string): Promise<string> {
  await build({
    entryPoints: [entryPoint],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2020',
    mainFields: ['module', 'main'],
    conditions: ['import', 'default'],
    external: ['k6', 'k6/*', 'https://*'],
    define: { global: 'globalThis' },
    logLevel: 'warning',
  });
  return outfile;
}
