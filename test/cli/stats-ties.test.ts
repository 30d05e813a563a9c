// Mann–Whitney with tied per-run values: the exact distribution conditional on the tie pattern,
// checked three ways — values derived by hand, a brute-force enumeration of every split of the
// pooled values, and benchstat (an independent implementation, go-moremath) run in this test on
// Go benchmark-format files holding the same samples.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { prng } from '../../bench/cli-synthetic.ts';
import { mannWhitney } from '../../cli/stats/mann-whitney.ts';
import { projectRoot } from '../helpers/paths.ts';
import { tempDir } from './helpers.ts';

/** Every C(m+n, m) split of the pooled values; benchstat's two-sided rule on the exact counts. */
function bruteForceP(x: number[], y: number[]): number {
  const all = [...x, ...y];
  const m = x.length;
  const n = y.length;
  const u = (xs: number[], ys: number[]) => {
    let s = 0;
    for (const a of xs) for (const b of ys) s += a > b ? 1 : a === b ? 0.5 : 0;
    return s;
  };
  const observed = u(x, y);
  const small = Math.min(observed, m * n - observed);
  if (small * 2 === m * n) return 1;
  let total = 0;
  let atMost = 0;
  const pick = (start: number, chosen: number[]) => {
    if (chosen.length === m) {
      const set = new Set(chosen);
      const xs = chosen.map((i) => all[i]!);
      const ys = all.filter((_, i) => !set.has(i));
      total++;
      if (u(xs, ys) <= small + 1e-9) atMost++;
      return;
    }
    for (let i = start; i <= all.length - (m - chosen.length); i++) pick(i + 1, [...chosen, i]);
  };
  pick(0, []);
  return Math.min(1, (2 * atMost) / total);
}

test('tie cases equal a published exact value (NAG Library G08AHF/G08AKF example)', () => {
  // NAG's example program results: group sizes 16 and 23 with many ties, U = 86, "There are
  // ties in the pooled sample ... Exact tail probability = 0.0020" (one-sided, lower tail),
  // against 0.0025 from the normal approximation. Our two-sided p is twice the lower tail.
  const g1 = [13, 6, 12, 7, 12, 7, 10, 7, 10, 7, 16, 7, 10, 8, 9, 8];
  const g2 = [17, 6, 10, 8, 15, 8, 15, 10, 15, 10, 14, 10, 14, 11, 14, 11, 13, 12, 13, 12, 13, 12, 12];
  const r = mannWhitney(g1, g2);
  assert.equal(r.u, 86);
  assert.equal(r.method, 'exact-ties');
  assert.ok(Math.abs(r.p / 2 - 0.002) < 0.00005, `one-sided p = ${r.p / 2}`);
});

test('tie cases equal values derived by hand', () => {
  // x = {1, 2}, y = {2, 3}: midranks 1, 2.5, 2.5, 4. The 6 ways to pick x's two values give
  // U = 0.5, 0.5 (1 with either 2), 2, 2 ({1,3}, {2,2}), 3.5, 3.5. Observed U = 0.5:
  // P(U ≤ 0.5) = 2/6, two-sided p = 2/3.
  const r = mannWhitney([1, 2], [2, 3]);
  assert.equal(r.method, 'exact-ties');
  assert.equal(r.u, 0.5);
  assert.ok(Math.abs(r.p - 2 / 3) < 1e-12, `p = ${r.p}`);
  // 4 vs 4, candidate all 1, baseline all 0 except one tie: {0,0,0,1} vs {1,1,1,1}. Groups:
  // three 0s, five 1s. U(x) = 0 + 0 + 0 + 4·½ = 2; U ≤ 2 needs all three 0s in x: C(5,1)/C(8,4)
  // = 5/70, p = 10/70. The normal approximation said 0.032 here: "regressed" on nothing.
  const z = mannWhitney([0, 0, 0, 1], [1, 1, 1, 1]);
  assert.equal(z.u, 2);
  assert.ok(Math.abs(z.p - 10 / 70) < 1e-12, `p = ${z.p}`);
  // All values equal: no evidence at all.
  assert.equal(mannWhitney([5, 5, 5], [5, 5]).p, 1);
});

