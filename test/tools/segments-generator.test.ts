// k6's own CPU in a local segmented run: N k6 processes ran at the same time on this machine, so
// the merged run's generator is their sum, judged by the one saturation rule against this
// machine's cores. Three segments that each use a third of the machine are no saturation alone,
// but together they are: the merged run must say inconclusive (and exit 99), as one k6 process
// doing the same work would. Without the merge the merged run's k6 CPU was "not measured".
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { GENERATOR_COLUMNS } from '../../cli/figures/generator.ts';
import { parseResources } from '../../cli/figures/resources.ts';
import { loadRun } from '../../cli/run/load-run.ts';
import { mergeRuns } from '../../cli/run/merge.ts';
import { generatorCsv, mergeConcurrentGeneratorSamples } from '../../cli/run/merge-generator.ts';
import { judgeRun } from '../../cli/slo/judge.ts';
import { segmentedExitCode } from '../../tools/runner/segments.ts';
import { tempDir } from '../cli/helpers.ts';
import { writeSyntheticRun } from '../cli/synthetic-runs.ts';

const START = Date.UTC(2026, 0, 1);
const t = tempDir('ledger-segments-generator-');
after(() => t.cleanup());

/** generator.csv of one k6 process: its monitor starts `offsetMs` after START − 1 s, one row a second. */
function csv(pid: number, cpu: number[], offsetMs = 0, rss = 50_000_000): string {
  const rows = [GENERATOR_COLUMNS.join(',')];
  const first = START - 1000 + offsetMs;
  rows.push([new Date(first + 1000).toISOString(), '1.000', pid, '150.00', rss, 10].join(','));
  cpu.forEach((pct, k) => rows.push([new Date(first + (k + 2) * 1000).toISOString(), (k + 2).toFixed(3), pid, pct.toFixed(2), rss, 10].join(',')));
  return `${rows.join('\n')}\n`;
}

describe('merged generator samples of concurrent k6 processes', () => {
  it('add up the CPU, memory and open files of the processes running in each stretch of time, and nothing where none ran', () => {
    const a = { file: 'a', samples: parseResources(csv(1, [60, 60, 60]), 'a') };
    // b starts half a second later and runs one second longer.
    const b = { file: 'b', samples: parseResources(csv(2, [30, 30, 30, 90], 500, 70_000_000), 'b') };
    const merged = mergeConcurrentGeneratorSamples([a, b]);
    // Edges: a every second from START−1 s to START+3 s, b every second from START−0.5 s to START+4.5 s.
    const at = (ms: number) => merged.samples.find((s) => Date.parse(s.time) === START + ms)!;
    assert.equal(merged.samples[0]!.time, new Date(START - 500).toISOString(), 'a alone, its start-up');
    assert.equal(merged.samples[0]!.cpuPercent, 150);
    assert.equal(at(0).cpuPercent, 150 + 150, "a's and b's start-up overlap");
    assert.equal(at(1000).cpuPercent, 60 + 30);
    assert.equal(at(1000).rssBytes, 50_000_000 + 70_000_000);
    assert.equal(at(1000).openFiles, 20);
    assert.equal(at(3500).cpuPercent, 30, 'a has ended');
    assert.equal(at(4500).cpuPercent, 90);
    // Each merged row's span is the time since the previous one, as the monitor writes them.
    assert.equal(merged.samples[0]!.elapsedS, 0.5);
    assert.equal(merged.samples.at(-1)!.elapsedS, 5.5);
    // Written and read back, it is a generator.csv like any other.
    const text = generatorCsv(merged);
    assert.deepEqual(
      parseResources(text, 'merged'),
      merged.samples.map((s) => ({ ...s, cpuPercent: Number(s.cpuPercent.toFixed(2)) })),
    );
  });

  it('three segments at a third of the machine each: not saturated alone, saturated together (inconclusive, exit 99)', async () => {
    const tenSeconds = (pct: number) => Array.from({ length: 10 }, () => pct);
    const dirs = [0, 1, 2].map((i) => {
      const dir = writeSyntheticRun(join(t.dir, `segment-${i}`), { seed: 70 + i, medianMs: 5, requests: 1000, rps: 100, runJson: { testId: 'one-test' } });
      writeFileSync(join(dir, 'generator.csv'), csv(100 + i, tenSeconds(64)));
      return dir;
    });
    const runs = await Promise.all(dirs.map((d) => loadRun(d)));
    for (const r of runs) {
      const row = judgeRun(r).results.find((x) => x.id === 'generator')!;
      assert.equal(row.verdict, 'pass', `one segment at 64 % of 200 %: ${row.detail}`);
    }
    const { run: merged } = mergeRuns(runs);
    const unmeasured = judgeRun(merged).results.find((x) => x.id === 'generator')!;
    assert.equal(unmeasured.verdict, 'unknown', 'without the samples, k6 CPU of the merged run is not judged');
    merged.generator = mergeConcurrentGeneratorSamples(runs.map((r) => r.generator!));
    const judged = judgeRun(merged);
    const row = judged.results.find((x) => x.id === 'generator')!;
    assert.equal(row.verdict, 'inconclusive', row.detail);
    assert.match(row.detail, /k6-cpu.*192\.0 % of 200 % \(2 cores × 100 %\)/);
    assert.equal(judged.verdict, 'inconclusive');
    assert.equal(segmentedExitCode([0, 0, 0], judged.verdict, 1).code, 99);
  });
});
