import { join } from 'node:path';
import type { Command } from 'commander';
import { writeFilesAtomic } from '../io/atomic-write.ts';
import { prepareOutputDir } from '../io/out-dir.ts';
import { summaryToJson } from '../model/serialize.ts';
import { mergeRuns } from '../run/merge.ts';
import { resolveRuns } from '../run/resolve-inputs.ts';
import { RUN_FILES } from '../run-folder/names.ts';
import { type RunJson, runJsonText } from '../run-folder/run-json.ts';

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('merge the outputs of k6 execution segments into one run (counts add, percentiles from merged histograms)')
    .argument('<outputs...>', 'segment outputs: run folders, k6 JSON outputs or run-summary.json files')
    .requiredOption('-o, --out <dir>', 'folder for the merged run (gets run-summary.json and run.json; then `ledger-perf report <dir>`)')
    .option('--lenient', 'skip corrupt lines in k6 outputs (reported)')
    .action(async (outputs: string[], opts: { out: string; lenient?: boolean }) => {
      const warn = (m: string) => process.stderr.write(`warning: ${m}\n`);
      const dir = prepareOutputDir(opts.out);
      const runs = await resolveRuns(outputs, 'baselines', { lenient: opts.lenient, warn });
      const { run, warnings } = mergeRuns(runs);
      for (const w of warnings) warn(w);
      const meta: RunJson = { schemaVersion: 1, ...run.meta };
      writeFilesAtomic([
        { path: join(dir, RUN_FILES.runSummary), content: `${JSON.stringify(summaryToJson(run, { timeseries: true }))}\n` },
        { path: join(dir, RUN_FILES.run), content: runJsonText(meta) },
        // The SLO set every segment was judged by travels with the merged run, as with a single run.
        ...(run.sloSet ? [{ path: join(dir, RUN_FILES.thresholds), content: `${JSON.stringify(run.sloSet, null, 2)}\n` }] : []),
      ]);
      const reqs = run.series.get('http_reqs')?.moments.sum ?? 0;
      const iters = run.series.get('iterations')?.moments.sum ?? 0;
      process.stdout.write(`merged ${runs.length} segment(s): ${iters} iterations, ${reqs} requests -> ${dir}\n`);
    });
}