test('tie cases equal a brute-force enumeration of every split', () => {
  const rnd = prng(77);
  for (let trial = 0; trial < 60; trial++) {
    const m = 2 + Math.floor(rnd() * 5);
    const n = 2 + Math.floor(rnd() * 5);
    // Values from a handful of integers: heavy ties, like integer custom Trends.
    const draw = (shift: number) => Math.floor(rnd() * 4) + shift;
    const x = Array.from({ length: m }, () => draw(0));
    const y = Array.from({ length: n }, () => draw(trial % 3 === 0 ? 1 : 0));
    const expected = bruteForceP(x, y);
    const got = mannWhitney(x, y);
    assert.ok(Math.abs(got.p - expected) < 1e-9, `x=${x} y=${y}: ${got.p} vs ${expected}`);
  }
});

/** benchstat built from source into .tools/benchstat/ (git-ignored) when missing. */
function benchstat(): string {
  const dir = join(projectRoot, '.tools', 'benchstat');
  const bin = join(dir, 'benchstat');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    execFileSync('go', ['install', 'golang.org/x/perf/cmd/benchstat@latest'], { env: { ...process.env, GOBIN: dir }, stdio: ['ignore', 'inherit', 'inherit'] });
  }
  return bin;
}

test('tie cases equal benchstat (go-moremath) p-values', () => {
  const bin = benchstat();
  const tmp = tempDir('benchstat');
  try {
    const rnd = prng(2026);
    const cases: Array<{ name: string; x: number[]; y: number[] }> = [];
    for (let i = 0; i < 40; i++) {
      const m = 4 + Math.floor(rnd() * 9); // 4..12 per side, within benchstat's exact limit (25)
      const n = 4 + Math.floor(rnd() * 9);
      const levels = 2 + Math.floor(rnd() * 4);
      const draw = (shift: number) => 100 + Math.floor(rnd() * levels) + shift;
      const x = Array.from({ length: m }, () => draw(0));
      const y = Array.from({ length: n }, () => draw(i % 2 ? 1 : 0));
      if (new Set([...x, ...y]).size === 1) continue; // benchstat refuses all-equal samples
      cases.push({ name: `Tie${i}`, x, y });
    }
    // Go benchmark format: one line per run, "Benchmark<name> <iterations> <value> ns/op".
    const file = (side: 'x' | 'y') => `${cases.flatMap((c) => c[side].map((v) => `Benchmark${c.name} 1 ${v} ns/op`)).join('\n')}\n`;
    writeFileSync(join(tmp.dir, 'base.txt'), file('x'));
    writeFileSync(join(tmp.dir, 'cand.txt'), file('y'));
    const out = execFileSync(bin, ['-format', 'csv', 'base.txt', 'cand.txt'], { cwd: tmp.dir, encoding: 'utf8' });
    let checked = 0;
    for (const c of cases) {
      const line = out.split('\n').find((l) => l.startsWith(`${c.name},`));
      assert.ok(line, `benchstat printed no row for ${c.name}:\n${out}`);
      const p = Number(/p=([0-9.]+)/.exec(line)![1]);
      const ours = mannWhitney(c.x, c.y);
      assert.equal(ours.method, 'exact-ties');
      // benchstat prints 3 decimals and does not cap its doubled tail at 1.
      assert.ok(Math.abs(ours.p - Math.min(1, p)) <= 0.0005 + 1e-12, `${c.name} x=${c.x} y=${c.y}: ours ${ours.p}, benchstat ${p}`);
      checked++;
    }
    assert.ok(checked >= 30, `compared ${checked} cases`);
  } finally {
    tmp.cleanup();
  }
});
