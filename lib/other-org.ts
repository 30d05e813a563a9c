// A second organisation with one register, for the error-handling workload's isolation cases
// (another organisation's register must answer 403 or 404). Created idempotently like the main
// world: bootstrap, or log in on 409. Its credentials derive from the run's own, so no extra
// secret is needed; the password is the admin password (never logged).
import { requestToken, authStateFor, decodeJwtClaims } from './auth.ts';
import type { RunConfig } from './config.ts';
import { createRegister, clientFor } from './setup.ts';
import { describeResponse, jsonBody, withRetries } from './http.ts';
import { randomHex } from './crypto.ts';

export interface OtherOrg {
  orgId: string;
  registerId: string;
}

/** Derived identity of the second organisation (subdomain, email) for a run's credentials. */
export function otherOrgIdentity(c: RunConfig['credentials']): { orgName: string; orgSubdomain: string; adminEmail: string; adminName: string } {
  const at = c.adminEmail.indexOf('@');
  return {
    orgName: `${c.orgName} Other`.slice(0, 100),
    orgSubdomain: `${c.orgSubdomain.slice(0, 44)}-other`,
    adminEmail: at > 0 ? `${c.adminEmail.slice(0, at)}+other${c.adminEmail.slice(at)}` : `other-${c.adminEmail}`,
    adminName: `${c.adminName} (other org)`,
  };
}

export function setupOtherOrg(config: RunConfig): OtherOrg {
  const password = config.credentials.adminPassword;
  if (password === undefined) throw new Error('the other-organisation cases need ADMIN_PASSWORD (or set OTHER_ORG=off)');
  const { client, ep } = clientFor(config);
  const id = otherOrgIdentity(config.credentials);
  const endpoint = ep.bootstrap();
  const res = withRetries(() =>
    client.call(
      'POST',
      endpoint,
      { organizationName: id.orgName, organizationSubdomain: id.orgSubdomain, adminEmail: id.adminEmail, adminName: id.adminName, adminPassword: password, createServicePrincipal: false },
      { expected: [201, 409] },
    ),
  );
  const boot = jsonBody<{ adminAccessToken?: string }>(res);
  let token: string;
  if (res.status === 201 && boot?.adminAccessToken) token = authStateFor(boot.adminAccessToken, '', Date.now()).accessToken;
  else if (res.status === 409) token = requestToken(client, ep, { grant_type: 'password', username: id.adminEmail, password }, Date.now()).accessToken;
  else throw new Error(`second organisation bootstrap failed: ${describeResponse(endpoint, res)}`);
  const claims = decodeJwtClaims(token);
  const orgId = String(claims.org_id ?? '');
  const userId = String(claims.sub ?? '');
  const walletRes = client.call('POST', ep.createWallet(), { name: `perf-other-${randomHex(3)}`, algorithm: 'ED25519', wordCount: 12 }, { token, expected: [201] });
  const address = jsonBody<{ wallet?: { address?: string } }>(walletRes)?.wallet?.address;
  if (!address) throw new Error(`second organisation wallet creation failed: ${describeResponse(ep.createWallet(), walletRes)}`);
  const register = createRegister(client, ep, token, orgId, userId, address, `perf-other-${randomHex(3)}`);
  return { orgId, registerId: register.id };
}
