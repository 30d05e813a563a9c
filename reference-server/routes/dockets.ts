// Docket reads. A docket exposes the contract's fields; its Merkle root is not a field (as in
// Sorcha), so a client verifies by recomputing it from /dockets/{n}/transactions.
import type { FastifyInstance } from 'fastify';
import { visibleRegister } from '../access.ts';
import { authenticate } from '../auth.ts';
import type { Context } from '../context.ts';
import { ApiError } from '../errors.ts';
import type { DocketRow } from '../store.ts';
import { transactionJson } from './transactions.ts';

export const DOCKET_STATE_SEALED = 4;

export function docketJson(d: DocketRow) {
  return {
    id: d.number,
    registerId: d.register_id,
    previousHash: d.previous_hash,
    hash: d.hash,
    transactionIds: JSON.parse(d.tx_ids) as string[],
    timeStamp: new Date(d.timestamp_ms).toISOString(),
    state: DOCKET_STATE_SEALED,
    metaData: null,
    votes: null,
  };
}

function docketNumber(text: string): number {
  if (!/^\d{1,15}$/.test(text)) throw new ApiError(400, 'Bad Request', `Docket number must be a non-negative integer (or "latest"); got ${JSON.stringify(text)}.`);
  return Number(text);
}

export function docketRoutes(app: FastifyInstance, ctx: Context): void {
  app.get<{ Params: { id: string } }>('/api/registers/:id/dockets', async (request) => {
    const reg = visibleRegister(ctx, await authenticate(ctx, request), request.params.id);
    return ctx.store.dockets(reg.id).map(docketJson);
  });

  app.get<{ Params: { id: string } }>('/api/registers/:id/dockets/latest', async (request) => {
    const reg = visibleRegister(ctx, await authenticate(ctx, request), request.params.id);
    const height = ctx.dockets.height(reg.id);
    if (height === 0) return null;
    return docketJson(ctx.store.docket(reg.id, height - 1)!);
  });

  app.get<{ Params: { id: string; n: string } }>('/api/registers/:id/dockets/:n', async (request) => {
    const reg = visibleRegister(ctx, await authenticate(ctx, request), request.params.id);
    const n = docketNumber(request.params.n);
    const d = ctx.store.docket(reg.id, n);
    if (d === undefined) throw new ApiError(404, 'Not Found', `Docket ${n} of register ${reg.id} does not exist (height ${ctx.dockets.height(reg.id)}).`);
    return docketJson(d);
  });

  app.get<{ Params: { id: string; n: string } }>('/api/registers/:id/dockets/:n/transactions', async (request) => {
    const reg = visibleRegister(ctx, await authenticate(ctx, request), request.params.id);
    const n = docketNumber(request.params.n);
    if (ctx.store.docket(reg.id, n) === undefined) throw new ApiError(404, 'Not Found', `Docket ${n} of register ${reg.id} does not exist.`);
    return ctx.store.transactionsOfDocket(reg.id, n).map(transactionJson);
  });
}
