// "A 200 means committed": acknowledged transactions survive kill -9, the docket builder resumes
// after restart and the chain still verifies. Also: SIGTERM with requests in flight exits 0.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { eventually } from '../helpers/eventually.ts';
import { startReferenceServer } from '../helpers/reference-server.ts';
import { api, bootstrapOrg, createRegister, createWallet } from '../helpers/register-client.ts';
import { newSigner, signedTransaction, verifyChain } from './client.ts';

const env = { TARGET_JWT_SECRET: 'durability-secret-0123456789-0123456789' };

async function submitMany(url: string, token: string, registerId: string, count: number, acked: Set<string>, onAck: () => void = () => undefined) {
  const signer = newSigner();
  return Array.from({ length: count }, () => signedTransaction(signer, registerId)).map((tx) =>
    api(url, 'POST', '/api/validator/transactions/validate', { token, body: tx }).then(
      (r) => {
        if (r.status === 200 && r.body.added === true) {
          acked.add(tx.transactionId);
          onAck();
        }
      },
      () => undefined, // the connection died with the process: not acknowledged
    ),
  );
}

test('kill -9 mid-load: every acknowledged transaction is recovered, sealed and chained', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-durability-'));
  try {
    // Long docket time: most transactions are still unsealed at the crash, so resumption is exercised.
    let server = await startReferenceServer({ dataDir, env, args: ['--docket-time-ms', '60000', '--docket-size', '50'] });
    const org = await bootstrapOrg(server.url);
    const wallet = await createWallet(server.url, org.adminToken);
    const registerId = await createRegister(server.url, org.adminToken, org.orgId, wallet.address);
    const acked = new Set<string>();
    let killed: Promise<void> | undefined;
    const first = server;
    // Crash as soon as 300 are acknowledged, with the rest still in flight.
    const inflight = await submitMany(server.url, org.adminToken, registerId, 2000, acked, () => {
      if (acked.size >= 300) killed ??= first.kill();
    });
    await Promise.all(inflight);
    assert.ok(killed !== undefined, 'the server was killed mid-load');
    await killed;
    const acknowledged = acked.size;
    assert.ok(acknowledged >= 300 && acknowledged < 2000, `acknowledged ${acknowledged} of 2000`);

    server = await startReferenceServer({ dataDir, env, args: ['--docket-time-ms', '200', '--docket-size', '50'] });
    try {
      let recovered = 0;
      for (const id of acked) {
        const r = await api(server.url, 'GET', `/api/registers/${registerId}/transactions/${id}`, { token: org.adminToken });
        if (r.status === 200) recovered++;
      }
      t.diagnostic(`acknowledged ${acknowledged}, recovered ${recovered} after kill -9`);
      assert.equal(recovered, acknowledged);
      await eventually('resumed sealing', async () => {
        const pool = await api(server.url, 'GET', `/api/validator/transactions/mempool/${registerId}`, { token: org.adminToken });
        return pool.body.totalTransactions === 0 ? true : undefined;
      });
      const chain = await verifyChain(server.url, org.adminToken, registerId);
      for (const id of acked) assert.ok(chain.transactions.has(id), `${id} sealed after restart`);
      // Submitting after the restart continues the same chain.
      const more = new Set<string>();
      await Promise.all(await submitMany(server.url, org.adminToken, registerId, 20, more));
      assert.equal(more.size, 20);
      await eventually('new transactions sealed', async () => {
        const pool = await api(server.url, 'GET', `/api/validator/transactions/mempool/${registerId}`, { token: org.adminToken });
        return pool.body.totalTransactions === 0 ? true : undefined;
      });
      const after = await verifyChain(server.url, org.adminToken, registerId);
      assert.equal(after.transactions.size, chain.transactions.size + 20);
    } finally {
      assert.equal(await server.stop(), 0);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('SIGTERM with requests in flight: answered requests are durable and the exit code is 0', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-sigterm-'));
  try {
    let server = await startReferenceServer({ dataDir, env, args: ['--docket-time-ms', '60000'] });
    const org = await bootstrapOrg(server.url);
    const wallet = await createWallet(server.url, org.adminToken);
    const registerId = await createRegister(server.url, org.adminToken, org.orgId, wallet.address);
    const acked = new Set<string>();
    const inflight = await submitMany(server.url, org.adminToken, registerId, 200, acked);
    await eventually('some acknowledgements', async () => (acked.size >= 20 ? true : undefined), 30_000);
    const stopping = Date.now();
    assert.equal(await server.stop(), 0);
    // Bounded: in-flight requests are finished, idle or request-less connections are not waited for.
    assert.ok(Date.now() - stopping < 20_000, `stop took ${Date.now() - stopping} ms`);
    await Promise.all(inflight);
    assert.match(server.stderr(), /SIGTERM/);

    server = await startReferenceServer({ dataDir, env, args: ['--docket-time-ms', '200'] });
    try {
      const chain = await eventually('sealed after restart', async () => {
        const c = await verifyChain(server.url, org.adminToken, registerId);
        return [...acked].every((id) => c.transactions.has(id)) ? c : undefined;
      });
      assert.ok(chain.transactions.size >= acked.size + 1);
    } finally {
      assert.equal(await server.stop(), 0);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
