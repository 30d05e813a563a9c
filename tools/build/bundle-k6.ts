// Bundles one extra k6 script (a test fixture or a benchmark) with the same settings as the
// workloads in esbuild.config.mjs.
import { build } from 'esbuild';
import { k6BundleOptions } from './k6-esbuild-options.mjs';

export async function bundleK6Script(entryPoint: string, outfile: string): Promise<string> {
  await build({ ...k6BundleOptions, entryPoints: [entryPoint], outfile, logLevel: 'warning' });
  return outfile;
}
