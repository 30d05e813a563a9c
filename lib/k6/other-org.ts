// A second organisation with one register, for the error-handling workload's isolation cases
// (another organisation's register must answer 403 or 404). Created idempotently like the main
// world: bootstrap, or log in on 409. Its credentials derive from the run's own, so no extra
// secret is needed; the password is the admin password (never logged).
import type { RunConfig } from '../shared/config.ts';
import { resolveAdminPassword } from './credentials.ts';
import { randomHex } from './crypto.ts';
import { bootstrapOrLogin, checkHealth, clientFor, createRegister, createWallet } from './setup.ts';

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
  const { client, ep } = clientFor(config);
  const { password } = resolveAdminPassword(config, checkHealth(client, ep, config.loopback));
  const id = otherOrgIdentity(config.credentials);
  const { orgId, adminUserId, auth } = bootstrapOrLogin(client, ep, { ...id, adminPassword: password }, password);
  const address = createWallet(client, ep, auth.accessToken, `perf-other-${randomHex(3)}`);
  const register = createRegister(client, ep, auth.accessToken, orgId, adminUserId, address, `perf-other-${randomHex(3)}`);
  return { orgId, registerId: register.id };
}
