// Shared core for schema-checked JSON config files (thresholds/*.json, plans/*.json): read and
// parse with a line:column on syntax errors, validate with ajv, and turn every error into
// "<file>: <JSON pointer>: <what is wrong> — fix: <how>" so a user never has to read a stack trace.
// Source positions come from jsonc-parser (Microsoft's, behind VS Code's JSON support): a
// parse tree with offsets for every value, and syntax errors with an offset that does not
// depend on the wording of V8's JSON.parse message.

import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { type Node, type ParseError, parse as parseJsonc, parseTree, printParseErrorCode } from 'jsonc-parser';
import { notARegularFile } from '../io/input-file.ts';

export interface FileProblem {
  /** JSON pointer into the file ("" is the whole document). */
  pointer: string;
  message: string;
  fix: string;
  /** 1-based line of the pointed-at value (or its nearest existing parent), when known. */
  line?: number;
  column?: number;
}

/** A config file that cannot be used; `message` lists every problem, one per line. */
export class ConfigFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: FileProblem[],
  ) {
    super(formatProblems(file, problems));
    this.name = 'ConfigFileError';
  }
}

/** The path as users see it: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

export function formatProblems(file: string, problems: FileProblem[]): string {
  return problems.map((p) => `${displayPath(file)}${p.line ? `:${p.line}` : ''}: ${p.pointer || '/'}: ${p.message} — fix: ${p.fix}`).join('\n');
}

function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

/** First syntax error of strict JSON (no comments, no trailing commas), as "line L, column C: what". */
function syntaxError(text: string): string | undefined {
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first === undefined) return undefined;
  const { line, column } = lineColumnOf(text, first.offset);
  return `line ${line}, column ${column}: ${printParseErrorCode(first.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()}`;
}

/** Reads and parses a JSON file; missing files and syntax errors become a ConfigFileError. */
export function readJsonFile(file: string): unknown {
  return readJsonSource(file).data;
}

/** Like readJsonFile, also returning the text (for locating problems by line). */
export function readJsonSource(file: string): { text: string; data: unknown } {
  // A FIFO would block the read forever and a device such as /dev/zero never ends.
  const special = notARegularFile(file);
  if (special) throw new ConfigFileError(file, [{ pointer: '', message: special, fix: 'give the path of the JSON file itself' }]);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigFileError(file, [
      { pointer: '', message: code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(err)})`, fix: 'check the path (it is relative to the current directory)' },
    ]);
  }
  try {
    return { text, data: JSON.parse(text) as unknown };
  } catch (err) {
    const where = syntaxError(text);
    const message = where ? `not valid JSON at ${where}` : `not valid JSON: ${(err as Error).message}`;
    throw new ConfigFileError(file, [{ pointer: '', message, fix: 'correct the JSON syntax (no comments, no trailing commas, double-quoted keys)' }]);
  }
}

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

/** Compiles a schema once per process (keyed by its $id or the given key). */
export function schemaValidator(key: string, schema: object): ValidateFunction {
  let validate = compiled.get(key);
  if (!validate) {
    // verbose: keeps parentSchema on errors, whose description becomes the fix hint.
    ajv ??= new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  return validate;
}

function describe(schema: unknown): string | undefined {
  return schema && typeof schema === 'object' && 'description' in schema && typeof schema.description === 'string' ? schema.description : undefined;
}

function problemOf(e: ErrorObject): FileProblem {
  const hint = describe(e.parentSchema);
  switch (e.keyword) {
    case 'required': {
      const prop = (e.params as { missingProperty: string }).missingProperty;
      return { pointer: `${e.instancePath}/${prop}`, message: `required property "${prop}" is missing`, fix: `add "${prop}"${hint ? ` (${hint})` : ''}` };
    }
    case 'additionalProperties': {
      const prop = (e.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
      return { pointer: `${e.instancePath}/${prop}`, message: `unknown property "${prop}"`, fix: `remove it or correct its spelling; allowed: ${allowed.join(', ')}` };
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
      return { pointer: e.instancePath, message: `${JSON.stringify(e.data)} is not allowed`, fix: `use one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}` };
    }
    case 'type':
      return {
        pointer: e.instancePath,
        message: `must be ${(e.params as { type: string }).type}, got ${JSON.stringify(e.data)}`,
        fix: `write a ${(e.params as { type: string }).type} here${hint ? ` (${hint})` : ''}`,
      };
    case 'pattern':
      return { pointer: e.instancePath, message: `${JSON.stringify(e.data)} has the wrong form`, fix: hint ?? `match ${(e.params as { pattern: string }).pattern}` };
    default:
      return { pointer: e.instancePath, message: e.message ?? `fails ${e.keyword}`, fix: hint ?? `see the schema keyword "${e.keyword}" at ${e.schemaPath}` };
  }
}

/** ajv errors as problems, deduplicated (allErrors can report one spot twice). */
export function schemaProblems(validate: ValidateFunction, data: unknown): FileProblem[] {
  if (validate(data)) return [];
  const seen = new Set<string>();
  const out: FileProblem[] = [];
  for (const e of validate.errors ?? []) {
    const p = problemOf(e);
    const key = `${p.pointer}|${p.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(p);
    }
  }
  return out;
}

const escapeToken = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Offsets of every value in valid JSON text, by JSON pointer; an object member is located at its
 * key, so "/slos/2/fail" points at the line that says "fail". Only called on text JSON.parse took.
 */
export function pointerOffsets(text: string): Map<string, number> {
  const offsets = new Map<string, number>();
  const visit = (node: Node, pointer: string, at: number): void => {
    offsets.set(pointer, at);
    if (node.type === 'object') {
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key === undefined || value === undefined) continue;
        visit(value, `${pointer}/${escapeToken(String(key.value))}`, key.offset);
      }
    } else if (node.type === 'array') {
      (node.children ?? []).forEach((item, index) => visit(item, `${pointer}/${index}`, item.offset));
    }
  };
  const root = parseTree(text);
  if (root !== undefined) visit(root, '', root.offset);
  return offsets;
}

/** Adds line and column to problems: the pointed-at value, or its nearest existing parent. */
export function locateProblems(text: string, problems: FileProblem[]): FileProblem[] {
  const offsets = pointerOffsets(text);
  return problems.map((p) => {
    let pointer = p.pointer;
    while (!offsets.has(pointer) && pointer !== '') pointer = pointer.slice(0, pointer.lastIndexOf('/'));
    const offset = offsets.get(pointer);
    if (offset === undefined) return p;
    return { ...p, ...lineColumnOf(text, offset) };
  });
}
