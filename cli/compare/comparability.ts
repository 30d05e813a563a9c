// Runs that measured different things must not be compared, and one run must not count twice.
// Each rule has its own message naming the runs and the fix:
//   duplicate    the same run given twice (same test id, or identical measurements)
//   script       another scriptHash or workload
//   shape        another load shape: profile, any scale knob (VUS_SCALE, RATE_SCALE, …), any other
//                knob in run.json env (a workload's own), or a load-changing k6 flag
//   k6-version   another k6 build
//   machine      another machine (run.json `machine` fingerprint), or an unrecorded one
//   unhealthy    a baseline run with dropped iterations or errors over budget (fix the baseline)
//   saturated    a run whose generator was saturated (the judge's inconclusive): its figures
//                describe k6, not the target, so it is neither a regression nor a pass
// A candidate that breaks down (errors over budget, dropped iterations) while the baseline did
// not is no "incomparable" input: it is the worst regression, reported as `severe` (unless k6
// itself was saturated: then it is the `saturated` rule, not a regression).
import { createHash } from 'node:crypto';
import { PROFILE_ENV_VARS } from '../../lib/shared/profiles/env.ts';
import type { RunSummary } from '../model/run-summary.ts';
import { describeMachine, type MachineFingerprint, machineKey } from '../run-folder/machine.ts';
import { judgeRun } from '../slo/judge.ts';
import { droppedIterations, errorRate } from './run-metrics.ts';

export type Rule = 'duplicate' | 'script' | 'shape' | 'k6-version' | 'machine' | 'unhealthy' | 'saturated';

export interface Problem {
  rule: Rule;
  message: string;
}

export interface ComparabilityResult {
  problems: Problem[];
  warnings: string[];
  /** Candidate-only breakdowns: regressions (exit 1), not incomparable inputs. */
  severe: string[];
}

/** Environment variables that set the load (besides PROFILE): every profile knob and workload sizes. Named first in the shape. */
export const SHAPE_ENV = [...PROFILE_ENV_VARS.filter((v) => v !== 'PROFILE'), 'PAYLOAD_SIZES', 'EXECUTOR', 'RATE', 'VUS', 'DURATION'];
/**
 * run.json `env` names that say where, as whom or under which SLO set a run ran — not what load it
 * made — and so never make two runs incomparable (an A/B differs in BASE_URL by design). Every
 * other variable is part of the shape: a workload's own knobs (MIX, PACING, USER_CLASS_WEIGHTS,
 * THINK_TIME …) and the knobs of a user's own workload change what is measured as much as the
 * profile does, and a knob this list does not know fails closed (refused, --force to override).
 */
export const NOT_SHAPE_ENV = new Set([
  'PROFILE',
  'BASE_URL',
  'TESTID',
  'THRESHOLDS',
  'TRACE_CONTEXT',
  'API_LAYOUT',
  'REGISTER_ID',
  'ADMIN_EMAIL',
  'ADMIN_NAME',
  'ORG_NAME',
  'ORG_SUBDOMAIN',
  'PRESIGNED_FILE',
]);
const isShapeEnv = (name: string) => !NOT_SHAPE_ENV.has(name) && !name.endsWith('_URL') && !name.startsWith('K6_');
/** k6 flags that change the load; execution segments only matter outside `merge`. */
const SHAPE_FLAGS = /^--?(vus|u|duration|d|iterations|i|stage|s|rps|execution-segment|execution-segment-sequence)(=|$)/;

export function label(r: RunSummary): string {
  return r.meta.sources.join('+') || r.meta.testId || '(run)';
}

/** Identity of a run's measurements: equal for copies of one run, whatever the folder is called. */
export function contentFingerprint(r: RunSummary): string {
  const h = createHash('sha256');
  h.update(`${r.startMs}|${r.endMs}|`);
  for (const key of [...r.series.keys()].sort()) {
    const s = r.series.get(key)!;
    h.update(`${key}:${s.moments.count},${s.moments.sum},${s.moments.min},${s.moments.max},${s.nonZero};`);
  }
  return h.digest('hex');
}

