// Loads and validates plans/*.json: JSON Schema (plans/schema.json), then what only the project
// knows: the workload exists as scenarios/<name>.ts, the profile is one of lib/shared/profiles.ts, every
// env knob is one the workload reads and its value parses, by the very readers the script runs
// (lib/shared/workload-knobs.ts readRunKnobs), so a typo fails before the first run, not in k6.log.
// As a CLI: `tsx cli/config/plan.ts [plans...]` (default every plans/*.json).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { nearestName } from '../../lib/shared/metric-catalog.ts';
import { describeProfile, profileNames } from '../../lib/shared/profiles.ts';
import { isSecretName } from '../../lib/shared/secret-names.ts';
import { namedThresholds } from '../../lib/shared/slo-registry.ts';
import { OTHER_ENV_NAMES, readRunKnobs, WORKLOAD_KNOBS } from '../../lib/shared/workload-knobs.ts';
import { ConfigFileError, displayPath, type FileProblem, locateProblems, readJsonSource, schemaProblems, schemaValidator } from './json-source.ts';

export interface PlanRun {
  name?: string;
  description?: string;
  workload: string;
  profile: string;
  repeats?: number;
  env?: Record<string, string>;
}

export interface Plan {
  $schema?: string;
  name: string;
  description?: string;
  source?: string;
  env?: Record<string, string>;
  runs: PlanRun[];
}

/** A plan run resolved for execution: defaults applied, plan env merged under run env. */
export interface ResolvedRun {
  index: number;
  label: string;
  workload: string;
  profile: string;
  repeats: number;
  env: Record<string, string>;
  /** Upper bound of one repeat's load time (profile schedule + graceful stop), seconds. */
  maxWallSeconds: number;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const plansDir = join(root, 'plans');
export const scenariosDir = join(root, 'scenarios');

/** Workload names: scenarios/<name>.ts. */
export function availableWorkloads(dir = scenariosDir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
}

export function shippedPlanNames(): string[] {
  return readdirSync(plansDir)
    .filter((f) => f.endsWith('.json') && f !== 'schema.json')
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}

/** Env names the suite sets itself; a plan must not set them. */
const RESERVED_ENV: Record<string, string> = {
  PROFILE: 'set the run\'s "profile" field instead',
  BASE_URL: 'pass --base-url to the suite (or set BASE_URL in the shell) instead',
  TESTID: 'the runner sets a unique test id per run',
};

function envProblems(env: Record<string, string> | undefined, at: string): FileProblem[] {
  const out: FileProblem[] = [];
  for (const key of Object.keys(env ?? {})) {
    if (key in RESERVED_ENV) out.push({ pointer: `${at}/${key}`, message: `${key} is set by the suite`, fix: `remove it: ${RESERVED_ENV[key]}` });
    if (isSecretName(key))
      out.push({
        pointer: `${at}/${key}`,
        message: `${key} looks like a secret and plan files are committed and recorded in run.json`,
        fix: 'pass secrets through the shell environment, never in a plan',
      });
  }
  return out;
}

const knownWorkloadKnobs = WORKLOAD_KNOBS as Record<string, Parameters<typeof readRunKnobs>[1]>;

/** Every knob name some workload reads (for "it is a knob of <workload>" hints). */
function knobOwners(): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  for (const [name, reader] of Object.entries(knownWorkloadKnobs)) {
    const own = readRunKnobs({}, reader).knobs.readNames;
    const common = readRunKnobs({}, undefined).knobs.readNames;
    for (const k of own) if (!common.has(k)) owners.set(k, [...(owners.get(k) ?? []), name]);
  }
  return owners;
}

/** The env of a run judged by the readers the script runs: unknown names and bad values. */
function knobProblems(plan: Plan, run: PlanRun, at: string, env: Record<string, string>): FileProblem[] {
  const out: FileProblem[] = [];
  const where = (name: string) => (run.env?.[name] !== undefined ? `${at}/env/${name}` : plan.env?.[name] !== undefined ? `/env/${name}` : `${at}/profile`);
  const { knobs } = readRunKnobs({ ...env, PROFILE: run.profile }, knownWorkloadKnobs[run.workload]);
  const known = new Set<string>([...knobs.readNames, ...OTHER_ENV_NAMES, ...Object.keys(RESERVED_ENV)]);
  let owners: Map<string, string[]> | undefined;
  for (const name of Object.keys(env)) {
    if (known.has(name) || isSecretName(name)) continue;
    owners ??= knobOwners();
    const of = owners.get(name);
    const near = nearestName(name, known);
    out.push({
      pointer: where(name),
      message: of
        ? `${name} is a knob of ${of.join(', ')}, not of workload "${run.workload}": it would be ignored`
        : `unknown knob ${name}: workload "${run.workload}" and its profile read no such variable`,
      fix: of
        ? `remove it, or run workload ${of.join(' or ')}`
        : near
          ? `did you mean ${near}? (docs/plans.md and docs/profiles.md list every knob)`
          : 'remove it (docs/plans.md and docs/profiles.md list the knobs each workload reads)',
    });
  }
  for (const problem of knobs.problems) {
    const name = /^([A-Z][A-Z0-9_]*)\b/.exec(problem)?.[1];
    out.push({ pointer: name ? where(name) : at, message: problem, fix: 'correct the value (docs/profiles.md and docs/workloads.md describe every knob)' });
  }
  if (knobs.problems.length === 0) {
    try {
      describeProfile(run.profile, env);
    } catch (err) {
      const varName = /^([A-Z_]+)=/.exec((err as Error).message)?.[1];
      out.push({ pointer: varName ? where(varName) : `${at}/env`, message: (err as Error).message, fix: 'correct the value (see docs/profiles.md for every knob)' });
    }
  }
  return out;
}

