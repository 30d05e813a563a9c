// Parses one line of k6's JSON output. Point lines (all but a few dozen) take a fast path that
// reads the fixed layout k6 writes ({"metric":..,"type":"Point","data":{"time":..,"value":..,
// "tags":{..}}}) without building objects; anything unusual falls back to JSON.parse, so the
// fast path only has to be right, not complete.

export interface MetricDecl {
  name: string;
  type: string;
  contains: string;
  thresholds: string[];
}

export interface PointRef {
  metric: string;
  timeMs: number;
  value: number;
  /** The raw JSON text of the tags object ('' for no tags), used as a cache key. */
  tagsRaw: string;
  /** Parsed tags, when the slow path already had them. */
  tags: Record<string, string> | undefined;
  /** The tags text is identical to the previous point's (k6 writes ~10 points per request). */
  sameTagsAsLast: boolean;
  /** Parser state: the previous point's tags text. Per PointRef, so concurrent ingests of
   * different files never compare against each other's lines. */
  prevTags: string;
}

export function newPointRef(): PointRef {
  return { metric: '', timeMs: 0, value: 0, tagsRaw: '', tags: undefined, sameTagsAsLast: false, prevTags: NO_TAGS };
}

export type LineKind = 'point' | 'blank';

export class LineFormatError extends Error {
  /** The line is not even JSON (a cut-off line looks like this); otherwise it is JSON of the wrong shape. */
  constructor(
    message: string,
    readonly notJson = false,
  ) {
    super(message);
  }
}

/** RFC 3339 as k6 writes it (Go's time.RFC3339Nano): Date.parse alone also takes "1" or "Jan 1 2026". */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * `raw`, whose `+raw` is a finite number, is written as JSON writes numbers. `+` also takes "",
 * " 5", "+5", ".5", "5.", "-.5", "1.e5", "0x10", "0b1", "007"; each fails one of these checks
 * (a few character tests instead of a full grammar walk, which cost 12 % of ingest time).
 */
