// Ingest benchmark: `ledger-perf` ingest of synthetic k6 outputs (gzip) of 1 M and 10 M points
// against plain decompression (`zcat`, the read limit), interleaved run by run, and jq computing
// the same p95 (what people do today, once, up to BENCH_JQ_MAX points).
// The ingest figure is the child's own ingest time (no Node start-up); zcat's is its whole process.
// Reproduce: npm run bench:cli     (BENCH_SIZES=1000000,10000000 BENCH_RUNS=5)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSyntheticGz } from './cli-synthetic.ts';
import { benchKnobs, integerList, knobsChecked } from './lib/knobs.ts';
import { emitRow, interleave, measure, median, requireGnuTime, runsFromEnv } from './lib/paired.ts';

requireGnuTime();
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = join(root, '.tmp', 'cli-bench');
mkdirSync(dir, { recursive: true });
const sizes = integerList('BENCH_SIZES', 1, 100_000_000, '1000000,10000000', [1_000_000, 10_000_000]);
const JQ_MAX_POINTS = benchKnobs.number('BENCH_JQ_MAX', { integer: true, min: 0, example: '1000000' }, 1_000_000);
const RUNS = runsFromEnv(5);
knobsChecked();

interface Child {
  points: number;
  ms: number;
  maxRssMb: number;
  p95: number;
}

for (const n of sizes) {
  const file = join(dir, `synthetic-${n}.json.gz`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${file} ...\n`);
    await writeSyntheticGz(`${file}.part`, n);
    renameSync(`${file}.part`, file);
  }
  const mb = statSync(file).size / 1048576;
  const pairs = interleave(
    RUNS,
    () => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'cli-ingest-child.ts'), file], { cwd: root, encoding: 'utf8' })) as Child,
    () => measure(['zcat', file], process.env, { discardStdout: true }),
  );
  const ingestS = median(pairs.a.map((c) => c.ms / 1000));
  const zcatS = median(pairs.b.map((z) => z.wallS));
  const ratio = median(pairs.a.map((c, i) => c.ms / 1000 / pairs.b[i]!.wallS));
  const rss = Math.max(...pairs.a.map((c) => c.maxRssMb));
  const rssMedian = median(pairs.a.map((c) => c.maxRssMb));
  const points = pairs.a[0]!.points;
  console.log(`\n== ${n.toLocaleString('en')} points (${mb.toFixed(0)} MB gzip), ${RUNS} interleaved runs, medians ==`);
  console.log(
    `ledger-perf ingest : ${ingestS.toFixed(2)} s, ${(points / ingestS / 1e6).toFixed(2)} M points/s, peak RSS median ${rssMedian.toFixed(0)} MB, max ${rss.toFixed(0)} MB, p95 ${pairs.a[0]!.p95.toFixed(3)} ms`,
  );
  console.log(`zcat (read limit)  : ${zcatS.toFixed(2)} s; ingest/zcat ${ratio.toFixed(2)}× (median of pair ratios)`);
  emitRow({ figure: `CLI ingest, ${n / 1e6} M points (time)`, peer: 'zcat', ratio, goal: '≤ 1.2×', met: ratio <= 1.2, runs: RUNS });
  emitRow({ figure: `CLI ingest, ${n / 1e6} M points (peak RSS)`, peer: '—', value: `median ${rssMedian.toFixed(0)} MB, max ${rss.toFixed(0)} MB`, goal: '< 200 MB', met: rss < 200, runs: RUNS });
  if (n <= JQ_MAX_POINTS) {
    const jqCmd = `zcat ${file} | jq -n '[inputs | select(.type=="Point" and .metric=="http_req_duration") | .data.value] | sort | .[((length-1)*0.95|floor)]'`;
    const jq = spawnSync('bash', ['-c', `command -v jq >/dev/null`]).status === 0 ? measure(['bash', '-c', jqCmd]) : undefined;
    if (jq) {
      console.log(
        `jq p95 (once)      : ${jq.wallS.toFixed(2)} s, p95 ${Number(jq.stdout).toFixed(3)} ms -> ingest is ${(jq.wallS / ingestS).toFixed(1)}× faster (and computes every metric, not one p95)`,
      );
      emitRow({ figure: `jq one p95, ${n / 1e6} M points`, peer: 'ingest', ratio: jq.wallS / ingestS, goal: 'context', met: null, runs: 1 });
    } else console.log('jq p95             : jq not installed (apt-get install jq), skipped');
  } else console.log(`jq p95             : skipped above ${JQ_MAX_POINTS.toLocaleString('en')} points (BENCH_JQ_MAX); it holds every value in memory`);
}
