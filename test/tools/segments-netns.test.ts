// Local segmented runs with --netns: each k6 process in a network namespace of its own, with its
// own address, against the reference server on this machine's loopback, real k6 throughout. Each
// segment's traffic must come from its own address only, the merge must still count exactly what
// the profile configures, and no namespace or link may be left behind. Where this machine cannot
// make namespaces (not root, no iproute2), the command must refuse with the reason instead.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bundleK6Script } from '../../tools/build/bundle-k6.ts';
import { runSegmented } from '../../tools/runner/segments.ts';
import { netnsUnavailable } from '../../tools/runner/segments-netns.ts';
import { run } from '../cli/helpers.ts';
import { projectRoot } from '../helpers/paths.ts';
import { type RunningReferenceServer, startReferenceServer } from '../helpers/reference-server.ts';

const unavailable = netnsUnavailable();
const ours = () =>
  spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter((l) => l.startsWith(`lpseg${process.pid % 1_000_000}-`));

describe('npm run segments -- --netns', () => {
  let target: RunningReferenceServer;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-segments-netns-'));
    if (!unavailable) target = await startReferenceServer();
  });
  after(async () => {
    await target?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  if (unavailable) {
    it(`refuses with the reason where namespaces cannot be made (${unavailable})`, async () => {
      const r = await run(process.execPath, ['--import', 'tsx', join(projectRoot, 'tools', 'runner', 'segments.ts'), 'throughput', '--segments', '2', '--netns'], {}, projectRoot);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /--netns: .*; run without --netns/);
    });
    return;
  }

  it('runs 3 segments from 3 addresses of their own and merges them exactly, leaving no namespace behind', async () => {
    const script = await bundleK6Script(join(projectRoot, 'test', 'tools', 'fixtures', 'segment-fixture.ts'), join(dir, 'segment-fixture.js'));
    const result = await runSegmented({
      workload: 'segment-fixture',
      script,
      segments: 3,
      profile: 'smoke',
      env: { ITERATIONS: '30', VUS_SCALE: '3' },
      baseUrl: target.url,
      outDir: join(dir, 'out'),
      netns: true,
    });
    assert.equal(result.exitCode, 0, result.reason);
    const addresses = result.segments.map((s) => s.host!.address);
    assert.equal(new Set(addresses).size, 3, `three addresses: ${addresses}`);
    for (const s of result.segments) {
      assert.match(s.host!.address, /^10\.\d+\.\d+\.2$/);
      // Every connection this segment's k6 made came from its own namespace's address.
      assert.deepEqual([...s.host!.connectionsFrom.keys()], [s.host!.address], s.segment);
      assert.ok(s.host!.connectionsFrom.get(s.host!.address)! > 0);
      assert.equal(s.exitCode, 0);
    }
    assert.equal(result.merged.series.get('iterations')!.moments.sum, 30, 'the configured shared iterations, exactly');
    assert.equal(result.merged.series.get('http_reqs')!.moments.sum, 30, 'one request per iteration');
    const meta = JSON.parse(readFileSync(join(result.runDir, 'run.json'), 'utf8'));
    assert.deepEqual(
      meta.executionSegments.map((s: { address: string }) => s.address),
      addresses,
    );
    // The run is a single run's: k6 addressed the same loopback URL an unsegmented run does.
    assert.equal(meta.baseUrl, target.url);
    assert.deepEqual(ours(), [], 'namespaces removed');
  });

  it('refuses another target than the local reference server (exit 2), before anything starts', async () => {
    const r = await run(
      process.execPath,
      ['--import', 'tsx', join(projectRoot, 'tools', 'runner', 'segments.ts'), 'throughput', '--segments', '2', '--netns', '--base-url', 'http://127.0.0.1:9'],
      {},
      projectRoot,
    );
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /--netns runs segments against the local reference server it starts/);
    assert.doesNotMatch(r.stdout, /reference server listening/);
  });
});
