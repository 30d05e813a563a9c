// The hand-written fast path of the k6 line parser must agree with JSON.parse on every layout
// k6 can produce, and the tag handling must keep exactly the tags it promises to keep.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { newPointRef, type PointRef, parseLine, parseTime } from '../../cli/ingest/k6-line-parser.ts';
import { loadRun } from '../../cli/run/load-run.ts';
import { tempDir } from './helpers.ts';

function parse(line: string, p: PointRef = newPointRef()): PointRef {
  const text = `garbage before\n${line}\n`;
  const start = text.indexOf('\n') + 1;
  assert.equal(parseLine(text, start, start + line.length, p), 'point');
  return p;
}

function tagsOf(p: PointRef): Record<string, string> {
  return p.tags ?? (p.tagsRaw ? (JSON.parse(p.tagsRaw) as Record<string, string>) : {});
}

test('fast and slow paths read the same point from every layout', () => {
  const cases = [
    '{"metric":"http_reqs","type":"Point","data":{"time":"2026-11-22T08:18:37.425264781Z","value":1,"tags":{"name":"a","status":"200"}}}',
    '{"metric":"vus","type":"Point","data":{"time":"2026-11-22T08:18:37.5Z","value":7,"tags":null}}',
    '{"metric":"x","type":"Point","data":{"time":"2026-11-22T08:18:37.000000001Z","value":-1.5e-3,"tags":{}}}',
    // Escaped quote and brace inside a tag value, then more tags.
    '{"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-22T08:18:37.1Z","value":2.5,"tags":{"name":"a\\"},{\\"b","url":"http://h/x?q=}","z":"1"}}}',
    // A metadata field after the tags (k6 writes it when metadata is set).
    '{"metric":"http_reqs","type":"Point","data":{"time":"2026-11-22T08:18:37.2Z","value":1,"tags":{"name":"a"},"metadata":{"trace_id":"abc"}}}',
    // Local-time offset instead of Z.
    '{"metric":"http_reqs","type":"Point","data":{"time":"2026-11-22T09:18:37.3+01:00","value":1,"tags":{"name":"a"}}}',
    // Different key order (slow path).
    '{"type":"Point","metric":"http_reqs","data":{"value":3,"time":"2026-11-22T08:18:37.4Z","tags":{"name":"b"}}}',
  ];
  for (const line of cases) {
    const ours = parse(line);
    const ref = JSON.parse(line) as { metric: string; data: { time: string; value: number; tags: Record<string, string> | null } };
    assert.equal(ours.metric, ref.metric, line);
    assert.equal(ours.value, ref.data.value, line);
    assert.ok(Math.abs(ours.timeMs - Date.parse(ref.data.time)) < 1, line);
    assert.deepEqual(tagsOf(ours), ref.data.tags ?? {}, line);
  }
  assert.ok(Math.abs(parseTime('2026-11-22T08:18:37.425264781Z') - (Date.parse('2026-11-22T08:18:37Z') + 425.264781)) < 1e-6);
});

test('consecutive points with identical tags are recognised, different ones are not', () => {
  const a = '{"metric":"http_reqs","type":"Point","data":{"time":"2026-11-22T08:18:37.1Z","value":1,"tags":{"name":"a"}}}';
  const b = '{"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-22T08:18:37.1Z","value":5,"tags":{"name":"a"}}}';
  const c = '{"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-22T08:18:37.1Z","value":5,"tags":{"name":"b"}}}';
  const p = newPointRef();
  parse(a, p);
  assert.equal(parse(b, p).sameTagsAsLast, true);
  assert.deepEqual(tagsOf(p), { name: 'a' });
  assert.equal(parse(c, p).sameTagsAsLast, false);
  assert.deepEqual(tagsOf(p), { name: 'b' });
  // Another file's parser state is its own: the same tags there are news.
  assert.equal(parse(b, newPointRef()).sameTagsAsLast, false);
});

test('url/vu/iter are dropped unless kept with --tags; custom tags are kept', async () => {
  const tmp = tempDir('tags');
  try {
    const lines = [
      '{"type":"Metric","data":{"name":"http_req_duration","type":"trend","contains":"time","thresholds":[],"submetrics":null},"metric":"http_req_duration"}',
      ...[1, 2, 3].map(
        (i) =>
          `{"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-22T08:18:3${i}.1Z","value":${i},"tags":{"corridor":"EU-US","iter":"${i}","name":"submit","url":"http://h/tx/${i}","vu":"${i}"}}}`,
      ),
      // url as the last tag and as the only tag: the cut must leave valid JSON behind.
      '{"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-22T08:18:34.1Z","value":4,"tags":{"name":"submit","url":"http://h/tx/4"}}}',
      '{"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-22T08:18:35.1Z","value":5,"tags":{"url":"http://h/tx/5"}}}',
    ];
    const dir = join(tmp.dir, 'run');
    mkdirSync(dir);
    writeFileSync(join(dir, 'k6.json'), `${lines.join('\n')}\n`);
    const run = await loadRun(dir);
    const keys = [...run.series.keys()].sort();
    assert.deepEqual(keys, ['http_req_duration', 'http_req_duration{corridor:EU-US,name:submit}', 'http_req_duration{name:submit}']);
    assert.equal(run.series.get('http_req_duration')!.moments.count, 5);
    assert.equal(run.series.get('http_req_duration{corridor:EU-US,name:submit}')!.moments.count, 3);
    const withUrl = await loadRun(dir, { keepTags: ['url'] });
    assert.equal([...withUrl.series.keys()].filter((k) => k.includes('url:')).length, 5);
  } finally {
    tmp.cleanup();
  }
});

test('two files ingested at the same time give the same results as one after the other', async () => {
  const { syntheticNdjson } = await import('./synthetic-runs.ts');
  const tmp = tempDir('parallel');
  try {
    const dirs = ['a', 'b'].map((n, i) => {
      const dir = join(tmp.dir, n);
      mkdirSync(dir);
      // Large enough to span many read chunks, so the two streams interleave.
      writeFileSync(join(dir, 'k6.json'), syntheticNdjson({ seed: i + 1, medianMs: 10 + 10 * i, requests: 20_000 }));
      return dir;
    });
    const together = await Promise.all(dirs.map((d) => loadRun(d)));
    const apart = [await loadRun(dirs[0]!), await loadRun(dirs[1]!)];
    for (let i = 0; i < 2; i++) {
      const summarise = (run: (typeof apart)[number]) => [...run.series.entries()].map(([k, s]) => [k, s.moments.count, s.moments.sum]).sort();
      assert.deepEqual(summarise(together[i]!), summarise(apart[i]!));
    }
  } finally {
    tmp.cleanup();
  }
});
