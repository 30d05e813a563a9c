// Two-phase register creation (initiate -> sign attestations -> finalize) and register reads.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { ErrorObject } from 'ajv';
import type { FastifyInstance } from 'fastify';
import { visibleRegister } from '../access.ts';
import { authenticate } from '../auth.ts';
import type { Context, PendingAttestation, PendingRegistration, RegisterInfo } from '../context.ts';
import { verifyEd25519 } from '../ed25519.ts';
import { decodeBase64OrUrl } from '../encoding.ts';
import { ApiError } from '../errors.ts';
import { type AttestationData, attestationDataToSign, docketHash, genesisTransactionId, leafHash, merkleRoot, payloadHash } from '../hashing.ts';
import { messageOf } from '../schema-errors.ts';
import type { RegisterRow } from '../store.ts';
import { publicKeyOfAddress } from '../wallet-address.ts';

export const PENDING_REGISTRATION_TTL_MS = 5 * 60 * 1000;

const party = {
  type: 'object',
  required: ['userId', 'walletId'],
  properties: { userId: { type: 'string', minLength: 1 }, walletId: { type: 'string', minLength: 1 } },
} as const;

const initiateSchema = {
  type: 'object',
  required: ['name', 'owners'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 38 },
    description: { type: ['string', 'null'], maxLength: 500 },
    tenantId: { type: ['string', 'null'] },
    owners: { type: 'array', minItems: 1, maxItems: 25, items: party },
    additionalAdmins: { type: ['array', 'null'], maxItems: 25, items: party },
    metadata: { type: ['object', 'null'], additionalProperties: { type: 'string' } },
    advertise: { type: 'boolean' },
    policy: {},
    registerId: { type: ['string', 'null'], pattern: '^[0-9a-fA-F]{32}$' },
  },
} as const;

const finalizeSchema = {
  type: 'object',
  required: ['registerId', 'nonce', 'signedAttestations'],
  properties: {
    registerId: { type: 'string', minLength: 1 },
    nonce: { type: 'string', minLength: 1 },
    signedAttestations: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['attestationData', 'publicKey', 'signature', 'algorithm'],
        properties: {
          attestationData: { type: 'object', required: ['role', 'subject'], properties: { role: { type: 'string' }, subject: { type: 'string' } } },
          publicKey: { type: 'string', minLength: 1 },
          signature: { type: 'string', minLength: 1 },
          algorithm: { type: 'string' },
        },
      },
    },
  },
} as const;

interface Party {
  userId: string;
  walletId: string;
}
interface InitiateBody {
  name: string;
  description?: string | null;
  tenantId?: string | null;
  owners: Party[];
  additionalAdmins?: Party[] | null;
  metadata?: Record<string, string> | null;
  advertise?: boolean;
  registerId?: string | null;
}
interface SignedAttestation {
  attestationData: { role: string; subject: string };
  publicKey: string;
  signature: string;
  algorithm: string;
}
interface FinalizeBody {
  registerId: string;
  nonce: string;
  signedAttestations: SignedAttestation[];
}

function invalid(errors: ErrorObject[] | undefined, fallback: string): ApiError {
  const details = errors === undefined ? fallback : errors.map((e) => messageOf(e)).join(' ');
  return new ApiError(400, 'Invalid request', details);
}

export function registerInfoJson(ctx: Context, r: RegisterInfo) {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    tenantId: r.orgId,
    height: ctx.dockets.height(r.id),
    status: 'Online',
    advertise: r.advertise,
    isFullReplica: true,
    metadata: r.metadata,
    createdAt: r.createdAt,
    updatedAt: r.createdAt,
  };
}

