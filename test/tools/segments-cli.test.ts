// The segmented runner's command line: a workload of the project split in two on this machine,
// against the reference server it starts itself; bad input refused before anything starts.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { run, tempDir } from '../cli/helpers.ts';
import { projectRoot } from '../helpers/paths.ts';

const segments = (args: string[]) => run(process.execPath, ['--import', 'tsx', join(projectRoot, 'tools', 'runner', 'segments.ts'), ...args]);

describe('npm run segments -- <workload> --segments N', () => {
  const bad: Array<[string, string[], RegExp]> = [
    ['one segment', ['throughput', '--segments', '1'], /--segments "1": expected a whole number from 2 to 16/],
    ['a non-number', ['throughput', '--segments', 'three'], /--segments "three"/],
    ['an unknown profile', ['throughput', '--segments', '3', '--profile', 'nope'], /unknown profile "nope"/],
    ['a bad profile knob', ['throughput', '--segments', '3', '-e', 'ITERATIONS=0'], /ITERATIONS="0" is not valid/],
    ['a testid of its own', ['throughput', '--segments', '3', '-e', 'TESTID=x'], /TESTID is set by the runner/],
  ];
  for (const [what, args, message] of bad) {
    it(`refuses ${what} with a reason (exit 2)`, async () => {
      const r = await segments(args);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stdout, /reference server listening/, 'nothing started');
    });
  }

  it('is the documented `npm run segments` (docs/scaling-out.md), refusing bad input through npm too', async () => {
    const r = await run('npm', ['run', '-s', 'segments', '--', 'throughput', '--segments', '1'], {}, projectRoot);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /--segments "1": expected a whole number from 2 to 16/);
  });

  const tmp = tempDir('segments-cli');
  after(() => tmp.cleanup());

  it('runs a workload as 2 segments against its own reference server and leaves one merged, reported run', async () => {
    const r = await segments(['throughput', '--segments', '2', '--profile', 'smoke', '-e', 'ITERATIONS=4', '-e', 'VUS_SCALE=2', '--out-dir', tmp.dir]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /merged 2 segments: 4 iterations/);
    const [folder, ...others] = readdirSync(tmp.dir);
    assert.equal(others.length, 0);
    assert.match(folder!, /-throughput-x2$/);
    const report = JSON.parse(readFileSync(join(tmp.dir, folder!, 'report.json'), 'utf8'));
    assert.equal(report.totals.iterations, 4);
    assert.equal(report.run.segments, 2);
    assert.ok(report.slos.length > 0, "judged by the workload's own SLO file");
    const meta = JSON.parse(readFileSync(join(tmp.dir, folder!, 'run.json'), 'utf8'));
    assert.deepEqual(
      meta.executionSegments.map((s: { segment: string }) => s.segment),
      ['0:1/2', '1/2:1'],
    );
    assert.equal(meta.exitCode, 0);
    // Both k6 processes ran on this machine: the merged run judges their summed CPU against its
    // cores from a generator.csv of its own, as a single run's k6 is judged — never "not measured"
    // (a run of 4 iterations may end before the first sample inside the load: then it says that).
    assert.ok(existsSync(join(tmp.dir, folder!, 'generator.csv')), 'merged generator.csv');
    const generator = report.slos.find((s: { id?: string }) => s.id === 'generator');
    assert.doesNotMatch(generator.detail, /was not measured/);
    assert.match(generator.detail, /k6 CPU: highest \d+ s mean [\d.]+ % of \d+ % \(\d+ cores × 100 %\)|generator\.csv has no sample inside the load/);
  });
});
