// Fault injection, off unless enabled by start flags: added latency, injected 503s and dropped
// connections on /api/* requests (health and metrics stay truthful so a harness can still watch).

import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import type { ReferenceServerConfig } from './config.ts';
import { problemBody } from './errors.ts';
import type { Metrics } from './metrics.ts';

export function faultsEnabled(c: ReferenceServerConfig): boolean {
  return c.faultLatencyMs > 0 || c.faultErrorRate > 0 || c.faultDropRate > 0;
}

export function installFaults(app: FastifyInstance, config: ReferenceServerConfig, metrics: Metrics, random: () => number = Math.random): void {
  if (!faultsEnabled(config)) return;
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return;
    if (config.faultLatencyMs > 0) await delay(config.faultLatencyMs);
    if (config.faultDropRate > 0 && random() < config.faultDropRate) {
      metrics.countFault('drop');
      reply.hijack();
      request.raw.socket.destroy();
      return;
    }
    if (config.faultErrorRate > 0 && random() < config.faultErrorRate) {
      metrics.countFault('error');
      return reply
        .code(503)
        .type('application/problem+json')
        .send(problemBody(503, 'Injected Fault', "This 503 was injected on purpose by the reference server's --fault-error-rate setting; it is not a real failure.", request.url.split('?')[0]!));
    }
  });
}
