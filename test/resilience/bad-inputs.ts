// Generators of bad input, each known to be wrong, and the judge of one attempt: refused with a
// message (never accepted, never a crash: a TypeError or a stack trace is a crash), and nothing
// half-written. The counts land in the resilience tally.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { projectRoot } from '../helpers/paths.ts';

export interface Outcome {
  kind: 'env' | 'thresholds' | 'plan' | 'k6-output' | 'output-path' | 'http';
  label: string;
  /** Refused with a clear message (or a 4xx with a reason). */
  refused: boolean;
  crashed: boolean;
  serverError: boolean;
  partialFiles: number;
  detail?: string;
}

/** Env vars read by every workload (lib/shared/config.ts, lib/shared/profiles/env.ts), each with values that must be refused. */
export const BAD_ENV: Array<[string, string]> = [
  ...[
    'ftp://x',
    'http://',
    'http://127.0.0.1:5380@other-host',
    'http://u:p@127.0.0.1',
    'http://exa mple',
    'http://127.0.0.1:0',
    'http://127.0.0.1:70000',
    'http://a\\b',
    'http://127.0.0.1?x',
    '127.0.0.1:5380',
    'javascript:alert(1)',
  ].map((v): [string, string] => ['BASE_URL', v]),
  ...['http://x@y', 'nope', 'http://[zz]'].flatMap(
    (v): Array<[string, string]> => [
      ['TENANT_URL', v],
      ['REGISTER_URL', v],
      ['VALIDATOR_URL', v],
      ['WALLET_URL', v],
    ],
  ),
  ...['mesh', 'GATEWAY', ''].map((v): [string, string] => ['API_LAYOUT', v]).filter(([, v]) => v !== ''),
  ...['hsm', 'Wallet', 'none'].map((v): [string, string] => ['SIGNING', v]),
  ...['0', '63', '-1', 'abc', '1e99', '512.5', '10485761', 'NaN', 'Infinity'].map((v): [string, string] => ['PAYLOAD_BYTES', v]),
  ...['30', 'fast', '-1s', '1h', '30 s'].map((v): [string, string] => ['HTTP_TIMEOUT', v]),
  ...['-1', '61', 'soon', 'NaN'].map((v): [string, string] => ['THINK_TIME', v]),
  ...['40,-1', 'a,b', '0', ',', '1,,2', Array.from({ length: 17 }, () => '1').join(',')].map((v): [string, string] => ['CORRIDOR_WEIGHTS', v]),
  ...['nothex', 'ABCDEF', '0123', 'g'.repeat(32)].map((v): [string, string] => ['REGISTER_ID', v]),
  ...['weak', 'short1!', 'NOLOWER1!', 'nolower', 'NoDigits!!', 'NoSpecial12'].map((v): [string, string] => ['ADMIN_PASSWORD', v]),
  ...['x', 'not-an-email', '@', 'a@'].map((v): [string, string] => ['ADMIN_EMAIL', v]),
  ...['UPPER', 'a', 'has space', 'x'.repeat(51)].map((v): [string, string] => ['ORG_SUBDOMAIN', v]),
  ...['ab', 'x'.repeat(101)].map((v): [string, string] => ['ORG_NAME', v]),
  ...['0', '-2', 'big', 'NaN'].map((v): [string, string] => ['VUS_SCALE', v]),
  ...['0', '-1', 'x'].map((v): [string, string] => ['RATE_SCALE', v]),
  ...['0', '-1', 'y'].map((v): [string, string] => ['DURATION_SCALE', v]),
  ...['0', '1.5', '-3', 'many'].map((v): [string, string] => ['ITERATIONS', v]),
  ...['0s', 'ten', '-5s', '5'].map((v): [string, string] => ['PROFILE_DURATION', v]),
  ...['0', '-1', 'lots', '2.5'].map((v): [string, string] => ['MAX_VUS', v]),
];

function validJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(projectRoot, file), 'utf8')) as Record<string, unknown>;
}

