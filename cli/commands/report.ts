import type { Command } from 'commander';
import { EXIT } from '../errors.ts';
import { prepareOutputDir } from '../io/out-dir.ts';
import { reportRun } from '../report/write-report.ts';
import { verdictPasses } from '../slo/evaluate.ts';
import { declaredSlos } from '../slo/judge.ts';
import { parseList } from './options.ts';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('summarise one run: report.json/.md/.html/.csv and junit.xml in the run folder (or --out)')
    .argument('<run>', 'run folder (reports/<timestamp>-<workload>/), k6 JSON output file, or run-summary.json')
    .option('-o, --out <dir>', 'write the report files here instead of the run folder')
    .option('--thresholds <file>', 'SLO file with fail/warn levels (default: the set the run recorded, thresholds.json)')
    .option('--tags <list>', 'keep these normally dropped high-cardinality tags (e.g. url,vu)', parseList, [])
    .option('--lenient', 'skip corrupt or half-written lines and report how many, instead of failing')
    .option('--check', 'exit 1 when the SLO verdict is fail, or unknown (no SLOs, or no data for any); warn never fails')
    .option('-q, --quiet', 'print nothing but errors')
    .action(async (runPath: string, opts: { out?: string; thresholds?: string; tags: string[]; lenient?: boolean; quiet?: boolean; check?: boolean }) => {
      const warn = (m: string) => process.stderr.write(`warning: ${m}\n`);
      // Checked before the (possibly long) ingest, so a bad --out fails at once.
      if (opts.out) prepareOutputDir(opts.out);
      const { report, files } = await reportRun(runPath, { lenient: opts.lenient, keepTags: opts.tags, warn, thresholds: opts.thresholds, outDir: opts.out });
      if (!opts.quiet) {
        const l = report.latency;
        process.stdout.write(
          `${report.totals.requests} requests, ${report.totals.throughputPerS.toFixed(1)} req/s, errors ${(report.totals.errorRate * 100).toFixed(2)} %` +
            (l ? `, p50 ${l.median.toFixed(2)} ms, p95 ${l.p95.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms` : '') +
            `\nSLO verdict: ${report.sloVerdict}${declaredSlos(report.slos).length === 0 ? ' (no SLOs: nothing judged this run)' : ''}\nwrote ${files.join(', ')}\n`,
        );
      }
      if (opts.check && !verdictPasses(report.sloVerdict)) {
        // Why the gate failed, also with --quiet: the rows that decided it (a saturated
        // generator's sign and figures, a stall's window, the failed SLOs).
        // An unknown verdict is the declared SLOs' (the implicit rows never decide it).
        const rows = report.sloVerdict === 'unknown' ? declaredSlos(report.slos) : report.slos;
        const deciding = rows.filter((s) => s.verdict === report.sloVerdict);
        const why = deciding.length ? deciding.map((s) => `  - ${s.id ?? s.metric}: ${s.detail}`).join('\n') : '  - no SLOs: nothing judged this run';
        process.stderr.write(`report --check: SLO verdict ${report.sloVerdict}\n${why}\n`);
        process.exitCode = EXIT.regression;
      }
    });
}
