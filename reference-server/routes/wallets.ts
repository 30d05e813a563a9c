// Wallets: Ed25519 key pairs held by the reference server, addressed by Bech32 "ws1" addresses, and the
// sign endpoint (pure Ed25519 over the bytes when pre-hashed, over their SHA-256 otherwise).
import type { ErrorObject } from 'ajv';
import type { FastifyInstance } from 'fastify';
import { authenticate } from '../auth.ts';
import type { Context } from '../context.ts';
import { generateEd25519, signEd25519 } from '../ed25519.ts';
import { decodeBase64OrUrl } from '../encoding.ts';
import { ApiError } from '../errors.ts';
import { sha256Bytes } from '../hashing.ts';
import type { TokenClaims } from '../jwt.ts';
import { errorsMap } from '../schema-errors.ts';
import type { WalletRow } from '../store.ts';
import { mnemonicWords, walletAddress } from '../wallet-address.ts';

const createSchema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    algorithm: { type: 'string', enum: ['ED25519', 'ed25519'] },
    wordCount: { type: 'integer', enum: [12, 15, 18, 21, 24] },
    passphrase: { type: ['string', 'null'], maxLength: 256 },
    metadata: { type: ['object', 'null'], additionalProperties: { type: 'string' } },
  },
} as const;

const signSchema = {
  type: 'object',
  required: ['transactionData'],
  properties: {
    transactionData: { type: 'string', minLength: 1 },
    isPreHashed: { type: 'boolean' },
    derivationPath: { type: ['string', 'null'] },
  },
} as const;

function validationProblem(errors: ErrorObject[]): ApiError {
  return new ApiError(400, 'One or more validation errors occurred.', 'See errors for each invalid field.', { errors: errorsMap(errors) });
}

function walletJson(w: WalletRow) {
  return {
    address: w.address,
    name: w.name,
    publicKey: w.public_key.toString('base64'),
    algorithm: w.algorithm,
    status: 'Active',
    owner: w.owner,
    tenant: w.org_id,
    createdAt: w.created_at,
    updatedAt: w.created_at,
    metadata: JSON.parse(w.metadata) as Record<string, string>,
  };
}

/** 404 when unknown, 403 when it belongs to another organisation. */
function ownedWallet(ctx: Context, claims: TokenClaims, address: string): WalletRow {
  const w = ctx.store.walletByAddress(address);
  if (w === undefined) throw new ApiError(404, 'Not Found', `Wallet ${address} does not exist.`);
  if (w.org_id !== claims.org_id) throw new ApiError(403, 'Forbidden', `Wallet ${address} belongs to another organisation.`);
  return w;
}

export function walletRoutes(app: FastifyInstance, ctx: Context): void {
  app.post<{ Body: { name: string; wordCount?: number; metadata?: Record<string, string> | null } }>(
    '/api/v1/wallets',
    { schema: { body: createSchema }, attachValidation: true },
    async (request, reply) => {
      const claims = await authenticate(ctx, request);
      if (request.validationError) throw validationProblem(request.validationError.validation as ErrorObject[]);
      const keys = generateEd25519();
      const now = new Date().toISOString();
      const row: WalletRow = {
        address: walletAddress(keys.publicKey),
        org_id: claims.org_id,
        owner: claims.sub,
        name: request.body.name,
        public_key: keys.publicKey,
        private_key: keys.privateKeyDer,
        algorithm: 'ED25519',
        created_at: now,
        metadata: JSON.stringify(request.body.metadata ?? {}),
      };
      ctx.store.insertWallet(row);
      return reply
        .code(201)
        .header('location', `/api/v1/wallets/${row.address}`)
        .send({
          wallet: walletJson(row),
          mnemonicWords: mnemonicWords(keys.privateKeyDer, request.body.wordCount ?? 12),
          warning: 'These words are shown once. Note: the reference server derives them from the key for display only; they are not BIP-39 and cannot recover the wallet.',
        });
    },
  );

  app.get('/api/v1/wallets', async (request) => {
    const claims = await authenticate(ctx, request);
    return ctx.store.walletsOfOrg(claims.org_id).map(walletJson);
  });

  app.get<{ Params: { address: string } }>('/api/v1/wallets/:address', async (request) => {
    const claims = await authenticate(ctx, request);
    return walletJson(ownedWallet(ctx, claims, request.params.address));
  });

  app.post<{ Params: { address: string }; Body: { transactionData: string; isPreHashed?: boolean } }>(
    '/api/v1/wallets/:address/sign',
    { schema: { body: signSchema }, attachValidation: true },
    async (request) => {
      const claims = await authenticate(ctx, request);
      const wallet = ownedWallet(ctx, claims, request.params.address);
      if (request.validationError) throw validationProblem(request.validationError.validation as ErrorObject[]);
      const data = decodeBase64OrUrl(request.body.transactionData);
      if (data === undefined) {
        throw new ApiError(400, 'One or more validation errors occurred.', 'transactionData is not valid base64.', {
          errors: { transactionData: ['transactionData must be base64 (standard or URL-safe) encoded bytes.'] },
        });
      }
      const message = request.body.isPreHashed === true ? data : sha256Bytes(data);
      return {
        signature: signEd25519(wallet.private_key, message).toString('base64'),
        signedBy: wallet.address,
        signedAt: new Date().toISOString(),
        publicKey: wallet.public_key.toString('base64'),
      };
    },
  );
}