/** Thresholds-file texts that are each wrong in one way (file name: workload-throughput.json). */
export function badThresholdTexts(): Array<[string, string]> {
  const good = validJson('thresholds/workload-throughput.json');
  const slo0 = (good.slos as Array<Record<string, unknown>>)[0]!;
  const withSlo = (patch: Record<string, unknown>) => JSON.stringify({ ...good, slos: [{ ...slo0, ...patch }] });
  const out: Array<[string, string]> = [
    ['empty file', ''],
    ['truncated JSON', JSON.stringify(good).slice(0, 40)],
    ['not an object', '[]'],
    ['null', 'null'],
    ['a number', '42'],
    ['no slos', JSON.stringify({ name: good.name })],
    ['no name', JSON.stringify({ slos: good.slos })],
    ['wrong name', JSON.stringify({ ...good, name: 'other' })],
    ['slos not an array', JSON.stringify({ ...good, slos: {} })],
    ['trailing garbage', `${JSON.stringify(good)} x`],
  ];
  for (const [k, v] of [
    ['metric', 42],
    ['metric', ''],
    ['aggregation', 'p(101)'],
    ['aggregation', 'median-ish'],
    ['operator', '=~'],
    ['operator', 5],
    ['fail', 'slow'],
    ['fail', null],
    ['warn', 'x'],
    ['unit', 'parsecs'],
    ['tags', 'name'],
    ['tags', 5],
    ['id', 7],
    ['id', ''],
  ] as const) {
    out.push([`slo ${k}=${JSON.stringify(v)}`, withSlo({ [k]: v })]);
  }
  out.push(['slo without metric', JSON.stringify({ ...good, slos: [Object.fromEntries(Object.entries(slo0).filter(([k]) => k !== 'metric'))] })]);
  out.push(['warn on the failing side', withSlo({ operator: '<', fail: 100, warn: 200 })]);
  out.push(['duplicate slo ids', JSON.stringify({ ...good, slos: [slo0, slo0] })]);
  return out;
}

/** Plan-file texts that are each wrong in one way (file name: bad-plan.json). */
export function badPlanTexts(): Array<[string, string]> {
  const run = { workload: 'mixed-workload', profile: 'smoke', env: { ITERATIONS: '2' } };
  const plan = (patch: Record<string, unknown>) => JSON.stringify({ name: 'bad-plan', runs: [run], ...patch });
  const withRun = (patch: Record<string, unknown>) => plan({ runs: [{ ...run, ...patch }] });
  const out: Array<[string, string]> = [
    ['empty file', ''],
    ['truncated JSON', plan({}).slice(0, 20)],
    ['array', '[]'],
    ['no runs', JSON.stringify({ name: 'bad-plan' })],
    ['empty runs', plan({ runs: [] })],
    ['wrong name', plan({ name: 'other' })],
    ['runs not an array', plan({ runs: {} })],
    ['repeated run label', plan({ runs: [run, run] })],
    ['unknown top-level key', plan({ colour: 'blue' })],
    ['secret in plan env', plan({ env: { ADMIN_PASSWORD: 'Plain!Text1' } })],
  ];
  for (const [k, v] of [
    ['workload', 'no-such-workload'],
    ['workload', 5],
    ['workload', ''],
    ['profile', 'spiky'],
    ['profile', null],
    ['env', 'x'],
    ['env', { ITERATIONS: 2 }],
    ['env', { ITERATIONS: '0' }],
    ['env', { VUS_SCALE: '-1' }],
    ['env', { THRESHOLDS: 'no-such-set' }],
    ['env', { PROFILE_DURATION: 'ten' }],
    ['repeats', 0],
    ['repeats', 'twice'],
    ['repeats', -1],
    ['name', 5],
    ['extra', true],
  ] as const) {
    out.push([`run ${k}=${JSON.stringify(v)}`, withRun({ [k]: v })]);
  }
  return out;
}

