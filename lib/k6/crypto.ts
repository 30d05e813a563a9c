// Hashing and randomness inside k6, backed by k6's native (Go) implementations: SHA-256 of a
// 1 MB payload costs ~5 ms natively versus far more in interpreted JavaScript.
import k6crypto from 'k6/crypto';
import encoding from 'k6/encoding';
import { bytesToHex } from '../shared/bytes.ts';

export function sha256Hex(data: string | ArrayBuffer): string {
  return k6crypto.sha256(data, 'hex');
}

export function sha256Bytes(data: string | ArrayBuffer): Uint8Array {
  return new Uint8Array(k6crypto.sha256(data, 'binary'));
}

export function randomHex(byteCount: number): string {
  return bytesToHex(new Uint8Array(k6crypto.randomBytes(byteCount)));
}

export function base64(bytes: Uint8Array, variant: 'std' | 'rawurl' = 'std'): string {
  // k6's b64encode takes an ArrayBuffer; slice so a view into a larger buffer encodes only itself.
  return encoding.b64encode(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, variant);
}

export function base64DecodeText(text: string, variant: 'std' | 'rawurl'): string {
  return encoding.b64decode(text, variant, 's');
}
