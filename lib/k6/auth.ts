// Tokens: obtaining them in setup, reading their claims, and refreshing them per VU before
// they expire so runs longer than a token's 60-minute life keep working.
import { base64DecodeText } from './crypto.ts';
import { describeResponse, jsonBody, type ApiClient } from './http.ts';
import type { Endpoints } from '../shared/endpoints.ts';

export interface AuthState {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms at which the access token was obtained and at which it expires. */
  issuedAtMs: number;
  expiresAtMs: number;
}

interface TokenResponse {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
}

/**
 * Refresh this long before expiry, so no request is sent with a token about to lapse: five
 * minutes, or a fifth of the token's life when tokens are short-lived.
 */
export function refreshMarginMs(auth: AuthState): number {
  return Math.min(5 * 60 * 1000, (auth.expiresAtMs - auth.issuedAtMs) / 5);
}

export function decodeJwtClaims(token: string): Record<string, unknown> {
  const part = token.split('.')[1];
  if (!part) throw new Error('access token is not a JWT (no payload part)');
  return JSON.parse(base64DecodeText(part, 'rawurl')) as Record<string, unknown>;
}

export function requestToken(client: ApiClient, ep: Endpoints, form: Record<string, string>, nowMs: number): AuthState {
  const endpoint = ep.token();
  const res = client.call('POST', endpoint, undefined, { form });
  const body = jsonBody<TokenResponse>(res);
  if (res.status !== 200 || !body?.access_token) {
    throw new Error(`token request (${form.grant_type}) failed: ${describeResponse(endpoint, res)}`);
  }
  return authStateFor(body.access_token, body.refresh_token ?? '', nowMs, body.expires_in);
}

/**
 * The token's own `exp` claim is the truth: `expires_in` is relative to when the server issued
 * it and `exp` is rounded down to whole seconds, so trusting `expires_in` can overshoot by ~1 s.
 */
export function authStateFor(accessToken: string, refreshToken: string, nowMs: number, expiresInSeconds = 3600): AuthState {
  const exp = decodeJwtClaims(accessToken).exp;
  return {
    accessToken,
    refreshToken,
    issuedAtMs: nowMs,
    expiresAtMs: typeof exp === 'number' ? exp * 1000 : nowMs + expiresInSeconds * 1000,
  };
}

/** Per-VU holder of the current token; `token()` refreshes it when it is close to expiry. */
export class Session {
  private state: AuthState;

  constructor(
    initial: AuthState,
    private readonly client: ApiClient,
    private readonly ep: Endpoints,
    private readonly now: () => number = Date.now,
  ) {
    this.state = { ...initial };
  }

  token(): string {
    if (this.now() >= this.state.expiresAtMs - refreshMarginMs(this.state)) this.refresh();
    return this.state.accessToken;
  }

  private refresh(): void {
    if (!this.state.refreshToken) throw new Error('access token is about to expire and no refresh token was issued');
    this.state = requestToken(this.client, this.ep, { grant_type: 'refresh_token', refresh_token: this.state.refreshToken }, this.now());
  }
}
