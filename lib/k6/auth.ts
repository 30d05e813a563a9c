// Tokens: obtaining them, reading their claims, and refreshing them per VU before they expire
// so runs longer than a token's 60-minute life keep working. Tokens never leave the VU that
// obtained them: setup() returns none (what it returns is exported into summary.json), so each
// VU logs in itself on first use.

import type { Endpoints } from '../shared/endpoints.ts';
import { base64DecodeText } from './crypto.ts';
import { type ApiClient, describeResponse, jsonBody, retriesExhausted, withRetries } from './http.ts';

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
  // Retried like set-up calls (and counted in setup_retries): a token is the precondition of
  // the requests under test, not one of them.
  const res = withRetries(() => client.call('POST', endpoint, undefined, { form }), undefined, undefined, 'token');
  const body = jsonBody<TokenResponse>(res);
  if (res.status !== 200 || !body?.access_token) {
    throw new Error(`token request (${form.grant_type}) failed: ${describeResponse(endpoint, res)}${retriesExhausted(res)}`);
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

/**
 * Per-VU holder of the current token: `token()` logs in on first use (the `login` form: a
 * password grant), refreshes when the token is close to expiry, and logs in again when the
 * refresh is refused (a refresh token can expire or be revoked too).
 */
export class Session {
  private state: AuthState | undefined;

  constructor(
    private readonly login: () => Record<string, string>,
    private readonly client: ApiClient,
    private readonly ep: Endpoints,
    private readonly now: () => number = Date.now,
  ) {}

  token(): string {
    if (this.state === undefined) this.state = requestToken(this.client, this.ep, this.login(), this.now());
    else if (this.now() >= this.state.expiresAtMs - refreshMarginMs(this.state)) this.refresh(this.state);
    return this.state.accessToken;
  }

  private refresh(current: AuthState): void {
    if (current.refreshToken) {
      try {
        this.state = requestToken(this.client, this.ep, { grant_type: 'refresh_token', refresh_token: current.refreshToken }, this.now());
        return;
      } catch {
        // refused: fall back to a fresh login below
      }
    }
    this.state = requestToken(this.client, this.ep, this.login(), this.now());
  }
}
