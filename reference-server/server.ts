// Builds and starts the reference register server. `startServer` is used by main.ts and can be
// used in-process (benchmarks): it returns the URL and a graceful close().

import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { Checkpointer } from './checkpointer.ts';
import { CommitQueue } from './commit-queue.ts';
import { DEFAULTS, type ReferenceServerConfig } from './config.ts';
import type { Context } from './context.ts';
import { DocketBuilder } from './docket-builder.ts';
import { ApiError, drain, installErrorHandling, sendApiError } from './errors.ts';
import { installFaults } from './faults.ts';
import { Metrics } from './metrics.ts';
import { docketRoutes } from './routes/dockets.ts';
import { healthRoutes } from './routes/health.ts';
import { registerInfoFromRow, registerRoutes } from './routes/registers.ts';
import { tenantRoutes } from './routes/tenant.ts';
import { transactionRoutes } from './routes/transactions.ts';
import { walletRoutes } from './routes/wallets.ts';
import { Store } from './store.ts';
import { findKeyProblem } from './strict-json.ts';
import { VerifyPool } from './verify-pool.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The JSON body exactly as received (stored with the transaction). */
    rawBodyText?: string;
  }
}

export const BODY_LIMIT_BYTES = 10 * 1024 * 1024;

export type ServerOptions = Partial<ReferenceServerConfig> & { dataDir: string };

export interface RunningServer {
  url: string;
  port: number;
  app: FastifyInstance;
  context: Context;
  /** Stops accepting, finishes in-flight requests, commits what was accepted, closes the database. */
  close(): Promise<void>;
}

// ajv-formats is CommonJS; its default export arrives wrapped under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

