// `npm run suite -- <plan.json | plan name> [--stop-on-failure] [--base-url URL] [--out-dir DIR] [--dry-run] [--verbose]`:
// the command line of the suite runner. Plans: plan.ts; running: suite-run.ts; what is
// recorded: suite-model.ts; suite.md: suite-render.ts.

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { ConfigFileError } from '../../cli/config/json-source.ts';
import { loadPlanFile, resolvePlanPath, resolveRuns } from '../../cli/config/plan.ts';
import { CliError } from '../../cli/errors.ts';
import { formatSeconds } from './suite-render.ts';
import { runSuite } from './suite-run.ts';

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name('suite')
    .description('Run a test plan (plans/*.json) and write one suite report folder')
    .argument('<plan>', 'plan file, or the name of a shipped plan (e.g. quick, seed004-tps-progression)')
    .option('--stop-on-failure', 'stop after the first run that fails', false)
    .option('--base-url <url>', 'system under test (default: $BASE_URL, else start the local reference server)')
    .option('--out-dir <dir>', 'where the suite folder goes', 'reports')
    .option('--dry-run', 'validate the plan and print what would run, without running it', false)
    .option('--verbose', "show k6's output (default: to <run>/k6.log)", false)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  const opts = program.opts<{ stopOnFailure: boolean; baseUrl?: string; outDir: string; dryRun: boolean; verbose: boolean }>();
  const planFile = resolvePlanPath(program.args[0]!);
  const baseUrl = opts.baseUrl ?? (process.env.BASE_URL || undefined);
  if (baseUrl !== undefined && !/^https?:\/\/[^/\s]+/.test(baseUrl)) {
    console.error(`--base-url/BASE_URL ${JSON.stringify(baseUrl)} is not an http(s) URL — fix: e.g. --base-url http://127.0.0.1:8080`);
    return 2;
  }
  try {
    if (opts.dryRun) {
      const plan = loadPlanFile(planFile);
      for (const r of resolveRuns(plan)) {
        const env = Object.entries(r.env)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ');
        console.log(`${r.label}: ${r.workload} × ${r.profile} × ${r.repeats}, at most ${formatSeconds(r.maxWallSeconds)} each${env ? `  [${env}]` : ''}`);
      }
      return 0;
    }
    const [{ runWorkload }, { startLocalReferenceServer }] = await Promise.all([import('./run-workload.ts'), import('./reference-server.ts')]);
    const summary = await runSuite(
      { planFile, baseUrl, outDir: opts.outDir, stopOnFailure: opts.stopOnFailure, quiet: !opts.verbose, log: (l) => console.error(l) },
      { runWorkload, startLocalReferenceServer },
    );
    return summary.exitCode ?? 1;
  } catch (err) {
    if (err instanceof ConfigFileError || err instanceof CliError) {
      console.error(err.message);
      return 2;
    }
    console.error(`[suite] error: ${(err as Error).message}`);
    return 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
