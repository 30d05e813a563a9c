// Ed25519 through node:crypto (OpenSSL), with KeyObjects cached per public key because building
// one from raw bytes costs more than the verification itself on the hot path.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const CACHE_LIMIT = 10_000;
const publicKeys = new Map<string, KeyObject>();

export interface Ed25519KeyPair {
  publicKey: Buffer; // raw 32 bytes
  privateKeyDer: Buffer; // PKCS#8 DER
}

export function generateEd25519(): Ed25519KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return { publicKey: spki.subarray(spki.length - 32), privateKeyDer: privateKey.export({ format: 'der', type: 'pkcs8' }) };
}

export function publicKeyObject(raw: Uint8Array): KeyObject {
  const id = Buffer.from(raw).toString('base64');
  let key = publicKeys.get(id);
  if (key === undefined) {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
    if (publicKeys.size >= CACHE_LIMIT) publicKeys.clear();
    publicKeys.set(id, key);
  }
  return key;
}

/** Pure Ed25519 verification of `message` (no pre-hashing by this function). */
export function verifyEd25519(publicKeyRaw: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKeyRaw.length !== 32 || signature.length !== 64) return false;
  try {
    return verify(null, message, publicKeyObject(publicKeyRaw), signature);
  } catch {
    return false; // e.g. bytes that are not a valid curve point
  }
}

export function signEd25519(privateKeyDer: Uint8Array, message: Uint8Array): Buffer {
  return sign(null, message, createPrivateKey({ key: Buffer.from(privateKeyDer), format: 'der', type: 'pkcs8' }));
}
