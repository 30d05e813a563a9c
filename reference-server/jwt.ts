// HS256 JSON Web Tokens through jose, a well-kept JOSE library: it checks the signature in
// constant time, the algorithm allow-list and the expiry, cases a hand-written verifier has to
// get right by itself.
import { errors, jwtVerify, SignJWT } from 'jose';

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

export function signJwt(claims: TokenClaims, secret: Uint8Array): Promise<string> {
  return new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret);
}

export type JwtCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: string };

function reasonOf(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'token has expired';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'token signature is invalid';
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) return 'token algorithm must be HS256';
  if (err instanceof errors.JWTClaimValidationFailed) return `token claim "${err.claim}" is invalid`;
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return 'token is not a JWT (expected three dot-separated base64url parts with JSON inside)';
  return 'token cannot be verified';
}

export async function verifyJwt(token: string, secret: Uint8Array, nowSeconds: number): Promise<JwtCheck> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, secret, { algorithms: ['HS256'], currentDate: new Date(nowSeconds * 1000) }));
  } catch (err) {
    return { ok: false, reason: reasonOf(err) };
  }
  const c = payload as Partial<TokenClaims>;
  if (typeof c.sub !== 'string' || typeof c.org_id !== 'string' || typeof c.exp !== 'number' || !Array.isArray(c.roles)) {
    return { ok: false, reason: 'token claims are incomplete' };
  }
  return { ok: true, claims: c as TokenClaims };
}