function k6ArgsOf(r: RunSummary): string[] {
  const a = (r.meta as { k6Args?: unknown }).k6Args;
  return Array.isArray(a) ? a.map(String) : [];
}

/** The load shape as one comparable string: profile, knobs from run.json env, load-changing k6 flags. */
export function loadShape(r: RunSummary, options: { ignoreSegments?: boolean } = {}): string {
  const env = r.meta.env ?? {};
  const parts = [`profile=${r.meta.profile ?? env['PROFILE'] ?? '?'}`];
  for (const k of SHAPE_ENV) if (env[k] !== undefined && env[k] !== '') parts.push(`${k}=${env[k]}`);
  for (const k of Object.keys(env).sort()) if (!SHAPE_ENV.includes(k) && isShapeEnv(k) && env[k] !== '') parts.push(`${k}=${env[k]}`);
  const args = k6ArgsOf(r);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!SHAPE_FLAGS.test(a)) continue;
    if (options.ignoreSegments && /execution-segment/.test(a)) {
      if (!a.includes('=')) i++;
      continue;
    }
    parts.push(a.includes('=') || i + 1 >= args.length ? a : `${a} ${args[++i]}`);
  }
  return parts.join(' ');
}

/** run.json `machine`; undefined when the run did not record one. */
export function machineOf(r: RunSummary): MachineFingerprint | undefined {
  return r.meta.machine;
}

/** Groups runs by a key; a message when there is more than one group. */
function differ(all: RunSummary[], key: (r: RunSummary) => string | undefined, what: string, show: (k: string) => string = (k) => k): string | null {
  const groups = new Map<string, string[]>();
  for (const r of all) {
    const k = key(r);
    if (k === undefined) continue;
    groups.set(k, [...(groups.get(k) ?? []), label(r)]);
  }
  if (groups.size <= 1) return null;
  return `runs differ in ${what}: ${[...groups.entries()].map(([k, runs]) => `${show(k)} (${runs.join(', ')})`).join(' vs ')}`;
}

/** Same run twice: by test id (unless segments of one test, as in merge), or identical measurements. */
export function duplicateProblems(all: RunSummary[], options: { sameTestIdAllowed?: boolean } = {}): Problem[] {
  const problems: Problem[] = [];
  const byContent = new Map<string, RunSummary>();
  const byId = new Map<string, RunSummary>();
  for (const r of all) {
    const id = r.meta.testId;
    const fp = contentFingerprint(r);
    const sameId = id && !options.sameTestIdAllowed ? byId.get(id) : undefined;
    const twin = byContent.get(fp);
    if (sameId) problems.push({ rule: 'duplicate', message: `${label(r)} is the same run as ${label(sameId)} (test id "${id}"): a run is one sample and counts once; remove the repeat` });
    else if (twin) problems.push({ rule: 'duplicate', message: `${label(r)} has exactly the measurements of ${label(twin)} (a copy of one run?): a run counts once; remove the copy` });
    if (id && !byId.has(id)) byId.set(id, r);
    if (!twin) byContent.set(fp, r);
  }
  return problems;
}

/** Rules shared by compare and merge: script, workload, shape, k6 version. */
export function sameTestProblems(all: RunSummary[], options: { ignoreSegments?: boolean } = {}): Problem[] {
  const problems: Problem[] = [];
  const push = (rule: Rule, m: string | null, fix: string) => {
    if (m) problems.push({ rule, message: `${m}; ${fix}` });
  };
  push(
    'script',
    differ(
      all,
      (r) => r.meta.scriptHash,
      'scriptHash',
      (k) => k.slice(0, 12),
    ),
    'runs of different scripts measure different things',
  );
  push(
    'script',
    differ(all, (r) => r.meta.workload, 'workload'),
    'compare runs of one workload',
  );
  push(
    'shape',
    differ(all, (r) => loadShape(r, options), 'load shape'),
    'the same profile and knobs (VUS_SCALE, RATE_SCALE, DURATION_SCALE, PROFILE_DURATION, ITERATIONS, MAX_VUS, …) on both sides, or the load is not the same',
  );
  push(
    'k6-version',
    differ(all, (r) => r.meta.k6Version, 'k6 version'),
    'another k6 build generates load differently; rerun with the same k6',
  );
  return problems;
}

