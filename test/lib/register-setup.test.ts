// The register set-up flow's rules, shared by the k6 set-up and the Node register client.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { bytesToBase64 } from '../../lib/shared/bytes.ts';
import { attestationSignRequest, bootstrapRequest, finalizeRegisterRequest, readInitiateResponse, readWalletSignature, signedAttestation } from '../../lib/shared/register-setup.ts';

describe('register set-up flow', () => {
  it('pure base64 matches Node for every padding case', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = randomBytes(n);
      assert.equal(bytesToBase64(bytes), bytes.toString('base64'), `${n} bytes`);
    }
  });

  it('an attestation is signed pre-hashed: its dataToSign hex goes to the wallet as the same 32 bytes', () => {
    const digest = randomBytes(32);
    const a = { attestationData: { role: 'Owner', subject: 'did:sorcha:w:ws1x' }, dataToSign: digest.toString('hex'), walletId: 'ws1x' };
    const r = attestationSignRequest(a);
    assert.equal(r.walletAddress, 'ws1x');
    assert.deepEqual(r.body, { transactionData: digest.toString('base64'), isPreHashed: true });
    assert.deepEqual(signedAttestation(a, { signature: 'c2ln', publicKey: 'cGs=' }), { attestationData: a.attestationData, publicKey: 'cGs=', signature: 'c2ln', algorithm: 'ED25519' });
  });

  it('finalize echoes the pending registration id and nonce', () => {
    const pending = readInitiateResponse({ registerId: 'r1', nonce: 'n1', attestationsToSign: [] })!;
    assert.deepEqual(finalizeRegisterRequest(pending, []), { registerId: 'r1', nonce: 'n1', signedAttestations: [] });
  });

  it('readers refuse answers that are not what the contract says', () => {
    assert.equal(readInitiateResponse({ registerId: 'r1' }), undefined);
    assert.equal(readInitiateResponse(undefined), undefined);
    assert.equal(readWalletSignature({ signature: 'x' }), undefined);
    assert.equal(readWalletSignature({ signature: '', publicKey: 'k' }), undefined);
  });

  it('bootstrap asks for a service principal only when one is named', () => {
    const c = { orgName: 'Org', orgSubdomain: 'org', adminEmail: 'a@b.c', adminName: 'A' };
    assert.equal(bootstrapRequest(c, 'P').createServicePrincipal, false);
    assert.deepEqual([bootstrapRequest(c, 'P', { servicePrincipalName: 'svc' }).createServicePrincipal, bootstrapRequest(c, 'P', { servicePrincipalName: 'svc' }).servicePrincipalName], [true, 'svc']);
  });
});