export function registerRoutes(app: FastifyInstance, ctx: Context): void {
  const config = { errorShape: 'register' as const };

  app.post<{ Body: InitiateBody }>('/api/registers/initiate', { schema: { body: initiateSchema }, attachValidation: true, config }, async (request) => {
    const claims = await authenticate(ctx, request);
    if (request.validationError) throw invalid(request.validationError.validation as ErrorObject[], 'invalid body');
    const b = request.body;
    if (b.tenantId != null && b.tenantId !== '' && b.tenantId !== claims.org_id) {
      throw new ApiError(403, 'Forbidden', `tenantId ${b.tenantId} is not your organisation (${claims.org_id}).`);
    }
    const registerId = (b.registerId ?? randomBytes(16).toString('hex')).toLowerCase();
    if (ctx.registers.has(registerId)) throw new ApiError(409, 'Register already exists', `Register ${registerId} already exists; omit registerId to get a new one.`);
    const grantedAt = new Date().toISOString();
    const attestations = new Map<string, PendingAttestation>();
    const parties = [...b.owners.map((p) => ({ ...p, role: 'Owner' })), ...(b.additionalAdmins ?? []).map((p) => ({ ...p, role: 'Admin' }))];
    for (const p of parties) {
      if (publicKeyOfAddress(p.walletId) === undefined) {
        throw new ApiError(400, 'Invalid owner', `walletId ${JSON.stringify(p.walletId)} of user ${p.userId} is not an ED25519 wallet address (Bech32, prefix "ws1").`);
      }
      const attestationData: AttestationData = { role: p.role, subject: `did:sorcha:w:${p.walletId}`, registerId, registerName: b.name, grantedAt };
      const key = `${p.role}:${attestationData.subject}`;
      if (attestations.has(key)) throw new ApiError(400, 'Invalid owner', `wallet ${p.walletId} is listed twice as ${p.role}.`);
      attestations.set(key, { userId: p.userId, walletAddress: p.walletId, attestationData, digest: Buffer.from(attestationDataToSign(attestationData), 'hex') });
    }
    pruneExpired(ctx);
    const pending: PendingRegistration = {
      registerId,
      orgId: claims.org_id,
      initiatedBy: claims.sub,
      name: b.name,
      description: b.description ?? null,
      advertise: b.advertise ?? false,
      metadata: b.metadata ?? {},
      nonce: randomBytes(32).toString('base64url'),
      expiresAtMs: Date.now() + PENDING_REGISTRATION_TTL_MS,
      attestations,
    };
    ctx.pendingRegistrations.set(registerId, pending);
    return {
      registerId,
      attestationsToSign: [...attestations.values()].map((a) => ({
        userId: a.userId,
        walletId: a.walletAddress,
        role: a.attestationData.role,
        attestationData: a.attestationData,
        dataToSign: a.digest.toString('hex'),
      })),
      expiresAt: new Date(pending.expiresAtMs).toISOString(),
      nonce: pending.nonce,
    };
  });

  app.post<{ Body: FinalizeBody }>('/api/registers/finalize', { schema: { body: finalizeSchema }, attachValidation: true, config }, async (request, reply) => {
    const claims = await authenticate(ctx, request);
    if (request.validationError) throw invalid(request.validationError.validation as ErrorObject[], 'invalid body');
    const b = request.body;
    const pending = ctx.pendingRegistrations.get(b.registerId);
    if (pending === undefined || pending.orgId !== claims.org_id) {
      throw new ApiError(
        404,
        'Pending registration not found',
        `No pending registration ${b.registerId} for your organisation; call /api/registers/initiate (a registration is consumed by its first finalize attempt).`,
      );
    }
    // Consumed by the first attempt, whatever its outcome.
    ctx.pendingRegistrations.delete(b.registerId);
    if (Date.now() > pending.expiresAtMs) throw new ApiError(408, 'Registration expired', `The registration expired at ${new Date(pending.expiresAtMs).toISOString()}; initiate again.`);
    if (!sameText(b.nonce, pending.nonce)) throw new ApiError(401, 'Nonce mismatch', 'nonce does not match the one returned by initiate.');
    const signed = new Map<string, SignedAttestation>();
    for (const [i, s] of b.signedAttestations.entries()) {
      const key = `${s.attestationData.role}:${s.attestationData.subject}`;
      const expected = pending.attestations.get(key);
      if (expected === undefined) throw new ApiError(400, 'Unknown attestation', `signedAttestations[${i}] (${key}) was not issued by initiate.`);
      if (s.algorithm.toUpperCase() !== 'ED25519') throw new ApiError(400, 'Unsupported algorithm', `signedAttestations[${i}].algorithm must be ED25519; got ${JSON.stringify(s.algorithm)}.`);
      const publicKey = decodeBase64OrUrl(s.publicKey);
      if (publicKey === undefined || publicKey.length !== 32) throw new ApiError(400, 'Bad encoding', `signedAttestations[${i}].publicKey must be base64 of 32 bytes.`);
      const signature = decodeBase64OrUrl(s.signature);
      if (signature === undefined || signature.length !== 64) throw new ApiError(400, 'Bad encoding', `signedAttestations[${i}].signature must be base64 or base64url of 64 bytes.`);
      if (!publicKey.equals(publicKeyOfAddress(expected.walletAddress)!)) {
        throw new ApiError(401, 'Invalid signature', `signedAttestations[${i}].publicKey is not the key of wallet ${expected.walletAddress}.`);
      }
      if (!verifyEd25519(publicKey, expected.digest, signature)) {
        throw new ApiError(401, 'Invalid signature', `signedAttestations[${i}] signature does not verify over the dataToSign bytes (sign the 32 bytes of dataToSign with isPreHashed true).`);
      }
      signed.set(key, s);
    }
    for (const key of pending.attestations.keys()) {
      if (!signed.has(key)) throw new ApiError(400, 'Missing attestation', `Attestation ${key} was not signed.`);
    }
    if (ctx.registers.has(pending.registerId)) throw new ApiError(409, 'Register already exists', `Register ${pending.registerId} already exists.`);
    const info = createRegister(ctx, pending, signed);
    return reply.code(201).send({
      registerId: info.id,
      status: 'created',
      genesisTransactionId: genesisTransactionId(info.id),
      genesisDocketId: '0',
      createdAt: info.createdAt,
    });
  });

  app.get('/api/registers', async (request) => {
    const claims = await authenticate(ctx, request);
    return [...ctx.registers.values()].filter((r) => r.orgId === claims.org_id).map((r) => registerInfoJson(ctx, r));
  });

  app.get<{ Params: { id: string } }>('/api/registers/:id', async (request) => {
    const claims = await authenticate(ctx, request);
    return registerInfoJson(ctx, visibleRegister(ctx, claims, request.params.id));
  });
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function pruneExpired(ctx: Context): void {
  const now = Date.now();
  for (const [id, p] of ctx.pendingRegistrations) if (p.expiresAtMs < now - PENDING_REGISTRATION_TTL_MS) ctx.pendingRegistrations.delete(id);
}

/** Stores the register with its genesis transaction and genesis docket 0 in one SQLite transaction. */
function createRegister(ctx: Context, p: PendingRegistration, signed: Map<string, SignedAttestation>): RegisterInfo {
  const now = Date.now();
  const createdAt = new Date(now).toISOString();
  const owners = [...p.attestations.entries()].map(([key, a]) => ({
    userId: a.userId,
    walletId: a.walletAddress,
    role: a.attestationData.role,
    attestationData: a.attestationData,
    publicKey: signed.get(key)!.publicKey,
    signature: signed.get(key)!.signature,
  }));
  const payload = { type: 'Genesis', registerId: p.registerId, registerName: p.name, attestations: owners };
  const txId = genesisTransactionId(p.registerId);
  const hash = payloadHash(payload);
  const body = JSON.stringify({
    transactionId: txId,
    registerId: p.registerId,
    blueprintId: 'genesis',
    actionId: 'genesis',
    payload,
    payloadHash: hash,
    signatures: [],
    createdAt,
  });
  const root = merkleRoot([leafHash(txId, hash, now)]);
  const dHash = docketHash({ registerId: p.registerId, docketNumber: 0, previousHash: null, merkleRoot: root, timestampMs: now });
  const row: RegisterRow = {
    id: p.registerId,
    org_id: p.orgId,
    name: p.name,
    description: p.description,
    advertise: p.advertise ? 1 : 0,
    metadata: JSON.stringify(p.metadata),
    owners: JSON.stringify(owners.map((o) => ({ userId: o.userId, walletId: o.walletId, role: o.role }))),
    created_at: createdAt,
  };
  ctx.store.createRegister(
    row,
    { registerId: p.registerId, txId, payloadHash: hash, createdAtMs: now, addedAt: createdAt, body },
    { register_id: p.registerId, number: 0, previous_hash: null, hash: dHash, merkle_root: root, timestamp_ms: now, tx_ids: JSON.stringify([txId]) },
  );
  const info: RegisterInfo = { id: p.registerId, orgId: p.orgId, name: p.name, description: p.description, advertise: p.advertise, metadata: p.metadata, createdAt };
  ctx.registers.set(info.id, info);
  ctx.dockets.addRegister(info.id, dHash, now);
  ctx.metrics.countDocketSealed();
  return info;
}

export function registerInfoFromRow(r: RegisterRow): RegisterInfo {
  return { id: r.id, orgId: r.org_id, name: r.name, description: r.description, advertise: r.advertise === 1, metadata: JSON.parse(r.metadata) as Record<string, string>, createdAt: r.created_at };
}