function isJsonNumberText(raw: string): boolean {
  const len = raw.length;
  const i = raw.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  const first = raw.charCodeAt(i);
  if (!isDigit(first) || !isDigit(raw.charCodeAt(len - 1))) return false;
  if (first === 48 /* 0 */ && i + 1 < len) {
    const next = raw.charCodeAt(i + 1);
    if (next !== 46 /* . */ && (next | 32) !== 101 /* e */) return false;
  }
  const dot = raw.indexOf('.');
  return dot === -1 || isDigit(raw.charCodeAt(dot + 1));
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** k6 tags are strings (Go's map[string]string); anything else is not k6 output. */
export function checkTags(tags: Record<string, unknown>): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) {
    if (typeof v !== 'string')
      throw new LineFormatError(`tag ${JSON.stringify(k)} is ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`}, but k6 tags are strings`);
    clean[k] = v;
  }
  return clean;
}

const METRIC_TYPES = ['counter', 'gauge', 'rate', 'trend'];

const POINT_HEAD = '{"metric":"';
const POINT_MID = '","type":"Point","data":{"time":"';
const VALUE_KEY = '","value":';
const TAGS_KEY = ',"tags":';

const secondCache = new Map<string, number>();

/**
 * A copy of `s` that does not share memory with the 64 KiB block it was sliced from. Strings
 * kept in caches must be copies, or each one would pin a whole block (measured: 300 MB).
 */
export function detach(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

/** RFC 3339 time with nanoseconds -> epoch ms (fractional). */
export function parseTime(t: string): number {
  if (t.length >= 20 && t.charCodeAt(t.length - 1) === 90 /* Z */ && t.charCodeAt(19) === 46 /* . */) {
    const prefix = t.slice(0, 19);
    let base = secondCache.get(prefix);
    if (base === undefined) {
      base = Date.parse(`${prefix}Z`);
      if (secondCache.size > 4096) secondCache.clear();
      secondCache.set(detach(prefix), base);
    }
    const frac = t.slice(20, t.length - 1);
    if (!Number.isNaN(base) && /^\d{1,9}$/.test(frac)) return base + Number(frac) / 10 ** (frac.length - 3);
  }
  return RFC3339.test(t) ? Date.parse(t) : NaN;
}

let lastPrefix = '';
let lastBase = NaN;
let lastTime = '';
let lastTimeMs = NaN;

/** parseTime on line[s, e) without slicing in the common case (same second as the last point). */
function timeAt(line: string, s: number, e: number): number {
  // k6 stamps all ~10 points of a request with the same time.
  if (e - s === lastTime.length && line.substr(s, e - s) === lastTime) return lastTimeMs;
  const ms = timeAtUncached(line, s, e);
  lastTime = line.substr(s, e - s);
  lastTimeMs = ms;
  return ms;
}

function timeAtUncached(line: string, s: number, e: number): number {
  if (e - s < 21 || line.charCodeAt(e - 1) !== 90 || line.charCodeAt(s + 19) !== 46) return parseTime(line.slice(s, e));
  let base: number;
  if (lastPrefix !== '' && line.substr(s, 19) === lastPrefix) base = lastBase;
  else {
    const prefix = line.slice(s, s + 19);
    base = secondCache.get(prefix) ?? NaN;
    if (Number.isNaN(base)) {
      base = Date.parse(`${prefix}Z`);
      if (Number.isNaN(base)) return NaN;
      if (secondCache.size > 4096) secondCache.clear();
      secondCache.set(detach(prefix), base);
    }
    lastPrefix = detach(prefix);
    lastBase = base;
  }
  let frac = 0;
  let digits = 0;
  for (let i = s + 20; i < e - 1; i++) {
    const c = line.charCodeAt(i) - 48;
    if (c < 0 || c > 9 || ++digits > 9) return parseTime(line.slice(s, e));
    frac = frac * 10 + c;
  }
  if (digits === 0) return parseTime(line.slice(s, e));
  return base + frac / 10 ** (digits - 3);
}

const NO_TAGS = '\u0000';

/** Index of the `}` closing the tags object starting at `start`, or -1 (strings respected). */
function objectEnd(s: string, start: number, limit: number): number {
  let inString = false;
  for (let i = start + 1; i < limit; i++) {
    const c = s.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 125) return i;
  }
  return -1;
}

/**
 * text has `pattern` at `pos`. indexOf measured ~10x faster than startsWith(pattern, pos) in
 * V8 on large strings; when the pattern is not at pos it returns another index (or -1).
 */
function at(text: string, pos: number, pattern: string): boolean {
  return text.charCodeAt(pos) === pattern.charCodeAt(0) && text.indexOf(pattern, pos) === pos;
}

function fastPoint(text: string, start: number, end: number, out: PointRef): boolean {
  if (!at(text, start, POINT_HEAD)) return false;
  const nameStart = start + POINT_HEAD.length;
  const nameEnd = text.indexOf('"', nameStart);
  if (nameEnd === -1 || nameEnd === nameStart || nameEnd >= end || !at(text, nameEnd, POINT_MID)) return false;
  const timeStart = nameEnd + POINT_MID.length;
  const timeEnd = text.indexOf('"', timeStart);
  if (timeEnd === -1 || timeEnd >= end || !at(text, timeEnd, VALUE_KEY)) return false;
  const valueStart = timeEnd + VALUE_KEY.length;
  const valueEnd = text.indexOf(',', valueStart);
  if (valueEnd === -1 || valueEnd >= end || !at(text, valueEnd, TAGS_KEY)) return false;
  const tagsStart = valueEnd + TAGS_KEY.length;
  // The tags object must be the last field: `...,"tags":{...}}}`. Anything else (a metadata
  // field, odd spacing) goes to the slow path, which parses it properly.
  if (text.charCodeAt(end - 1) !== 125 || text.charCodeAt(end - 2) !== 125) return false;
  const tagsEnd = end - 2;
  let same = false;
  const lastTags = out.prevTags;
  if (tagsEnd - tagsStart === lastTags.length && text.substr(tagsStart, lastTags.length) === lastTags) same = true;
  else if (text.charCodeAt(tagsStart) === 123) {
    if (objectEnd(text, tagsStart, end) !== tagsEnd - 1) return false;
  } else if (!(tagsStart + 4 === tagsEnd && at(text, tagsStart, 'null'))) return false;
  const rawValue = text.slice(valueStart, valueEnd);
  const value = +rawValue;
  const timeMs = timeAt(text, timeStart, timeEnd);
  if (!Number.isFinite(value) || Number.isNaN(timeMs) || !isJsonNumberText(rawValue)) return false;
  out.metric = text.slice(nameStart, nameEnd);
  out.value = value;
  out.timeMs = timeMs;
  out.sameTagsAsLast = same;
  if (!same) out.prevTags = text.charCodeAt(tagsStart) === 123 ? text.slice(tagsStart, tagsEnd) : NO_TAGS;
  out.tagsRaw = out.prevTags === NO_TAGS ? '' : out.prevTags;
  out.tags = undefined;
  return true;
}

/**
 * Classifies and parses a line. Fills `point` for Point lines, returns the declaration for
 * Metric lines. Throws LineFormatError (with a human message) for anything else.
 */
export function parseLine(text: string, start: number, end: number, point: PointRef): LineKind | MetricDecl {
  if (fastPoint(text, start, end, point)) return 'point';
  const line = text.slice(start, end);
  if (line.trim() === '') return 'blank';
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch (err) {
    throw new LineFormatError(`not valid JSON (${(err as Error).message})`, true);
  }
  if (!isPlainObject(obj)) throw new LineFormatError('expected a JSON object per line');
  const o = obj as { type?: unknown; metric?: unknown; data?: unknown };
  if (o.type === 'Metric') {
    if (o.data !== undefined && !isPlainObject(o.data)) throw new LineFormatError('Metric line whose "data" is not an object');
    const d = o.data ?? {};
    const name = typeof d['name'] === 'string' ? d['name'] : o.metric;
    if (typeof name !== 'string' || name === '') throw new LineFormatError('Metric line without a name');
    if (d['type'] !== undefined && !METRIC_TYPES.includes(d['type'] as string))
      throw new LineFormatError(`Metric ${JSON.stringify(name)} has type ${JSON.stringify(d['type'])}; k6 metric types are ${METRIC_TYPES.join(', ')}`);
    return {
      name,
      type: typeof d['type'] === 'string' ? d['type'] : 'trend',
      contains: typeof d['contains'] === 'string' ? d['contains'] : 'default',
      thresholds: Array.isArray(d['thresholds']) ? (d['thresholds'] as unknown[]).filter((t): t is string => typeof t === 'string') : [],
    };
  }
  if (o.type === 'Point') {
    const d = o.data;
    if (typeof o.metric !== 'string' || o.metric === '' || !isPlainObject(d)) throw new LineFormatError('Point line without a "metric" name or a "data" object');
    const value = d['value'];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new LineFormatError('Point without a numeric data.value');
    const timeMs = typeof d['time'] === 'string' ? parseTime(d['time']) : NaN;
    if (Number.isNaN(timeMs)) throw new LineFormatError('Point without a valid data.time');
    const tags = d['tags'] ?? {};
    if (!isPlainObject(tags)) throw new LineFormatError(`Point whose data.tags is ${Array.isArray(tags) ? 'an array' : `a ${typeof tags}`}, not an object`);
    const clean = checkTags(tags);
    point.metric = o.metric;
    point.value = value;
    point.timeMs = timeMs;
    point.tags = clean;
    point.tagsRaw = JSON.stringify(clean);
    point.sameTagsAsLast = false;
    point.prevTags = NO_TAGS;
    return 'point';
  }
  throw new LineFormatError(`unknown record type ${JSON.stringify(o.type)} (expected "Metric" or "Point")`);
}
