// The segmented runner's command line refuses bad input before any k6 or target starts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { projectRoot } from '../helpers/paths.ts';
import { run } from '../cli/helpers.ts';

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
      assert.doesNotMatch(r.stdout, /reference target listening/, 'nothing started');
    });
  }
});
