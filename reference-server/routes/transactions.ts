// Transaction submission (validate -> verify -> group commit -> 200) and transaction reads.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { visibleRegister } from '../access.ts';
import { authenticate, requireValidatorRole } from '../auth.ts';
import type { Context } from '../context.ts';
import { ApiError, type TxError, TxRejected } from '../errors.ts';
import type { TransactionRow } from '../store.ts';
import { checkTransactionIntegrity, checkTransactionShape, TX_CODES } from '../transaction-rules.ts';

export function transactionJson(row: TransactionRow): Record<string, unknown> {
  const stored = JSON.parse(row.body) as Record<string, unknown>;
  return { ...stored, transactionId: row.tx_id, registerId: row.register_id, addedAt: row.added_at, docketNumber: row.docket_number };
}

export function transactionRoutes(app: FastifyInstance, ctx: Context): void {
  const reject = (status: number, errors: TxError[]): never => {
    for (const e of errors) ctx.metrics.countRejection(e.code);
    throw new TxRejected(status, errors);
  };

  async function validate(request: FastifyRequest) {
    const claims = await authenticate(ctx, request);
    requireValidatorRole(claims);
    const now = Date.now();
    const shape = checkTransactionShape(request.body, now);
    if (!shape.ok) return reject(400, shape.errors);
    const tx = shape.tx;
    const register = ctx.registers.get(tx.registerId);
    if (register === undefined) return reject(400, [{ code: TX_CODES.unknownRegister, field: 'registerId', message: `Register ${tx.registerId} does not exist.` }]);
    if (register.orgId !== claims.org_id) return reject(403, [{ code: TX_CODES.otherOrganisation, field: 'registerId', message: `Register ${tx.registerId} belongs to another organisation.` }]);
    const integrity = await checkTransactionIntegrity(tx, ctx.verifier);
    if (!integrity.ok) return reject(400, integrity.errors);
    const pendingCount = ctx.dockets.pending(register.id).length;
    if (pendingCount >= ctx.config.mempoolMax) {
      return {
        status: 409,
        body: { isValid: true, added: false, transactionId: tx.transactionId, registerId: register.id, message: `Memory pool full (${pendingCount} pending); retry after the next docket is sealed.` },
      };
    }
    const addedAt = new Date().toISOString();
    const inserted = await ctx.commits.submit(
      { registerId: register.id, txId: tx.transactionId, payloadHash: integrity.payloadHash, createdAtMs: tx.createdAtMs, addedAt, body: request.rawBodyText ?? JSON.stringify(request.body) },
      tx.priority,
    );
    if (!inserted) {
      return {
        status: 409,
        body: { isValid: true, added: false, transactionId: tx.transactionId, registerId: register.id, message: `Duplicate transaction: ${tx.transactionId} is already in register ${register.id}.` },
      };
    }
    return { status: 200, body: { isValid: true, added: true, transactionId: tx.transactionId, registerId: register.id, addedAt } };
  }

  const options = { config: { errorShape: 'tx' as const } };
  for (const path of ['/api/validator/transactions/validate', '/api/v1/transactions/validate']) {
    app.post(path, options, async (request, reply) => {
      const result = await validate(request);
      return reply.code(result.status).send(result.body);
    });
  }

  app.get<{ Params: { id: string; txId: string } }>('/api/registers/:id/transactions/:txId', async (request) => {
    const claims = await authenticate(ctx, request);
    const reg = visibleRegister(ctx, claims, request.params.id);
    const row = ctx.store.transaction(reg.id, request.params.txId.toLowerCase());
    if (row === undefined) throw new ApiError(404, 'Not Found', `Transaction ${request.params.txId} is not in register ${reg.id}.`);
    return transactionJson(row);
  });

  app.get<{ Params: { registerId: string } }>('/api/validator/transactions/mempool/:registerId', async (request) => {
    const claims = await authenticate(ctx, request);
    const reg = visibleRegister(ctx, claims, request.params.registerId);
    const pending = ctx.dockets.pending(reg.id);
    const byPriority = [0, 0, 0];
    for (const p of pending) byPriority[p.priority]!++;
    return {
      registerId: reg.id,
      totalTransactions: pending.length,
      highPriorityCount: byPriority[2],
      normalPriorityCount: byPriority[1],
      lowPriorityCount: byPriority[0],
      oldestTransactionAt: pending.length > 0 ? new Date(pending[0]!.addedAtMs).toISOString() : null,
      maxSize: ctx.config.mempoolMax,
      nextDocketNumber: ctx.dockets.height(reg.id),
    };
  });
}