export function resolveRuns(plan: Plan): ResolvedRun[] {
  return plan.runs.map((run, index) => {
    const env = { ...(plan.env ?? {}), ...(run.env ?? {}) };
    return {
      index,
      label: run.name ?? `${run.workload}-${run.profile}`,
      workload: run.workload,
      profile: run.profile,
      repeats: run.repeats ?? 1,
      env,
      maxWallSeconds: describeProfile(run.profile, env).maxWallSeconds,
    };
  });
}

/** Every problem of parsed plan data. `workloads` defaults to scenarios/*.ts. */
export function planProblems(data: unknown, file: string, workloads: string[] = availableWorkloads()): FileProblem[] {
  const validate = schemaValidator('plans', JSON.parse(readFileSync(join(plansDir, 'schema.json'), 'utf8')) as object);
  const problems = schemaProblems(validate, data);
  if (problems.length) return problems;
  const plan = data as Plan;
  const expectedName = basename(file).replace(/\.json$/, '');
  if (plan.name !== expectedName) problems.push({ pointer: '/name', message: `name "${plan.name}" differs from the file name`, fix: `set "name": "${expectedName}" or rename the file` });
  problems.push(...envProblems(plan.env, '/env'));
  const labels = new Map<string, number>();
  plan.runs.forEach((run, i) => {
    const at = `/runs/${i}`;
    if (!workloads.includes(run.workload)) {
      problems.push({
        pointer: `${at}/workload`,
        message: `unknown workload "${run.workload}" (no scenarios/${run.workload}.ts)`,
        fix: `use one of ${workloads.join(', ') || '(none found in scenarios/)'}`,
      });
    }
    if (!profileNames.includes(run.profile)) {
      problems.push({ pointer: `${at}/profile`, message: `unknown profile "${run.profile}"`, fix: `use one of ${profileNames.join(', ')}` });
    }
    problems.push(...envProblems(run.env, `${at}/env`));
    const env = { ...(plan.env ?? {}), ...(run.env ?? {}) };
    const thresholds = env.THRESHOLDS;
    if (thresholds !== undefined && !(thresholds in namedThresholds) && !existsSync(join(root, 'thresholds', `${thresholds}.json`))) {
      const where = run.env?.THRESHOLDS !== undefined ? `${at}/env/THRESHOLDS` : '/env/THRESHOLDS';
      problems.push({ pointer: where, message: `unknown SLO set "${thresholds}"`, fix: `use one of ${Object.keys(namedThresholds).join(', ')} or a workload's own thresholds/<name>.json` });
    }
    if (profileNames.includes(run.profile) && workloads.includes(run.workload)) problems.push(...knobProblems(plan, run, at, env));
    const label = run.name ?? `${run.workload}-${run.profile}`;
    const first = labels.get(label);
    if (first !== undefined) problems.push({ pointer: `${at}/name`, message: `run label "${label}" repeats /runs/${first}`, fix: 'give one of them a distinct "name" (or use "repeats")' });
    else labels.set(label, i);
  });
  return problems;
}

/** Reads, parses and validates a plan; throws ConfigFileError listing every problem. */
export function loadPlanFile(file: string, workloads?: string[]): Plan {
  const { text, data } = readJsonSource(file);
  const problems = planProblems(data, file, workloads);
  if (problems.length) throw new ConfigFileError(file, locateProblems(text, problems));
  return data as Plan;
}

/** A plan argument is a path, or a bare name of a shipped plan ("quick" → plans/quick.json). */
export function resolvePlanPath(arg: string): string {
  if (existsSync(arg) || arg.includes('/') || arg.endsWith('.json')) return resolve(arg);
  return join(plansDir, `${arg}.json`);
}

function main(args: string[]): number {
  const files = args.length ? args.map(resolvePlanPath) : shippedPlanNames().map((n) => join(plansDir, `${n}.json`));
  let bad = 0;
  for (const file of files) {
    try {
      const plan = loadPlanFile(file);
      const runs = resolveRuns(plan);
      const bound = runs.reduce((s, r) => s + r.repeats * r.maxWallSeconds, 0);
      console.log(`ok  ${displayPath(file)} (${runs.reduce((s, r) => s + r.repeats, 0)} runs, load time at most ${Math.ceil(bound)}s)`);
    } catch (e) {
      if (!(e instanceof ConfigFileError)) throw e;
      bad++;
      console.error(e.message);
    }
  }
  if (bad) console.error(`${bad} of ${files.length} plan file(s) invalid`);
  // 2: bad input, the CLI's exit code for it (cli/errors.ts).
  return bad ? 2 : 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
