// The run-folder contract: what a run folder holds and what each file is called. The runner
// writes these names, the CLI reads them; nothing else spells them out.

export const RUN_FILES = {
  /** Every metric point (k6 --out json, gzipped). */
  k6Output: 'k6.json.gz',
  /** k6's end-of-test summary (--summary-export). */
  summary: 'summary.json',
  /** What ran (RunJson, run.schema.json). */
  run: 'run.json',
  /** The effective SLO set the workload was built with (copied from dist/manifest.json). */
  thresholds: 'thresholds.json',
  /** k6 web dashboard export. */
  dashboard: 'dashboard.html',
  /** k6's console output when the run was quiet. */
  log: 'k6.log',
  /** The ingested run summary: a cache beside k6.json.gz, or the data itself of a merged run. */
  runSummary: 'run-summary.json',
  /** The local server's CPU, memory and open files, sampled during the run (cli/figures/resources.ts). */
  resources: 'resources.csv',
  /** k6's own CPU and memory, sampled during the run (the generator-saturation figure, cli/figures/generator.ts). */
  generator: 'generator.csv',
  /** The local server's own /metrics (Prometheus text), scraped before and after the run (cli/figures/server-metrics.ts). */
  serverMetricsStart: 'server-metrics-start.txt',
  serverMetrics: 'server-metrics.txt',
} as const;

/** k6 JSON outputs the CLI accepts in a run folder, in the order it looks for them. */
export const K6_OUTPUT_NAMES = [RUN_FILES.k6Output, 'k6.json', 'k6.ndjson.gz', 'k6.ndjson'] as const;

/** What each file is, for people (npm start lists the run folder with these). */
export const RUN_FILE_DESCRIPTIONS: ReadonlyArray<readonly [string, string]> = [
  [RUN_FILES.k6Output, 'every metric point (k6 JSON output, gzipped)'],
  [RUN_FILES.summary, "k6's end-of-test summary"],
  [RUN_FILES.dashboard, 'web dashboard export (open in a browser)'],
  [RUN_FILES.run, 'what ran: workload, profile, script hash, k6 version, machine, times, exit code'],
  [RUN_FILES.thresholds, 'the SLO set the workload was built with'],
  [RUN_FILES.runSummary, 'the ingested run summary (cache; re-made when k6.json.gz changes)'],
  [RUN_FILES.resources, "the local server's CPU, memory and open files, sampled during the run"],
  [RUN_FILES.generator, "k6's own CPU and memory, sampled during the run (is the generator the bottleneck?)"],
  [RUN_FILES.serverMetrics, "the local server's own counters (/metrics) at the end of the run (and -start.txt before it)"],
];
