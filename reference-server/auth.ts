// Bearer authentication and the role rule of the validator. Verified tokens are cached so the
// hot path does not repeat the signature check and JSON parsing on every request of a load test.
import type { FastifyRequest } from 'fastify';
import type { Context } from './context.ts';
import { AuthError } from './errors.ts';
import { type JwtCheck, type TokenClaims, verifyJwt } from './jwt.ts';

const CACHE_LIMIT = 10_000;
/**
 * Verifications by token, cached as promises: a burst of requests carrying a token not seen yet
 * (a load test's first second) shares one verification instead of starting one each.
 */
const caches = new WeakMap<Context, Map<string, Promise<JwtCheck>>>();

/** One cache per server (its own secret): servers started in one process never share tokens. */
function cacheOf(ctx: Context): Map<string, Promise<JwtCheck>> {
  let cache = caches.get(ctx);
  if (cache === undefined) caches.set(ctx, (cache = new Map()));
  return cache;
}

export async function authenticate(ctx: Context, request: FastifyRequest): Promise<TokenClaims> {
  const header = request.headers.authorization;
  if (header === undefined || header === '') throw new AuthError(401, 'Unauthorized', 'Missing Authorization header; send "Authorization: Bearer <access_token>" from POST /api/service-auth/token.');
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (m === null) throw new AuthError(401, 'Unauthorized', 'Authorization header must be "Bearer <access_token>".');
  const token = m[1]!;
  const nowSeconds = Math.floor(Date.now() / 1000);
  const cache = cacheOf(ctx);
  let pending = cache.get(token);
  if (pending === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    pending = verifyJwt(token, ctx.jwtSecret, nowSeconds);
    cache.set(token, pending);
  }
  const check = await pending;
  if (!check.ok) {
    // Only good tokens stay cached: a stream of forged ones must not fill the cache.
    cache.delete(token);
    throw new AuthError(401, 'Unauthorized', `Invalid bearer token: ${check.reason}.`);
  }
  const claims = check.claims;
  if (claims.use !== 'access') throw new AuthError(401, 'Unauthorized', 'Invalid bearer token: a refresh token cannot be used as an access token.');
  if (claims.exp <= nowSeconds) {
    cache.delete(token);
    throw new AuthError(401, 'Unauthorized', 'Invalid bearer token: token has expired.');
  }
  return claims;
}

/** Sorcha's validator accepts service tokens or users with the Administrator role. */
export function requireValidatorRole(claims: TokenClaims): void {
  if (claims.token_type !== 'service' && !claims.roles.includes('Administrator')) {
    throw new AuthError(403, 'Forbidden', 'Submitting transactions needs a service token (client_credentials) or a user with the Administrator role.');
  }
}
