// The one judge: a run's SLO results and verdict, from its recorded SLO set plus whatever else
// k6 enforced, over the run's derived figures. report, compare, the suite and npm start all
// call this; none of them decides pass or fail on its own.
import { deriveFigures } from '../figures/derived.ts';
import type { RunSummary } from '../model/run-summary.ts';
import type { Derived, SloResult, SloVerdict } from '../report/report-types.ts';
import { evaluateSlos, overallVerdict } from './evaluate.ts';
import { slosForRun } from './slo.ts';

export interface Judgement {
  results: SloResult[];
  verdict: SloVerdict;
  derived: Derived;
}

export function judgeRun(run: RunSummary, derived: Derived = deriveFigures(run)): Judgement {
  const results = evaluateSlos(run, slosForRun(run.sloSet, run.k6Thresholds), derived);
  return { results, verdict: overallVerdict(results), derived };
}
