// SIGNING=presigned under real k6 against the reference server, which verifies every Ed25519
// signature: transactions signed before the run by tools/presign/presign.ts are accepted,
// tampered ones are rejected, and a pool that runs out stops the run with a reason.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { presign } from '../../tools/presign/presign.ts';
import { runWorkload } from '../../tools/runner/run-workload.ts';
import { type RunningReferenceServer, startReferenceServer } from '../helpers/reference-server.ts';

interface Summary {
  metrics: Record<string, Record<string, number>>;
}

describe('SIGNING=presigned under real k6', () => {
  let server: RunningReferenceServer;
  let dir: string;
  const run = (file: string, iterations: number) =>
    runWorkload({
      workload: 'mixed-workload',
      profile: 'smoke',
      baseUrl: server.url,
      outDir: dir,
      quiet: true,
      env: { SIGNING: 'presigned', PRESIGNED_FILE: file, MIX: '{"submit":1}', ITERATIONS: String(iterations), VUS_SCALE: '2' },
    });
  const metrics = (runDir: string) => (JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as Summary).metrics;
  const log = (runDir: string) => readFileSync(join(runDir, 'k6.log'), 'utf8');

  before(async () => {
    server = await startReferenceServer();
    dir = mkdtempSync(join(tmpdir(), 'ledger-presigned-'));
  });
  after(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('submits pre-signed transactions that the server accepts, with no signing time in k6', async () => {
    const file = join(dir, 'ok.ndjson');
    presign({ out: file, count: 400, payloadBytes: [512] });
    const { exitCode, runDir } = await run(file, 30);
    assert.equal(exitCode, 0, log(runDir));
    const m = metrics(runDir);
    assert.equal(m.transactions_accepted?.count, 30, 'every iteration submitted one accepted transaction');
    assert.equal(m.transactions_rejected?.count ?? 0, 0);
    assert.equal(m.signing_duration, undefined, 'nothing was signed inside k6');
  });

  it('a tampered signature is rejected by the server (the file is what is sent)', async () => {
    const file = join(dir, 'tampered.ndjson');
    presign({ out: file, count: 400, payloadBytes: [512] });
    const [header, ...entries] = readFileSync(file, 'utf8').trimEnd().split('\n');
    // Each entry gets the next entry's signature: well-formed, made by the right key, wrong message.
    const parsed = entries.map((l) => l.split(' '));
    const swapped = parsed.map(([id, hash], i) => `${id} ${hash} ${parsed[(i + 1) % parsed.length]![2]}`);
    writeFileSync(file, `${header}\n${swapped.join('\n')}\n`);
    const { runDir } = await run(file, 10);
    const m = metrics(runDir);
    assert.equal(m.transactions_accepted?.count ?? 0, 0, log(runDir));
    assert.equal(m.transactions_rejected?.count, 10);
  });

  it('a pool too small for the run stops it with what to do, not with reused transactions', async () => {
    const file = join(dir, 'small.ndjson');
    presign({ out: file, count: 3, payloadBytes: [512] });
    const { exitCode, runDir } = await run(file, 30);
    assert.notEqual(exitCode, 0);
    assert.match(log(runDir), /the 512-byte pool of PRESIGNED_FILE is used up \(3 entries, slot \d+ wanted.*presign a larger --count/);
    assert.ok((metrics(runDir).transactions_accepted?.count ?? 0) <= 3);
  });

  it('a payload size the file has no pool for stops the run and names the fix', async () => {
    const file = join(dir, 'other-size.ndjson');
    presign({ out: file, count: 50, payloadBytes: [1024] });
    const { exitCode, runDir } = await run(file, 5);
    assert.notEqual(exitCode, 0);
    assert.match(log(runDir), /no pool for 512-byte payloads \(it has 1024\); presign with --payload-bytes 512/);
  });
});