function buildApp(config: ReferenceServerConfig): FastifyInstance {
  const app = Fastify({
    logger: { level: config.logLevel, stream: process.stderr },
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' }),
    bodyLimit: BODY_LIMIT_BYTES,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  });
  // Strict validation: no type coercion, no defaults, nothing removed (a payload must reach the
  // hash check exactly as sent).
  const ajv = new Ajv({ allErrors: true, coerceTypes: false, useDefaults: false, removeAdditional: false, strict: false });
  addFormats(ajv);
  app.setValidatorCompiler(({ schema }) => ajv.compile(schema));

  // Only JSON (and forms, for the token endpoint) are bodies here: Fastify's default text/plain
  // parser would hand a string to the routes, which then answer 400 "must be a JSON object"
  // where 415 with the accepted types is the true answer.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(new ApiError(400, 'Invalid JSON', 'Request body is empty; send a JSON object.', { code: 'TX_029', field: '$' }), undefined);
    try {
      const parsed: unknown = JSON.parse(text);
      const problem = findKeyProblem(text);
      if (problem !== undefined) {
        const detail =
          problem.kind === 'duplicate'
            ? `Key "${problem.key}" appears twice at ${problem.field || '$'}; send each key once (readers disagree on which value wins).`
            : `Key "${problem.key}" at ${problem.field} is not allowed (prototype keys are refused); rename or remove it.`;
        return done(new ApiError(400, 'Invalid JSON', detail, { code: 'TX_029', field: problem.field }), undefined);
      }
      request.rawBodyText = text;
      done(null, parsed);
    } catch (err) {
      done(new ApiError(400, 'Invalid JSON', `Request body is not valid JSON: ${(err as Error).message}.`, { code: 'TX_029', field: '$' }), undefined);
    }
  });
  // A declared length over the limit is refused from the headers alone: the body is never read
  // (a client must not make the server buffer 10 MiB to learn it was too much).
  app.addHook('onRequest', async (request, reply) => {
    const declared = request.headers['content-length'];
    if (declared === undefined || !/^\d+$/.test(declared) || Number(declared) <= BODY_LIMIT_BYTES) return;
    // Answered now, before any body byte is read; what the client still sends is discarded (up
    // to the drain limit, then the connection is closed), so it can read the 413 instead of EPIPE.
    void drain(request.raw);
    return sendApiError(
      request,
      reply,
      new ApiError(413, 'Payload Too Large', `Content-Length ${declared} is over the ${BODY_LIMIT_BYTES}-byte body limit; send a smaller body.`, { code: 'TX_030', field: '' }),
    );
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  return app;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const config: ReferenceServerConfig = { ...DEFAULTS, jwtSecret: undefined, ...options };
  const store = new Store(config.dataDir, config.sqliteSync);
  const app = buildApp(config);
  let dockets: DocketBuilder | undefined;
  const verifyPool = new VerifyPool(config.verifyThreads);
  try {
    const metrics = new Metrics(() => dockets?.totalPending ?? 0);
    dockets = new DocketBuilder(store, {
      docketTimeMs: config.docketTimeMs,
      docketSize: config.docketSize,
      docketMaxTransactions: config.docketMaxTransactions,
      onSealed: () => metrics.countDocketSealed(),
      onError: (err) => app.log.error({ err }, 'sealing a docket failed; retrying'),
    });
    const builder = dockets;
    const commits = new CommitQueue(store, (committed) => {
      for (const c of committed) {
        builder.add(c.tx.registerId, { txId: c.tx.txId, payloadHash: c.tx.payloadHash, createdAtMs: c.tx.createdAtMs, priority: c.priority, addedAtMs: Date.now() });
      }
      metrics.countCommitted(committed.length);
    });
    const ctx: Context = {
      config,
      jwtSecret: config.jwtSecret ?? randomBytes(32),
      store,
      metrics,
      commits,
      dockets: builder,
      verifier: (publicKey, message, signature) => verifyPool.verify(publicKey, message, signature),
      registers: new Map(store.allRegisters().map((r) => [r.id, registerInfoFromRow(r)])),
      pendingRegistrations: new Map(),
    };
    builder.load();
    if (builder.totalPending > 0) app.log.warn(`resuming: ${builder.totalPending} committed transaction(s) waiting to be sealed`);

    app.addHook('onResponse', async (request, reply) => {
      metrics.observeRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    });
    installFaults(app, config, metrics);
    installErrorHandling(app);
    tenantRoutes(app, ctx);
    walletRoutes(app, ctx);
    registerRoutes(app, ctx);
    transactionRoutes(app, ctx);
    docketRoutes(app, ctx);
    healthRoutes(app, ctx);

    // In-flight requests, counted on the raw server so aborted ones are counted out too.
    let inflight = 0;
    let drained: (() => void) | undefined;
    app.server.on('request', (_req, res) => {
      inflight++;
      res.once('close', () => {
        inflight--;
        if (inflight === 0) drained?.();
      });
    });
    const allAnswered = (limitMs: number) =>
      new Promise<void>((resolve) => {
        if (inflight === 0) return resolve();
        drained = resolve;
        setTimeout(resolve, limitMs).unref();
      });

    await app.listen({ host: config.host, port: config.port });
    builder.start();
    const checkpointer = new Checkpointer(store.db, (message) => app.log.error(message));
    checkpointer.start();
    const address = app.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    let closing: Promise<void> | undefined;
    return {
      url: `http://${host}:${address.port}`,
      port: address.port,
      app,
      context: ctx,
      close() {
        closing ??= (async () => {
          const closed = app.close(); // stops accepting; answers in-flight requests
          // Then drop connections with nothing in flight (idle keep-alive, or accepted but no
          // request yet): Node would otherwise wait for them up to its 60 s headers timeout.
          await allAnswered(10_000);
          app.server.closeAllConnections();
          await closed;
          commits.flush();
          builder.stop();
          await checkpointer.stop();
          metrics.close();
          await verifyPool.close();
          store.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    dockets?.stop();
    await verifyPool.close();
    await app.close().catch(() => undefined);
    store.close();
    throw err;
  }
}
