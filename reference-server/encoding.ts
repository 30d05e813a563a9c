// Strict decoders: Node's Buffer.from(x, 'base64') silently skips bad characters, which would
// hide client encoding bugs, so inputs are checked against the alphabet first.

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const HEX64 = /^[0-9a-fA-F]{64}$/;

/** Standard base64 (padded or not). Returns undefined when the text is not base64. */
export function decodeBase64(text: string): Buffer | undefined {
  if (!BASE64.test(text) || text.replace(/=+$/, '').length % 4 === 1) return undefined;
  return Buffer.from(text, 'base64');
}

/** base64url without padding, or standard base64 (Sorcha accepts both on signatures and keys). */
export function decodeBase64OrUrl(text: string): Buffer | undefined {
  const unpadded = text.replace(/=+$/, '');
  if (BASE64URL.test(unpadded) && unpadded.length % 4 !== 1) return Buffer.from(unpadded, 'base64url');
  return decodeBase64(text);
}

export function isHex64(text: string): boolean {
  return HEX64.test(text);
}

export function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}
