// `build`: bundles a user's own k6 workload (TypeScript or JavaScript, typically built on the
// package's lib/) into a k6 script with exactly the settings the project's workloads use
// (cli/build/k6-esbuild-options.mjs) and the same build-time check of imported thresholds/*.json.

import { existsSync } from 'node:fs';
import { basename, extname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { buildK6SideModules, K6_SIDE_MODULES, k6BundleOptions, sideModulesRequiredBy } from '../build/k6-esbuild-options.mjs';
import { thresholdsValidationPlugin } from '../build/validate-esbuild-plugin.ts';
import { CliError } from '../errors.ts';
import { writeFilesAtomic } from '../io/atomic-write.ts';

export function registerBuild(program: Command): void {
  program
    .command('build')
    .description("bundle your own k6 workload(s) (e.g. written on top of the package's lib/) into k6 scripts, with the project's esbuild settings")
    .argument('<workload...>', 'entry files, e.g. my-workload.ts')
    .option('-d, --outdir <dir>', 'folder for the bundles (<name>.js + source map)', 'dist')
    .option('-q, --quiet', 'print nothing but errors')
    .action(async (workloads: string[], opts: { outdir: string; quiet?: boolean }) => {
      const missing = workloads.filter((w) => !existsSync(w));
      if (missing.length) throw new CliError(`no such file: ${missing.join(', ')}\n  fix: give the path of a workload entry file (e.g. my-workload.ts)`);
      const outdir = resolve(opts.outdir);
      const names = workloads.map((w) => basename(w, extname(w)));
      const clash = names.find((n, i) => names.indexOf(n) !== i);
      if (clash) throw new CliError(`two workloads would both be bundled to ${join(opts.outdir, `${clash}.js`)}\n  fix: give entry files distinct names`);
      const sideNames = new Set(K6_SIDE_MODULES.map((m) => m.file));
      const taken = names.find((n) => sideNames.has(`${n}.js`));
      if (taken) throw new CliError(`a workload named ${taken} would overwrite the side module ${taken}.js the bundles load\n  fix: rename the entry file`);
      // Loaded here, not at start-up: only `build` needs the bundler.
      const { build } = await import('esbuild');
      let outputFiles;
      try {
        const bundled = await build({
          ...k6BundleOptions,
          entryPoints: workloads.map((w) => resolve(w)),
          outdir,
          entryNames: '[name]',
          sourcemap: 'linked',
          legalComments: 'none',
          logLevel: 'error',
          plugins: [...k6BundleOptions.plugins, thresholdsValidationPlugin()],
          metafile: true,
          write: false,
        });
        // The side modules the bundles require() (e.g. ed25519.js for SIGNING=local) go beside them.
        const side = await buildK6SideModules(outdir, Object.values(bundled.metafile.outputs).flatMap(sideModulesRequiredBy), { write: false });
        outputFiles = [...bundled.outputFiles, ...side];
      } catch {
        throw new CliError('build failed: fix the errors above (nothing was written)');
      }
      // All bundles appear together or none: a failed build never leaves a half-written dist/.
      writeFilesAtomic(outputFiles.map((f) => ({ path: f.path, content: f.contents })));
      if (!opts.quiet) {
        for (const f of outputFiles)
          if (f.path.endsWith('.js') && !sideNames.has(basename(f.path)))
            process.stdout.write(`built ${relative(process.cwd(), f.path) || f.path}  (run: k6 run ${relative(process.cwd(), f.path)})\n`);
      }
    });
}