/** A k6 Point line as k6 writes it, with `data` fields replaced by raw JSON text (or text that is not JSON). */
function pointLine(fields: { metric?: string; time?: string; value?: string; tags?: string; data?: string }): string {
  const data = fields.data ?? `{"time":${fields.time ?? '"2026-01-01T00:00:01.000000000Z"'},"value":${fields.value ?? '5'},"tags":${fields.tags ?? '{"name":"query","status":"200"}'}}`;
  return `{"metric":${fields.metric ?? '"http_req_duration"'},"type":"Point","data":${data}}`;
}

/**
 * k6 outputs that are each wrong in one way, for `ledger-perf report`, `compare` and `merge`:
 * [label, files of a run folder]. Malformed NDJSON, truncated or fake gzip, wrong types in an
 * otherwise well-formed line, lines past the length bound. Every one is refused (exit 2).
 */
export function badK6Outputs(good: { runJson: string; k6: Buffer; ndjson: string }): Array<[string, Record<string, string | Buffer>]> {
  const gz = (text: string) => gzipSync(text);
  const lines = good.ndjson.trimEnd().split('\n');
  // A bad line in the middle of good ones (after the first records, so it is "corrupt", not "unknown format").
  const withLine = (bad: string) => ({ 'run.json': good.runJson, 'k6.json.gz': gz([...lines.slice(0, 8), bad, ...lines.slice(8)].join('\n')) });
  const plainWithLine = (bad: string) => ({ 'run.json': good.runJson, 'k6.json': `${[...lines.slice(0, 8), bad, ...lines.slice(8)].join('\n')}\n` });
  const huge = 'x'.repeat(16 * 1024 * 1024 + 100);
  const out: Array<[string, Record<string, string | Buffer>]> = [
    ['no files at all', {}],
    ['k6.json.gz not gzip', { 'run.json': good.runJson, 'k6.json.gz': 'plain text, not gzip' }],
    ['k6.json.gz truncated to a third', { 'run.json': good.runJson, 'k6.json.gz': good.k6.subarray(0, Math.floor(good.k6.length / 3)) }],
    ['k6.json.gz truncated by 10 bytes', { 'run.json': good.runJson, 'k6.json.gz': good.k6.subarray(0, good.k6.length - 10) }],
    ['k6.json.gz header only', { 'run.json': good.runJson, 'k6.json.gz': good.k6.subarray(0, 10) }],
    ['k6.json.gz empty', { 'run.json': good.runJson, 'k6.json.gz': Buffer.alloc(0) }],
    ['k6.json.gz with a corrupted body', { 'run.json': good.runJson, 'k6.json.gz': Buffer.concat([good.k6.subarray(0, 20), Buffer.alloc(200, 0xff), good.k6.subarray(220)]) }],
    ['k6 output of non-JSON lines', { 'run.json': good.runJson, 'k6.json.gz': gz('hello\nworld\n') }],
    ['k6 output with no points', { 'run.json': good.runJson, 'k6.json.gz': gz('') }],
    ['k6 output of Metric lines only', { 'run.json': good.runJson, 'k6.json.gz': gz(`${lines.filter((l) => l.includes('"type":"Metric"')).join('\n')}\n`) }],
    ['k6 CSV output', { 'run.json': good.runJson, 'k6.json': 'metric_name,timestamp,metric_value\nhttp_reqs,1,1\n' }],
    ['k6 output with a UTF-8 BOM', { 'run.json': good.runJson, 'k6.json': `\ufeff${lines.join('\n')}\n` }],
    ['a JSON array instead of NDJSON', { 'run.json': good.runJson, 'k6.json': `[${lines.join(',')}]\n` }],
    ['half-written last line', { 'run.json': good.runJson, 'k6.json': `${lines.join('\n')}\n${lines[1]!.slice(0, 50)}` }],
    ['a broken line in the middle', withLine('{"type":"Point","metric":')],
    ['a line of NUL bytes', withLine('\0\0\0\0')],
    ['a null line', withLine('null')],
    ['a number line', withLine('42')],
    ['an array line', withLine('[1,2]')],
    ['an unknown record type', withLine('{"type":"Sample","metric":"http_reqs","data":{}}')],
    ['value as a string', withLine(pointLine({ value: '"5"' }))],
    ['value missing (,"value":,)', plainWithLine(pointLine({ value: '' }))],
    ['value +5 (not JSON)', plainWithLine(pointLine({ value: '+5' }))],
    ['value .5 (not JSON)', plainWithLine(pointLine({ value: '.5' }))],
    ['value 0x10 (not JSON)', plainWithLine(pointLine({ value: '0x10' }))],
    ['value true', withLine(pointLine({ value: 'true' }))],
    ['value null', withLine(pointLine({ value: 'null' }))],
    ['value an object', withLine(pointLine({ value: '{"v":5}' }))],
    ['value 1e999 (infinite)', withLine(pointLine({ value: '1e999' }))],
    ['a negative http_req_duration', withLine(pointLine({ value: '-3.5' }))],
    ['time as a number', withLine(pointLine({ time: '1767225600' }))],
    ['time "1" (Date.parse takes it)', plainWithLine(pointLine({ time: '"1"' }))],
    ['time not a date', withLine(pointLine({ time: '"yesterday"' }))],
    ['time with month 13', withLine(pointLine({ time: '"2026-13-01T00:00:00.000000000Z"' }))],
    ['metric as a number', withLine(pointLine({ metric: '5' }))],
    ['metric an empty string', withLine(pointLine({ metric: '""' }))],
    ['data a number', withLine(pointLine({ data: '5' }))],
    ['data an array', withLine(pointLine({ data: '[]' }))],
    ['tags a string', withLine(pointLine({ tags: '"name=query"' }))],
    ['tags an array', withLine(pointLine({ tags: '["query"]' }))],
    ['a tag value a number', withLine(pointLine({ tags: '{"name":"query","status":200}' }))],
    ['a tag value an object', withLine(pointLine({ tags: '{"name":{"x":"query"}}' }))],
    ['tags not valid JSON', plainWithLine(pointLine({ tags: '{"name":}' }))],
    ['a Metric of an unknown type', { 'run.json': good.runJson, 'k6.json': `${['{"type":"Metric","data":{"name":"x","type":"histogram","contains":"time"},"metric":"x"}', ...lines].join('\n')}\n` }],
    ['a Metric whose data is not an object', withLine('{"type":"Metric","data":5,"metric":"x"}')],
    ['a line over 16 MiB (gzip)', { 'run.json': good.runJson, 'k6.json.gz': gz(`${lines.slice(0, 4).join('\n')}\n{"a":"${huge}"}\n${lines.slice(4).join('\n')}\n`) }],
    ['a last line over 16 MiB without a newline', { 'run.json': good.runJson, 'k6.json.gz': gz(`${lines.join('\n')}\n${huge}`) }],
    ['run.json truncated', { 'run.json': good.runJson.slice(0, 20), 'k6.json.gz': good.k6 }],
    ['run.json an array', { 'run.json': '[]', 'k6.json.gz': good.k6 }],
    ['run.json with a wrong type', { 'run.json': JSON.stringify({ ...JSON.parse(good.runJson), workload: 42 }), 'k6.json.gz': good.k6 }],
    ['summary.json truncated', { 'run.json': good.runJson, 'k6.json.gz': good.k6, 'summary.json': '{"metrics":{' }],
    ['run-summary.json truncated', { 'run-summary.json': '{"format":"ledger-perf-run-summary",' }],
    ['run-summary.json of another format', { 'run-summary.json': '{"format":"something-else","schemaVersion":1}' }],
    ['run-summary.json an array', { 'run-summary.json': '[]' }],
  ];
  return out;
}

export function ndjsonOf(k6: Buffer): string {
  return gunzipSync(k6).toString('utf8');
}
