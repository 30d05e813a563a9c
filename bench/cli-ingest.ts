// Ingest benchmark: points/s and peak RSS of `ledger-perf` ingest on synthetic k6 outputs of
// 1 M and 10 M points, against two peers measured in the same run: plain decompression (the
// read limit) and jq computing the same p95 (what people do today).
// Reproduce: npm run bench:cli            (sizes: BENCH_SIZES=1000000,3000000 npm run bench:cli)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSyntheticGz } from './cli-synthetic.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = join(root, '.tmp', 'cli-bench');
mkdirSync(dir, { recursive: true });
const sizes = (process.env['BENCH_SIZES'] ?? '1000000,10000000').split(',').map(Number);
const JQ_MAX_POINTS = Number(process.env['BENCH_JQ_MAX'] ?? 3_000_000);

function timeV(cmd: string): { seconds: number; maxRssMb: number; stdout: string } {
  const r = spawnSync('/usr/bin/time', ['-v', 'bash', '-c', cmd], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr)!;
  const seconds = Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]);
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)![1]) / 1024;
  return { seconds, maxRssMb: rss, stdout: r.stdout.trim() };
}

for (const n of sizes) {
  const file = join(dir, `synthetic-${n}.json.gz`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${file} ...\n`);
    await writeSyntheticGz(file + '.part', n);
    renameSync(file + '.part', file);
  }
  const mb = statSync(file).size / 1048576;
  const zcat = timeV(`zcat ${file} > /dev/null`);
  const child = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'cli-ingest-child.ts'), file], { cwd: root, encoding: 'utf8' })) as { points: number; ms: number; maxRssMb: number; p95: number };
  const ingestS = child.ms / 1000;
  console.log(`\n== ${n.toLocaleString('en')} points (${mb.toFixed(0)} MB gzip) ==`);
  console.log(`ledger-perf ingest : ${ingestS.toFixed(2)} s, ${(child.points / ingestS / 1e6).toFixed(2)} M points/s, peak RSS ${child.maxRssMb.toFixed(0)} MB, p95 ${child.p95.toFixed(3)} ms`);
  console.log(`zcat > /dev/null   : ${zcat.seconds.toFixed(2)} s (read limit), ingest/zcat time ratio ${(ingestS / zcat.seconds).toFixed(2)}x`);
  if (n <= JQ_MAX_POINTS) {
    const jq = timeV(`zcat ${file} | jq -n '[inputs | select(.type=="Point" and .metric=="http_req_duration") | .data.value] | sort | .[((length-1)*0.95|floor)]'`);
    console.log(`jq p95             : ${jq.seconds.toFixed(2)} s, peak RSS ${jq.maxRssMb.toFixed(0)} MB, p95 ${Number(jq.stdout).toFixed(3)} ms -> ledger-perf is ${(jq.seconds / ingestS).toFixed(1)}x faster (and computes every metric, tag set and chart, not one p95); RSS ours/jq ${(child.maxRssMb / jq.maxRssMb).toFixed(1)}x`);
  } else console.log(`jq p95             : skipped above ${JQ_MAX_POINTS.toLocaleString('en')} points (BENCH_JQ_MAX); it holds every value in memory`);
  console.log(`goals: >= 1 M points/s: ${child.points / ingestS >= 1e6 ? 'met' : 'NOT met'}; < 200 MB RSS: ${child.maxRssMb < 200 ? 'met' : 'NOT met'}`);
}
