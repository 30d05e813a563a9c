// HS256 JSON Web Tokens, hand-rolled on node:crypto (a dozen lines; no dependency needed).
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface TokenClaims {
  sub: string;
  email: string;
  name: string;
  org_id: string;
  org_name: string;
  token_type: 'user' | 'service';
  roles: string[];
  /** "access" or "refresh": a refresh token is never accepted as a Bearer token and vice versa. */
  use: 'access' | 'refresh';
  iat: number;
  exp: number;
  jti: string;
  iss: string;
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

export function signJwt(claims: TokenClaims, secret: Buffer): string {
  const body = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

export type JwtCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: string };

export function verifyJwt(token: string, secret: Buffer, nowSeconds: number): JwtCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'token is not a JWT (expected three dot-separated parts)' };
  const [header, payload, signature] = parts as [string, string, string];
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'token signature is invalid' };
  let parsedHeader: unknown;
  let claims: unknown;
  try {
    parsedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'token is not valid JSON' };
  }
  if ((parsedHeader as { alg?: unknown })?.alg !== 'HS256') return { ok: false, reason: 'token algorithm must be HS256' };
  const c = claims as Partial<TokenClaims>;
  if (typeof c !== 'object' || c === null || typeof c.sub !== 'string' || typeof c.org_id !== 'string' || typeof c.exp !== 'number' || !Array.isArray(c.roles)) {
    return { ok: false, reason: 'token claims are incomplete' };
  }
  if (c.exp <= nowSeconds) return { ok: false, reason: 'token has expired' };
  return { ok: true, claims: c as TokenClaims };
}
