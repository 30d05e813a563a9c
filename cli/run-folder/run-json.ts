// run.json: the one description of what ran. The runner writes it, `merge` writes it for a
// merged run, the CLI reads it. run.schema.json checks what is read, so a typo in a field name
// is an error with file, line and JSON pointer instead of a silently missing fact.
import { readFileSync } from 'node:fs';
import { ConfigFileError, locateProblems, readJsonSource, schemaProblems, schemaValidator } from '../config/json-source.ts';
import type { MachineFingerprint } from './machine.ts';

export interface RunJson {
  schemaVersion?: 1;
  workload?: string;
  profile?: string;
  script?: string;
  scriptHash?: string;
  k6Version?: string;
  testId?: string;
  baseUrl?: string;
  startedAt?: string;
  endedAt?: string;
  exitCode?: number;
  /** The SLO file the effective set came from (thresholds/<name>.json); null: none. */
  thresholdsFile?: string | null;
  /** Name of the effective SLO set; its content is thresholds.json in the run folder. */
  sloSet?: string | null;
  env?: Record<string, string>;
  k6Args?: string[];
  machine?: MachineFingerprint;
  /** Merged runs only. */
  sources?: string[];
  segments?: number;
  /** Local segmented runs (tools/runner/segments.ts): each segment, its k6 exit code and run folder. */
  executionSegments?: Array<{ segment: string; exitCode: number; runDir: string /** --netns: the segment's own address. */; address?: string }>;
  /** k6-operator runs (ledger-perf k8s): runners of the TestRun, and its name. */
  parallelism?: number;
  testRun?: string;
}

/** What the runner always writes. */
export type RunnerRunJson = Required<Omit<RunJson, 'sources' | 'segments' | 'executionSegments' | 'parallelism' | 'testRun'>>;

const schemaUrl = new URL('./run.schema.json', import.meta.url);

function validator() {
  return schemaValidator('run.json', JSON.parse(readFileSync(schemaUrl, 'utf8')) as object);
}

/** Reads and checks a run.json; every problem is a ConfigFileError with line and pointer. */
export function readRunJson(file: string): RunJson {
  const { text, data } = readJsonSource(file);
  const problems = schemaProblems(validator(), data);
  if (problems.length) throw new ConfigFileError(file, locateProblems(text, problems));
  return data as RunJson;
}

export function runJsonText(run: RunJson): string {
  return `${JSON.stringify(run, null, 2)}\n`;
}
