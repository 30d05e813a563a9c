// The exit code contract callers and CI rely on: k6's 99 for a failed threshold survives the
// suite's options builder.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bundleK6Script } from '../../tools/build/bundle-k6.ts';
import { ensureK6 } from '../../tools/install/k6.mjs';
import { projectRoot } from '../helpers/paths.ts';
import { type RunningReferenceServer, startReferenceServer } from '../helpers/reference-server.ts';

describe('k6 exit codes', () => {
  let target: RunningReferenceServer;
  let dir: string;
  before(async () => {
    target = await startReferenceServer();
    dir = mkdtempSync(join(tmpdir(), 'ledger-exit-'));
  });
  after(async () => {
    await target?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a deliberately failing threshold makes k6 exit 99 and names the threshold', async () => {
    const script = join(dir, 'failing-threshold.js');
    await bundleK6Script(join(projectRoot, 'test/scenarios/fixtures/failing-threshold.ts'), script);
    const r = spawnSync(ensureK6(), ['run', '-e', `BASE_URL=${target.url}`, '-e', 'PROFILE=smoke', script], { encoding: 'utf8', env: { ...process.env, K6_NO_USAGE_REPORT: 'true' } });
    assert.equal(r.status, 99, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, /http_reqs/);
    assert.match(r.stderr, /thresholds on metrics 'http_reqs' have been crossed/);
  });
});
