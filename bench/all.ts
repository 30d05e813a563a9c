// `npm run bench`: runs every benchmark in turn and prints one table of their ratio rows (the
// `@@row` lines each bench emits). Each bench's own output goes to .tmp/bench/<name>.log.
// BENCH_ONLY=cli-ingest,k6-signing picks some; BENCH_RUNS sets the interleaved run count.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../tools/install/k6.mjs';
import { knobsChecked, someOf } from './lib/knobs.ts';
import type { BenchRow } from './lib/paired.ts';

const BENCHES = ['k6-signing', 'cli-ingest', 'k6-footprint'];
const only = someOf('BENCH_ONLY', BENCHES, BENCHES);
knobsChecked();
const logDir = join(projectRoot, '.tmp', 'bench');
mkdirSync(logDir, { recursive: true });

const rows: BenchRow[] = [];
const failed: string[] = [];
for (const name of only) {
  process.stderr.write(`[bench] ${name} ...\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'bench', `${name}.ts`)], { cwd: projectRoot, encoding: 'utf8', maxBuffer: 1 << 26 });
  writeFileSync(join(logDir, `${name}.log`), `${r.stdout}\n${r.stderr}`);
  if (r.status !== 0) failed.push(`${name} (exit ${r.status}; see .tmp/bench/${name}.log)`);
  for (const line of r.stdout.split('\n')) if (line.startsWith('@@row ')) rows.push(JSON.parse(line.slice(6)) as BenchRow);
}

const cell = (r: BenchRow) => [r.figure, r.peer, r.ratio === undefined ? '—' : `${r.ratio.toFixed(2)}×`, r.value ?? '', r.goal, r.met === null ? 'context' : r.met ? 'met' : 'NOT met', String(r.runs)];
const table = [['figure', 'peer', 'ratio', 'value', 'goal', 'verdict', 'runs'], ...rows.map(cell)];
const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
for (const [i, row] of table.entries()) {
  console.log(`| ${row.map((c, j) => c.padEnd(widths[j]!)).join(' | ')} |`);
  if (i === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
}
if (failed.length) {
  process.stderr.write(`[bench] failed: ${failed.join('; ')}\n`);
  process.exit(1);
}