export function machineProblem(all: RunSummary[]): Problem | null {
  const groups = new Map<string, { m: MachineFingerprint | undefined; runs: string[] }>();
  for (const r of all) {
    const m = machineOf(r);
    const k = m ? machineKey(m) : 'unknown';
    const g = groups.get(k) ?? { m, runs: [] };
    g.runs.push(label(r));
    groups.set(k, g);
  }
  if (groups.size === 1 && !groups.has('unknown')) return null;
  const list = [...groups.values()].map((g) => `${describeMachine(g.m)} (${g.runs.join(', ')})`).join(' vs ');
  const reason = groups.has('unknown') ? 'cannot tell that all runs ran on the same machine' : 'runs ran on different machines';
  return { rule: 'machine', message: `${reason}: ${list}; a difference may be the hardware, not the code. Compare runs made on one machine (record a local baseline), or pass --allow-other-machine` };
}

/** Why a run's generator was saturated (the one judge's `generator` row); null when it was not. */
export function saturationOf(r: RunSummary): string | null {
  // A saved baseline run keeps the verdict its full run got; inconclusive is only ever saturation.
  if (r.savedVerdict !== undefined) return r.savedVerdict === 'inconclusive' ? 'its saved verdict is inconclusive (generator saturated)' : null;
  const g = judgeRun(r).derived.generator;
  return g?.saturated ? `inconclusive: generator saturated (${g.sign}): ${g.reason}` : null;
}

function saturatedProblem(r: RunSummary, why: string): Problem {
  return { rule: 'saturated', message: `${label(r)} is ${why}; its figures describe k6, not the target` };
}

export function checkComparable(base: RunSummary[], cand: RunSummary[], errorBudget: number): ComparabilityResult {
  const all = [...base, ...cand];
  const saturation = new Map(all.map((r) => [r, saturationOf(r)] as const));
  const saturated = all.flatMap((r) => {
    const why = saturation.get(r);
    return why ? [saturatedProblem(r, why)] : [];
  });
  const problems: Problem[] = [...duplicateProblems(all), ...saturated, ...sameTestProblems(all)];
  const machine = machineProblem(all);
  if (machine) problems.push(machine);
  const warnings: string[] = [];
  const severe: string[] = [];
  const missing = all.filter((r) => r.meta.scriptHash === undefined);
  if (missing.length > 0) warnings.push(`cannot verify that all runs used the same script: no run.json scriptHash for ${missing.map(label).join(', ')}`);
  const health = (r: RunSummary): string[] => {
    const out: string[] = [];
    // A saturated run's drops are k6's (the saturated rule), not the target's breakdown.
    if (saturation.get(r)) return out;
    const dropped = droppedIterations(r);
    if (dropped > 0) out.push(`${label(r)} dropped ${dropped} iterations (the arrival rate was not delivered)`);
    const er = errorRate(r);
    if (er !== null && er > errorBudget) out.push(`${label(r)} has an error rate of ${(er * 100).toFixed(2)} %, over the budget of ${(errorBudget * 100).toFixed(2)} % (--error-budget)`);
    return out;
  };
  const baseIssues = base.flatMap(health);
  for (const m of baseIssues) problems.push({ rule: 'unhealthy', message: `baseline ${m}: a broken baseline cannot judge anything; record a healthy baseline` });
  const candIssues = cand.flatMap(health);
  if (baseIssues.length) for (const m of candIssues) problems.push({ rule: 'unhealthy', message: `candidate ${m}, and the baseline is unhealthy too` });
  else severe.push(...candIssues.map((m) => `candidate ${m}, while no baseline run did`));
  return { problems, warnings, severe };
}
