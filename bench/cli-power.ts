// Power and false-positive rate of `compare`'s verdict rule on synthetic runs (seeded), the
// figures quoted in docs/cli.md. Reproduce: npm run bench:cli-power
//
// Each trial builds the gating family the way `compare` sees it by default: FAMILY rows, the
// first carrying the true change, the others no change (independent noise), all Holm-adjusted
// together. "flagged" = the first row reads "regressed"; "family false positive" = any row reads
// regressed or improved although nothing changed. Printed, not asserted: these are measurements.
import { adjustFamily, type CompareOptions, compareSamples, type MetricComparison } from '../cli/compare/compare-runs.ts';
import { gaussian, prng } from './cli-synthetic.ts';
import { benchKnobs, knobsChecked } from './lib/knobs.ts';

const OPTIONS: CompareOptions = { alpha: 0.05, noisePct: 5, noisePp: 0.5, noiseFor: {}, tolerancePct: 10, tolerancePp: 1 };
const SPEC = { id: 'http_req_duration p95', unit: 'ms', better: 'lower', scale: 'relative' } as const;
const TRIALS = benchKnobs.number('BENCH_TRIALS', { integer: true, above: 0, example: '2000' }, 2000);
knobsChecked();
/** Gating rows judged in a typical run: p50, p95, http_reqs rate, iterations rate, error rate. */
const FAMILY = 5;
const rnd = prng(42);
const runs = (n: number, median: number, sigma: number, round?: number) =>
  Array.from({ length: n }, () => {
    const v = median * Math.exp(sigma * gaussian(rnd));
    return round ? Math.round(v / round) * round : v;
  });

interface Case {
  change: number;
  sigma: number;
  n: number;
  paired?: boolean;
  noise?: number;
  /** Round values to this step: tied per-run values (integer Trends, few requests). */
  round?: number;
  /** σ of a per-pair factor both runs of a pair share (drift over the session). */
  drift?: number;
  label?: string;
}

function trial(c: Case): MetricComparison[] {
  const o = { ...OPTIONS, noisePct: c.noise ?? OPTIONS.noisePct, paired: c.paired };
  const rows: MetricComparison[] = [];
  for (let k = 0; k < FAMILY; k++) {
    const change = k === 0 ? c.change : 0;
    // A per-pair factor both runs of a pair share (the machine slower for a while): pairing cancels it.
    const drift = Array.from({ length: c.n }, () => Math.exp((c.drift ?? 0) * gaussian(rnd)));
    const a = runs(c.n, 100, c.sigma, c.round).map((v, i) => v * drift[i]!);
    const b = runs(c.n, 100 * (1 + change), c.sigma, c.round).map((v, i) => v * drift[i]!);
    rows.push(compareSamples(SPEC, a, b, o));
  }
  adjustFamily(rows, o.alpha, !!c.paired);
  return rows;
}

const CASES: Case[] = [
  { change: 0, sigma: 0.03, n: 5, label: 'A/A' },
  { change: 0, sigma: 0.03, n: 10, label: 'A/A' },
  { change: 0, sigma: 0.03, n: 5, noise: 0, label: 'A/A, --noise 0 (bare test)' },
  { change: 0, sigma: 0.03, n: 10, noise: 0, label: 'A/A, --noise 0 (bare test)' },
  { change: 0, sigma: 0.03, n: 8, noise: 0, round: 2, label: 'A/A, --noise 0, tied values' },
  { change: 0.05, sigma: 0.03, n: 5, label: 'at the band' },
  { change: 0.1, sigma: 0.02, n: 5 },
  { change: 0.1, sigma: 0.03, n: 5 },
  { change: 0.1, sigma: 0.03, n: 10 },
  { change: 0.15, sigma: 0.03, n: 5 },
  { change: 0, sigma: 0.02, n: 8, paired: true, drift: 0.05, noise: 0, label: 'A/A, --noise 0, 5 % drift per pair' },
  { change: 0.1, sigma: 0.02, n: 8, paired: true, drift: 0.05, label: '5 % drift per pair' },
  { change: 0.1, sigma: 0.02, n: 8, drift: 0.05, label: 'same data, 5 % drift per pair, analysed unpaired' },
];

console.log(`compare's rule, ${TRIALS} seeded trials per row, Holm over ${FAMILY} gating rows (row 1 carries the change)\n`);
console.log('| true change | noise σ | runs per side | design | flagged regressed (row 1) | family false positive | row 1 equivalent |');
console.log('|---|---|---|---|---|---|---|');
for (const c of CASES) {
  let flagged = 0;
  let familyFalse = 0;
  let equivalent = 0;
  for (let t = 0; t < TRIALS; t++) {
    const rows = trial(c);
    if (rows[0]!.verdict === 'regressed') flagged++;
    if (rows[0]!.verdict === 'equivalent') equivalent++;
    const nullRows = c.change === 0 ? rows : rows.slice(1);
    if (nullRows.some((r) => r.verdict === 'regressed' || r.verdict === 'improved')) familyFalse++;
  }
  const pct = (k: number) => `${((k / TRIALS) * 100).toFixed(1)} %`;
  const design = [c.paired ? 'paired' : 'independent', c.label].filter(Boolean).join(', ');
  console.log(
    `| ${c.change === 0 ? '0 %' : `+${c.change * 100} %`} | ${c.sigma * 100} %${c.round ? ' (tied)' : ''} | ${c.n} | ${design} | ${pct(flagged)} | ${pct(familyFalse)} | ${pct(equivalent)} |`,
  );
}
console.log('\ngoals: A/A family false positive ≤ 5 %; +10 % at 5 vs 5 with 2 % noise flagged in ≥ 90 %');
