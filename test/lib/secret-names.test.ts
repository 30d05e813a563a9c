// The one secret-name rule: what the runner redacts from run.json and a plan may not contain.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSecretName, withoutSecrets } from '../../lib/shared/secret-names.ts';

describe('secret names', () => {
  it('treats every credential-looking name as secret, whatever the case', () => {
    for (const name of ['ADMIN_PASSWORD', 'TARGET_JWT_SECRET', 'TOKEN', 'api_key', 'APIKEY', 'SIGNING_KEY', 'CLIENT_CREDENTIALS', 'WALLET_PASSPHRASE']) {
      assert.equal(isSecretName(name), true, name);
    }
  });
  it('keeps the knobs a run is described by', () => {
    for (const name of ['BASE_URL', 'PROFILE', 'VUS_SCALE', 'ADMIN_EMAIL', 'SIGNING', 'THRESHOLDS', 'MIX']) assert.equal(isSecretName(name), false, name);
  });
  it('withoutSecrets drops secret-named entries only', () => {
    assert.deepEqual(withoutSecrets({ BASE_URL: 'http://127.0.0.1:5380', ADMIN_PASSWORD: 'x', API_KEY: 'y' }), { BASE_URL: 'http://127.0.0.1:5380' });
  });
});
