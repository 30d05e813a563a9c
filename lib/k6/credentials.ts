// Where the admin password comes from, in one order for setup and every VU: ADMIN_PASSWORD,
// then the k6 secret source's `admin_password`, then (only when setup saw the project's own
// reference server identify itself) the documented local default. Explicit credentials always
// win; a loopback address alone never earns the default (a port-forward is loopback too).
import secrets from 'k6/secrets';
import { LOCAL_REFERENCE_SERVER_DEFAULTS, type RunConfig } from '../shared/config.ts';

let fromSecretSource: string | undefined;
// k6 settles this promise before the init context ends (checked in test/lib/k6-credentials),
// so the sync default functions can read the value without an async login.
secrets.get('admin_password').then(
  (value) => {
    fromSecretSource = value;
  },
  () => undefined, // no secret source, or no such key: the other sources apply
);

export type PasswordSource = 'env' | 'secret-source' | 'local-default';

export function resolveAdminPassword(config: RunConfig, localReferenceServer: boolean): { password: string; source: PasswordSource } {
  if (config.credentials.adminPassword !== undefined) return { password: config.credentials.adminPassword, source: 'env' };
  if (fromSecretSource !== undefined && fromSecretSource !== '') return { password: fromSecretSource, source: 'secret-source' };
  if (localReferenceServer) return { password: LOCAL_REFERENCE_SERVER_DEFAULTS.adminPassword, source: 'local-default' };
  throw new Error(
    'no admin password: set ADMIN_PASSWORD, or give k6 a secret source with the key admin_password (e.g. --secret-source=file=secrets.txt). ' +
      'The documented default applies only to the ledger-perf reference server, which identifies itself on /health.',
  );
}
