// resources.csv -> the server's memory growth rate (least-squares slope), CPU and open files;
// the report carries them and judges the memory-stability SLO (thresholds/system-stress.json)
// from them, and says what is missing when there is too little to judge.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InputError } from '../../cli/errors.ts';
import { leastSquaresSlope, MIN_GROWTH_SAMPLES, parseResources, RESOURCE_COLUMNS, resourceFigures } from '../../cli/figures/resources.ts';
import { assertValidReport, cli, tempDir } from './helpers.ts';
import { writeSyntheticRun } from './synthetic-runs.ts';

const HEADER = RESOURCE_COLUMNS.join(',');

/** Rows with RSS = base + slope·t + a zero-mean wobble, every 2 s. */
function csv(n: number, slopeBytesPerS: number, wobble = 0): string {
  const rows = [HEADER];
  for (let i = 0; i < n; i++) {
    const t = i * 2;
    const rss = 50e6 + slopeBytesPerS * t + (i % 2 ? wobble : -wobble);
    rows.push([new Date(Date.UTC(2026, 0, 1) + t * 1000).toISOString(), t.toFixed(3), 4242, (10 + (i % 3)).toFixed(2), Math.round(rss), 20 + (i % 4)].join(','));
  }
  return `${rows.join('\n')}\n`;
}

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof InputError, `expected an InputError, got ${String(err)}`);
    return err;
  }
  assert.fail('no error');
}

describe('resources.csv figures', () => {
  it('least-squares slope: exact on a line, the trend through noise, none without spread', () => {
    assert.equal(
      leastSquaresSlope([
        [0, 1],
        [1, 3],
        [2, 5],
      ]),
      2,
    );
    // y = 3x plus alternating ±10: its leftover correlation with x is 100/665 = 0.15.
    const noisy = Array.from({ length: 20 }, (_, i) => [i, 3 * i + (i % 2 ? 10 : -10)] as const);
    assert.ok(Math.abs(leastSquaresSlope(noisy)! - (3 + 100 / 665)) < 1e-9);
    assert.equal(
      leastSquaresSlope([
        [5, 1],
        [5, 2],
      ]),
      null,
    );
    assert.equal(leastSquaresSlope([[0, 1]]), null);
  });

  it('memory growth in bytes/s and MB/s, RSS, CPU and open files from the samples', () => {
    const f = resourceFigures(parseResources(csv(30, 100_000, 2e5), 'resources.csv'), 'resources.csv');
    assert.equal(f.samples, 30);
    assert.equal(f.spanS, 58);
    assert.ok(Math.abs(f.memoryGrowthBytesPerS! - 100_000) < 2_000, `slope ${f.memoryGrowthBytesPerS}`);
    assert.ok(Math.abs(f.memoryGrowthMBPerS! - 0.1) < 0.002);
    assert.equal(f.rssFirstBytes, 50e6 - 2e5);
    assert.equal(f.cpuMaxPercent, 12);
    assert.equal(f.openFilesMax, 23);
    assert.equal(f.points.length, 30);
  });

  it(`fewer than ${MIN_GROWTH_SAMPLES} samples give no growth rate, and say why`, () => {
    const f = resourceFigures(parseResources(csv(MIN_GROWTH_SAMPLES - 1, 1e6), 'r.csv'), 'r.csv');
    assert.equal(f.memoryGrowthBytesPerS, null);
    assert.match(f.detail, /too few/);
    assert.equal(resourceFigures([], 'r.csv').rssMaxBytes, null);
  });

  it('bad input is an error naming the file, the line and the column', () => {
    assert.match(inputError(() => parseResources('a,b\n1,2\n', 'r.csv')).message, /r\.csv:1: unexpected header/);
    assert.match(inputError(() => parseResources('', 'r.csv')).message, /r\.csv:1: empty file/);
    const bad = csv(3, 0).split('\n');
    bad[2] = bad[2]!.replace(/,(\d+),(\d+)$/, ',lots,$2');
    assert.match(inputError(() => parseResources(bad.join('\n'), 'r.csv')).message, /r\.csv:3: column rss_bytes must be a non-negative number, got "lots"/);
    const short = csv(2, 0).split('\n');
    short[1] = short[1]!.split(',').slice(0, 4).join(',');
    assert.match(inputError(() => parseResources(short.join('\n'), 'r.csv')).message, /r\.csv:2: 4 fields, expected 6/);
    const backwards = [HEADER, '2026-01-01T00:00:04.000Z,4,1,0,1,1', '2026-01-01T00:00:02.000Z,2,1,0,1,1'].join('\n');
    assert.match(inputError(() => parseResources(backwards, 'r.csv')).message, /r\.csv:3: elapsed_s goes backwards/);
  });
});

describe('report with resources.csv', () => {
  async function report(resourcesCsv: string | undefined): Promise<{ status: number; stderr: string; json: Record<string, any> | undefined }> {
    const t = tempDir('ledger-resources-');
    try {
      const dir = writeSyntheticRun(join(t.dir, 'run'), { seed: 7, medianMs: 20 });
      if (resourcesCsv !== undefined) writeFileSync(join(dir, 'resources.csv'), resourcesCsv);
      const r = await cli(['report', dir, '--thresholds', 'thresholds/system-stress.json', '--quiet']);
      let json: Record<string, any> | undefined;
      try {
        json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
      } catch {
        json = undefined;
      }
      return { status: r.code ?? -1, stderr: r.stderr, json };
    } finally {
      t.cleanup();
    }
  }
  const memorySlo = (json: Record<string, any>) => (json.slos as Array<{ metric: string; verdict: string; observed: number | null }>).find((s) => s.metric === 'target_memory_growth_bytes_per_s')!;

  it('judges the memory-growth SLO from the slope: 0.1 MB/s passes, 1 MB/s fails', async () => {
    const slow = await report(csv(30, 100_000));
    assert.ok(slow.json, slow.stderr);
    assertValidReport(slow.json);
    assert.ok(Math.abs(slow.json.derived.resources.memoryGrowthBytesPerS - 100_000) < 1);
    assert.equal(memorySlo(slow.json).verdict, 'pass');
    const fast = await report(csv(30, 1_000_000));
    assert.ok(fast.json, fast.stderr);
    assert.equal(memorySlo(fast.json).verdict, 'fail');
    assert.ok(Math.abs(memorySlo(fast.json).observed! - 1_000_000) < 1);
  });

  it('without resources.csv, or with too few samples, the memory SLO is not passed', async () => {
    for (const input of [undefined, csv(2, 0)]) {
      const r = await report(input);
      assert.ok(r.json, r.stderr);
      assertValidReport(r.json);
      assert.equal(memorySlo(r.json).verdict, 'unknown');
      assert.equal(memorySlo(r.json).observed, null);
    }
  });

  it('a damaged resources.csv stops the report with its line, and writes nothing', async () => {
    const r = await report(`${HEADER}\n2026-01-01T00:00:00.000Z,0,1,x,1,1\n`);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /resources\.csv:2: column cpu_percent/);
    assert.equal(r.json, undefined);
  });
});
