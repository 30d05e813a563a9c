import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { baselineDir, listBaselines, loadBaseline, NOISE_MIN_RUNS, readManifest, saveBaseline, validateName } from '../baseline/store.ts';
import { duplicateProblems, sameTestProblems } from '../compare/comparability.ts';
import { CliError, EXIT } from '../errors.ts';
import { overall } from '../model/run-summary.ts';
import { resolveRuns } from '../run/resolve-inputs.ts';
import { quantiles } from '../stats/histogram.ts';

export function registerBaseline(program: Command): void {
  const cmd = program.command('baseline').description('save, list and show baselines (compact run summaries under baselines/<name>/, meant to be committed)');
  cmd
    .command('save')
    .argument('<name>', 'baseline name (letters, digits, . _ -)')
    .argument('<runs...>', 'runs to store: run folders, k6 outputs or run-summary.json files')
    .option('--baselines <dir>', 'where baselines live', 'baselines')
    .option('--lenient', 'skip corrupt lines in k6 outputs (reported)')
    .option('--force', 'replace an existing baseline of that name')
    .description(`store compact summaries of runs as a named baseline (with ≥ ${NOISE_MIN_RUNS} runs it records each metric's run-to-run spread)`)
    .action(async (name: string, runs: string[], opts: { baselines: string; lenient?: boolean; force?: boolean }) => {
      validateName(name);
      const loaded = await resolveRuns(runs, opts.baselines, { lenient: opts.lenient, warn: (m) => process.stderr.write(`warning: ${m}\n`) });
      // A baseline is a sample of one test: each run once, all of the same workload and load.
      const problems = [...duplicateProblems(loaded), ...sameTestProblems(loaded)];
      if (problems.length) throw new CliError(`these runs do not make one baseline:\n  - ${problems.map((p) => `[${p.rule}] ${p.message}`).join('\n  - ')}`, EXIT.incomparable);
      const dir = saveBaseline(opts.baselines, name, loaded, { force: opts.force });
      const noise = loaded.length >= NOISE_MIN_RUNS ? "; recorded each metric's run-to-run spread" : `; fewer than ${NOISE_MIN_RUNS} runs: no run-to-run spread recorded`;
      process.stdout.write(`saved baseline "${name}" (${loaded.length} run(s)) in ${dir}${noise}\n`);
    });
  cmd
    .command('list')
    .option('--baselines <dir>', 'where baselines live', 'baselines')
    .description('list saved baselines')
    .action((opts: { baselines: string }) => {
      const all = listBaselines(opts.baselines);
      if (all.length === 0) process.stdout.write(`no baselines in ${opts.baselines}/\n`);
      for (const b of all) {
        const workloads = [...new Set(b.runs.map((r) => [r.workload, r.profile].filter(Boolean).join('/') || '?'))].join(', ');
        process.stdout.write(`${b.name}\t${b.runs.length} run(s)\t${workloads}\t${b.createdAt}\n`);
      }
    });
  cmd
    .command('show')
    .argument('<name>', 'baseline name')
    .option('--baselines <dir>', 'where baselines live', 'baselines')
    .description('show the runs of a baseline and their key figures')
    .action((name: string, opts: { baselines: string }) => {
      validateName(name);
      const dir = baselineDir(opts.baselines, name);
      if (!existsSync(dir)) throw new CliError(`no baseline "${name}" in ${opts.baselines}/ (see: ledger-perf baseline list)`, EXIT.usage);
      const manifest = readManifest(dir);
      const runs = loadBaseline(dir);
      process.stdout.write(`baseline ${manifest.name} (created ${manifest.createdAt}), ${runs.length} run(s)\n`);
      process.stdout.write('run\tworkload/profile\trequests\treq/s\tp50 ms\tp95 ms\tp99 ms\terror rate\n');
      runs.forEach((r, i) => {
        const d = overall(r, 'http_req_duration');
        const [p50, p95, p99] = d?.hist ? quantiles(d.hist, [0.5, 0.95, 0.99], d.moments.min, d.moments.max) : [NaN, NaN, NaN];
        const reqs = overall(r, 'http_reqs')?.moments.sum ?? 0;
        const failed = overall(r, 'http_req_failed');
        const secs = Math.max((r.endMs - r.startMs) / 1000, 1e-9);
        const m = manifest.runs[i]!;
        process.stdout.write(
          `${m.file}\t${[m.workload, m.profile].filter(Boolean).join('/') || '?'}\t${reqs}\t${(reqs / secs).toFixed(1)}\t${p50!.toFixed(2)}\t${p95!.toFixed(2)}\t${p99!.toFixed(2)}\t${failed?.moments.count ? ((failed.nonZero / failed.moments.count) * 100).toFixed(2) : '0.00'} %\n`,
        );
      });
    });
}
