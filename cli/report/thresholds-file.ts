// Reads an SLO file into fail/warn/target SLO specs. The project's format (thresholds/*.json,
// lib/shared/slo.ts) is { name, slos: [{ id, metric, tags?, aggregation, operator, fail?,
// warn?, target?, evaluate? }] }; its semantics are checked with the same rules the build uses.
// Also accepted, for hand-written files:
//   { "<metric selector>": { "fail": "p(95)<500", "warn": "p(95)<300" } }   (levels per metric)
//   { "<metric selector>": ["p(95)<500", ...] }                              (k6 style: fail only)
//   { "slos"|"thresholds": <either of the above, or an array of {metric, fail, warn}> }
import { InputError } from '../errors.ts';
import type { RunSummary } from '../model/run-summary.ts';
import { readJsonFile } from '../run/load-run.ts';
import type { SloSpec } from './slo.ts';
import { checkSloSemantics, thresholdExpression, thresholdKey, type SloEntry, type ThresholdsFile } from '../../lib/shared/slo.ts';

function isProjectEntry(e: unknown): e is SloEntry {
  const o = e as Record<string, unknown>;
  return typeof o === 'object' && o !== null && typeof o['aggregation'] === 'string' && typeof o['operator'] === 'string';
}

function fromProjectFile(doc: ThresholdsFile, file: string): SloSpec[] {
  doc.slos.forEach((slo, i) => {
    for (const level of ['fail', 'warn', 'target'] as const) {
      if (slo[level] !== undefined && typeof slo[level] !== 'number') throw new InputError(file, undefined, `/slos/${i}/${level} must be a number, got ${JSON.stringify(slo[level])}`);
    }
    if (typeof slo.metric !== 'string') throw new InputError(file, undefined, `/slos/${i}/metric must be a string`);
  });
  const problems = checkSloSemantics(doc);
  if (problems.length) throw new InputError(file, undefined, problems.map((p) => `${p.pointer}: ${p.message}`).join('; '), problems[0]!.fix);
  return doc.slos.map((slo) => {
    const level = (v: number | undefined) => (v === undefined ? null : thresholdExpression(slo, v));
    return { id: slo.id, metric: thresholdKey(slo), fail: level(slo.fail), warn: level(slo.warn), target: level(slo.target), source: 'thresholds-file', derived: slo.evaluate === 'report' };
  });
}

type Level = string | string[] | { threshold?: string } | undefined;

function exprs(level: Level): string[] {
  if (level === undefined || level === null) return [];
  if (typeof level === 'string') return [level];
  if (Array.isArray(level)) return level.filter((x): x is string => typeof x === 'string');
  if (typeof level === 'object' && typeof level.threshold === 'string') return [level.threshold];
  return [];
}

function fromEntry(metric: string, v: unknown, file: string, pointer: string): SloSpec[] {
  if (typeof v === 'string' || Array.isArray(v)) return exprs(v as Level).map((fail) => ({ metric, fail, warn: null, source: 'thresholds-file' }));
  if (typeof v !== 'object' || v === null) throw new InputError(file, undefined, `${pointer}: expected an object with "fail"/"warn" levels or an array of k6 expressions`);
  const o = v as Record<string, unknown>;
  const fail = exprs(o['fail'] as Level);
  const warn = exprs(o['warn'] as Level);
  if (fail.length === 0 && warn.length === 0) throw new InputError(file, undefined, `${pointer}: no "fail" or "warn" expression`);
  const n = Math.max(fail.length, warn.length);
  const out: SloSpec[] = [];
  for (let i = 0; i < n; i++) out.push({ metric: typeof o['metric'] === 'string' ? o['metric'] : metric, fail: fail[i] ?? null, warn: warn[i] ?? null, source: 'thresholds-file' });
  return out;
}

export function parseSloDocument(doc: unknown, file: string): SloSpec[] {
  if (typeof doc !== 'object' || doc === null) throw new InputError(file, undefined, 'thresholds file must be a JSON object');
  const root = doc as Record<string, unknown>;
  if (Array.isArray(root['slos']) && (root['slos'] as unknown[]).every(isProjectEntry)) return fromProjectFile(doc as ThresholdsFile, file);
  const body = (root['slos'] ?? root['thresholds'] ?? root) as unknown;
  const specs: SloSpec[] = [];
  if (Array.isArray(body)) {
    body.forEach((e, i) => {
      const metric = (e as { metric?: unknown })?.metric;
      if (typeof metric !== 'string') throw new InputError(file, undefined, `/${i}/metric must be a string`);
      specs.push(...fromEntry(metric, e, file, `/${i}`));
    });
  } else if (typeof body === 'object' && body !== null) {
    for (const [metric, v] of Object.entries(body as Record<string, unknown>)) {
      if (metric.startsWith('$') || metric === 'description' || metric === 'name' || metric === 'version') continue;
      specs.push(...fromEntry(metric, v, file, `/${metric}`));
    }
  }
  return specs;
}

export function loadSloFile(file: string, _run: RunSummary): SloSpec[] {
  return parseSloDocument(readJsonFile(file, 'thresholds file'), file);
}
