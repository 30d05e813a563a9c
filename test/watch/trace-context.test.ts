// TRACE_CONTEXT=w3c: every request of a real k6 run carries its own valid W3C traceparent
// header; without it, none does.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { newTraceparent, TRACEPARENT, traceContextMode } from '../../lib/shared/trace-context.ts';
import { runWorkload } from '../../tools/runner/run-workload.ts';
import { type RunningReferenceServer, startReferenceServer } from '../helpers/reference-server.ts';

const hex = (n: number) => randomBytes(n).toString('hex');

describe('W3C trace context', () => {
  it('off unless TRACE_CONTEXT=w3c; anything else is an error that says the fix', () => {
    for (const off of [undefined, '', 'off', 'false', '0']) assert.equal(traceContextMode({ TRACE_CONTEXT: off }), 'off');
    assert.equal(traceContextMode({ TRACE_CONTEXT: 'W3C' }), 'w3c');
    assert.throws(() => traceContextMode({ TRACE_CONTEXT: 'b3' }), /TRACE_CONTEXT="b3" is not valid\. Fix: TRACE_CONTEXT=w3c/);
  });

  it('traceparent values follow the spec and never use the all-zero ids', () => {
    assert.match(newTraceparent(hex), TRACEPARENT);
    let calls = 0;
    const zerosFirst = (n: number) => (calls++ < 2 ? '00'.repeat(n) : 'ab'.repeat(n));
    assert.equal(newTraceparent(zerosFirst), `00-${'ab'.repeat(16)}-${'ab'.repeat(8)}-01`);
    assert.doesNotMatch(`00-${'0'.repeat(32)}-${'1'.repeat(16)}-01`, TRACEPARENT);
  });

  describe('in a real k6 run', () => {
    let target: RunningReferenceServer;
    let proxy: Server;
    let proxyUrl: string;
    let dir: string;
    const seen: Array<string | undefined> = [];

    before(async () => {
      target = await startReferenceServer();
      dir = mkdtempSync(join(tmpdir(), 'ledger-trace-'));
      // Forwards to the target and records each request's traceparent header.
      proxy = createServer(async (req, res) => {
        seen.push(req.headers.traceparent as string | undefined);
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k))) as Record<string, string>;
        const upstream = await fetch(target.url + req.url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
        const body = Buffer.from(await upstream.arrayBuffer());
        res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json', 'content-length': body.length });
        res.end(body);
      });
      await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
      proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    });
    after(async () => {
      await new Promise<void>((r) => (proxy ? proxy.close(() => r()) : r()));
      await target?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    async function run(env: Record<string, string>): Promise<Array<string | undefined>> {
      seen.length = 0;
      const { exitCode, runDir } = await runWorkload({ workload: 'mixed-workload', profile: 'smoke', baseUrl: proxyUrl, outDir: dir, quiet: true, env });
      assert.equal(exitCode, 0, readFileSync(join(runDir, 'k6.log'), 'utf8'));
      return [...seen];
    }

    it('TRACE_CONTEXT=w3c: a valid, distinct traceparent on every request', async () => {
      const headers = await run({ TRACE_CONTEXT: 'w3c' });
      assert.ok(headers.length >= 10, `${headers.length} requests`);
      for (const h of headers) assert.match(h ?? '(none)', TRACEPARENT);
      assert.equal(new Set(headers).size, headers.length, 'each request starts its own trace');
    });

    it('by default no request carries one', async () => {
      const headers = await run({});
      assert.ok(headers.length >= 10);
      assert.deepEqual(
        headers.filter((h) => h !== undefined),
        [],
      );
    });
  });
});
