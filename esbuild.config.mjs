#!/usr/bin/env node
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
// Bundles every workload scenarios/<name>.ts (with lib/, JSON imports and npm packages) into a
// k6 script dist/<name>.js. k6 resolves `k6` and `k6/*` itself, so they stay external; the
// output is ESM for k6's Sobek engine, with a linked source map so stack traces name .ts lines.
// Flags: --if-stale (skip when dist/ is newer than every input), --quiet.
import { build } from 'esbuild';
import { tsImport } from 'tsx/esm/api';
import { buildK6SideModules, K6_SIDE_MODULES, k6BundleOptions, sideModulesRequiredBy } from './cli/build/k6-esbuild-options.mjs';

const root = dirname(fileURLToPath(import.meta.url));
const outdir = join(root, 'dist');
const quiet = process.argv.includes('--quiet');

const entryPoints = readdirSync(join(root, 'scenarios'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .map((f) => join(root, 'scenarios', f));

function newestMtime(paths) {
  let newest = 0;
  for (const p of paths) {
    if (!existsSync(p)) continue;
    const st = statSync(p);
    if (st.isDirectory()) newest = Math.max(newest, newestMtime(readdirSync(p).map((f) => join(p, f))));
    else newest = Math.max(newest, st.mtimeMs);
  }
  return newest;
}

function isStale() {
  const inputs = ['scenarios', 'lib', 'thresholds', 'package-lock.json', 'esbuild.config.mjs'].map((p) => join(root, p));
  const outputs = [...entryPoints.map((e) => join(outdir, relative(join(root, 'scenarios'), e).replace(/\.ts$/, '.js'))), ...K6_SIDE_MODULES.map((m) => join(outdir, m.file))];
  if (outputs.some((o) => !existsSync(o))) return true;
  const oldestOutput = Math.min(...outputs.map((o) => statSync(o).mtimeMs));
  return newestMtime(inputs) > oldestOutput;
}

if (process.argv.includes('--if-stale') && !isStale()) {
  if (!quiet) process.stderr.write('[build] dist/ is up to date\n');
  process.exit(0);
}

// Build-time check of every bundled thresholds/*.json (schema + level ordering); a TypeScript
// module, loaded through tsx so this config stays plain Node.
const { thresholdsValidationPlugin } = await tsImport('./cli/build/validate-esbuild-plugin.ts', import.meta.url);
// The knob readers and the metric catalog are pure modules; the manifest records what they
// declare, so tools that only have dist/ know each workload's knobs and every metric's type.
const { readRunKnobs, WORKLOAD_KNOBS } = await tsImport('./lib/shared/workload-knobs.ts', import.meta.url);
const { KNOWN_METRICS } = await tsImport('./lib/shared/metric-catalog.ts', import.meta.url);
// The project's one atomic-write module (the manifest is read by the runner and the CLI).
const { writeFileAtomic } = await tsImport('./cli/io/atomic-write.ts', import.meta.url);
const knobNames = (name) => [...readRunKnobs({}, WORKLOAD_KNOBS[name]).knobs.readNames].sort();

try {
  const result = await build({
    entryPoints,
    absWorkingDir: root,
    outdir,
    ...k6BundleOptions,
    plugins: [...k6BundleOptions.plugins, thresholdsValidationPlugin()],
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    legalComments: 'none',
  });
  // dist/manifest.json records, per workload, the SLO sets k6 can pick in its bundle: its own
  // set (the thresholds JSON its entry point imports) and the shipped sets the registry
  // (lib/shared/slo-registry.ts) imports for THRESHOLDS=<name>. Each set's content is recorded as
  // bundled, and the runner copies exactly that into the run folder (cli/run-folder/build-manifest.ts).
  const setName = (path) => /^thresholds\/([^/]+)\.json$/.exec(path)?.[1];
  const registryInput = Object.keys(result.metafile.inputs).find((p) => p.endsWith('lib/shared/slo-registry.ts'));
  const registrySets = (registryInput ? result.metafile.inputs[registryInput].imports : []).map((i) => setName(i.path)).filter(Boolean);
  const sloSets = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    const name = setName(input);
    if (name) sloSets[name] = { file: input, set: JSON.parse(readFileSync(join(root, input), 'utf8')) };
  }
  const workloads = {};
  const required = new Set();
  for (const [file, info] of Object.entries(result.metafile.outputs)) {
    if (file.endsWith('.map')) continue;
    const name = file.replace(/^dist\//, '').replace(/\.js$/, '');
    const entryImports = info.entryPoint ? (result.metafile.inputs[info.entryPoint]?.imports ?? []) : [];
    const own = entryImports.map((i) => setName(i.path)).find(Boolean) ?? null;
    const sideModules = sideModulesRequiredBy(info);
    for (const m of sideModules) required.add(m);
    workloads[name] = {
      script: file,
      bytes: info.bytes,
      // Side modules the script may require() beside it (sideModules below says when), and
      // those it loads in every run.
      sideModules,
      alwaysLoads: sideModules.filter((m) => K6_SIDE_MODULES.find((d) => d.file === m).alwaysIn.includes(name)),
      sloSet: own,
      selectableSloSets: [...new Set([...(own ? [own] : []), ...registrySets])],
      // Env names the script reads (run configuration, profile and its own knobs).
      knobs: knobNames(name),
    };
    if (!quiet) process.stderr.write(`[build] ${file}  ${(info.bytes / 1024).toFixed(1)} KiB\n`);
  }
  const sideModules = {};
  for (const built of await buildK6SideModules(outdir, [...required])) {
    const file = built.path.replace(/^.*\//, '');
    sideModules[file] = { file: `dist/${file}`, bytes: built.bytes, neededWhen: K6_SIDE_MODULES.find((m) => m.file === file).neededWhen };
    if (!quiet) process.stderr.write(`[build] dist/${file}  ${(built.bytes / 1024).toFixed(1)} KiB  (side module, loaded when ${JSON.stringify(sideModules[file].neededWhen)})\n`);
  }
  const manifest = join(outdir, 'manifest.json');
  writeFileAtomic(manifest, `${JSON.stringify({ builtAt: new Date().toISOString(), workloads, sideModules, sloSets, metrics: KNOWN_METRICS }, null, 2)}\n`);
} catch {
  // esbuild has already printed each error with file:line; exit non-zero so no stale dist/ is used.
  process.stderr.write('[build] failed: fix the errors above (dist/ was not updated)\n');
  process.exit(1);
}
