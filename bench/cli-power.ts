// Power and false-positive rate of `compare`'s verdict rule on synthetic runs (seeded), the
// figures quoted in docs/cli.md. Reproduce: npm run bench:cli-power
import { compareSamples, type CompareOptions } from '../cli/compare/compare-runs.ts';
import { gaussian, prng } from './cli-synthetic.ts';

const OPTIONS: CompareOptions = { alpha: 0.05, noisePct: 5, noisePp: 0.5, noiseFor: {}, tolerancePct: 10, tolerancePp: 1 };
const SPEC = { id: 'http_req_duration p95', unit: 'ms', better: 'lower', scale: 'relative' } as const;
const TRIALS = 2000;
const rnd = prng(42);
const runs = (n: number, median: number, sigma: number) => Array.from({ length: n }, () => median * Math.exp(sigma * gaussian(rnd)));

console.log('| true change | noise σ | runs per side | flagged regressed |\n|---|---|---|---|');
for (const [change, sigma, n] of [
  [0, 0.03, 5],
  [0.05, 0.03, 5],
  [0.1, 0.02, 5],
  [0.1, 0.03, 5],
  [0.1, 0.03, 10],
  [0.15, 0.03, 5],
] as const) {
  let flagged = 0;
  for (let t = 0; t < TRIALS; t++) if (compareSamples(SPEC, runs(n, 100, sigma), runs(n, 100 * (1 + change), sigma), OPTIONS).verdict === 'regressed') flagged++;
  console.log(`| +${change * 100} % | ${sigma * 100} % | ${n} | ${((flagged / TRIALS) * 100).toFixed(1)} % |`);
}
