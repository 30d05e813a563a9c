// Issues access/refresh token pairs for users and service principals.
import { randomUUID } from 'node:crypto';
import type { Context } from './context.ts';
import { signJwt, type TokenClaims } from './jwt.ts';

export const REFRESH_TTL_SECONDS = 24 * 3600;
export const ISSUER = 'ledger-perf-reference-server';

export interface Subject {
  sub: string;
  email: string;
  name: string;
  orgId: string;
  orgName: string;
  tokenType: 'user' | 'service';
  roles: string[];
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

export async function issueTokens(ctx: Context, subject: Subject, scope = ''): Promise<TokenPair> {
  const now = Math.floor(Date.now() / 1000);
  const base = {
    sub: subject.sub,
    email: subject.email,
    name: subject.name,
    org_id: subject.orgId,
    org_name: subject.orgName,
    token_type: subject.tokenType,
    roles: subject.roles,
    iat: now,
    iss: ISSUER,
  };
  const access: TokenClaims = { ...base, use: 'access', exp: now + ctx.config.tokenTtlSeconds, jti: randomUUID() };
  const refresh: TokenClaims = { ...base, use: 'refresh', exp: now + REFRESH_TTL_SECONDS, jti: randomUUID() };
  const [accessToken, refreshToken] = await Promise.all([signJwt(access, ctx.jwtSecret), signJwt(refresh, ctx.jwtSecret)]);
  return {
    access_token: accessToken,
    refresh_token: refreshToken,
    token_type: 'Bearer',
    expires_in: ctx.config.tokenTtlSeconds,
    scope,
  };
}
