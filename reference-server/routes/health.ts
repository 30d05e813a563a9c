// Health (Sorcha's /health, /alive and the gateway's aggregate /api/health) and /metrics.
import type { FastifyInstance } from 'fastify';
import type { Context } from '../context.ts';

/**
 * How the suite recognises its own reference server (lib/k6/setup.ts checkHealth): only then do
 * the documented default credentials apply. A loopback address alone is not enough.
 */
export const REFERENCE_SERVER_IDENTITY = 'ledger-perf-reference-server';

export function healthRoutes(app: FastifyInstance, ctx: Context): void {
  const databaseOk = (): string | null => {
    try {
      ctx.store.db.prepare('SELECT 1').get();
      return null;
    } catch (err) {
      return (err as Error).message;
    }
  };

  app.get('/alive', async () => ({ status: 'Healthy' }));

  app.get('/health', async (_request, reply) => {
    const error = databaseOk();
    return reply
      .code(error === null ? 200 : 503)
      .send({ status: error === null ? 'Healthy' : 'Unhealthy', service: REFERENCE_SERVER_IDENTITY, checks: { database: { status: error === null ? 'Healthy' : 'Unhealthy', error } } });
  });

  app.get('/api/health', async (request, reply) => {
    const error = databaseOk();
    const endpoint = `http://${request.headers.host ?? `${ctx.config.host}:${ctx.config.port}`}`;
    const service = (status: string) => ({ status, endpoint, error });
    const status = error === null ? 'Healthy' : 'Unhealthy';
    // One process plays every service of Sorcha's gateway layout.
    return reply.code(error === null ? 200 : 503).send({
      status,
      service: REFERENCE_SERVER_IDENTITY,
      timestamp: new Date().toISOString(),
      services: { tenant: service(status), wallet: service(status), register: service(status), validator: service(status) },
    });
  });

  app.get('/metrics', async (_request, reply) => reply.type(ctx.metrics.contentType).send(await ctx.metrics.render()));
}
