// k6.json.gz is read once: the first load caches the run summary in the run folder
// (run-summary.json) and later loads use it while the output is unchanged; a changed output
// (or other ingest options) is ingested again.
import assert from 'node:assert/strict';
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { loadRun } from '../../cli/run/load-run.ts';
import { tempDir } from './helpers.ts';
import { writeSyntheticRun } from './synthetic-runs.ts';

const tmp = tempDir('cache');
after(() => tmp.cleanup());

const requests = (r: Awaited<ReturnType<typeof loadRun>>) => r.series.get('http_reqs')?.moments.sum;

test('a second load uses the cache, not k6.json.gz; a changed k6.json.gz is read again', async () => {
  const dir = writeSyntheticRun(join(tmp.dir, 'run'), { seed: 3, medianMs: 10, requests: 200 });
  const output = join(dir, 'k6.json.gz');
  // Whole seconds: a timestamp utimes can set back exactly (a restored sub-millisecond one may round).
  const stamp = Math.floor(Date.now() / 1000) - 60;
  utimesSync(output, stamp, stamp);
  const first = await loadRun(dir);
  assert.equal(requests(first), 200);
  const cache = JSON.parse(readFileSync(join(dir, 'run-summary.json'), 'utf8')) as { format: string; cacheOf: { output: string } };
  assert.equal(cache.format, 'ledger-perf-run-summary');
  assert.equal(cache.cacheOf.output, 'k6.json.gz');

  // Same size and modification time, unreadable content: only a cache hit can still load it.
  const { size } = statSync(output);
  writeFileSync(output, Buffer.alloc(size, 0x7a));
  utimesSync(output, stamp, stamp);
  const cached = await loadRun(dir);
  assert.equal(requests(cached), 200);
  assert.deepEqual(cached.meta, first.meta, 'run.json is still read fresh and merged the same way');

  // A new output (another run's points) invalidates the cache.
  writeFileSync(output, gzipSync(readFileSync(join(writeSyntheticRun(join(tmp.dir, 'other'), { seed: 4, medianMs: 10, requests: 50, gzip: false }), 'k6.json'))));
  assert.equal(requests(await loadRun(dir)), 50);
});

test('other ingest options (kept tags) are not served from a cache made without them', async () => {
  const dir = writeSyntheticRun(join(tmp.dir, 'tags'), { seed: 5, medianMs: 10, requests: 100 });
  const plain = await loadRun(dir);
  const withUrl = await loadRun(dir, { keepTags: ['url'] });
  assert.ok(![...plain.series.values()].some((s) => 'url' in s.tags));
  assert.ok(
    [...withUrl.series.values()].some((s) => 'url' in s.tags),
    'url tag kept: ingested again',
  );
});
