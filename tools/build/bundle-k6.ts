// Bundles one extra k6 script (a test fixture or a benchmark) with the same settings as the
// workloads in esbuild.config.mjs, and beside it the side modules it may require().
import { dirname } from 'node:path';
import { build } from 'esbuild';
import { buildK6SideModules, k6BundleOptions, sideModulesRequiredBy } from '../../cli/build/k6-esbuild-options.mjs';

export async function bundleK6Script(entryPoint: string, outfile: string): Promise<string> {
  const r = await build({ ...k6BundleOptions, entryPoints: [entryPoint], outfile, logLevel: 'warning', metafile: true });
  await buildK6SideModules(dirname(outfile), Object.values(r.metafile.outputs).flatMap(sideModulesRequiredBy));
  return outfile;
}
