// Wallet addresses and recovery words.
// Address: Bech32 (BIP-173) with human-readable part "ws1" (so addresses start "ws11"), data =
// network byte 0x00 (ED25519) + 32-byte public key: 63 characters, under Bech32's 90 limit.
import { bech32 } from 'bech32';
import { sha256Bytes } from './hashing.ts';

export const ADDRESS_HRP = 'ws1';
const ED25519_NETWORK_BYTE = 0x00;

export function walletAddress(publicKey: Uint8Array): string {
  return bech32.encode(ADDRESS_HRP, bech32.toWords(Buffer.concat([Buffer.of(ED25519_NETWORK_BYTE), publicKey])));
}

/** The raw public key an address encodes, or undefined when it is not a valid ED25519 ws1 address. */
export function publicKeyOfAddress(address: string): Buffer | undefined {
  const decoded = bech32.decodeUnsafe(address);
  if (decoded === undefined || decoded.prefix !== ADDRESS_HRP) return undefined;
  const bytes = bech32.fromWordsUnsafe(decoded.words);
  if (bytes === undefined || bytes.length !== 33 || bytes[0] !== ED25519_NETWORK_BYTE) return undefined;
  return Buffer.from(bytes.slice(1));
}

// 16 syllables squared = 256 pronounceable words, one per byte. This is NOT BIP-39: the words are
// only returned because the contract has the field; nothing in the reference server recovers keys from them.
const SYLLABLES = ['ba', 'de', 'fi', 'go', 'ku', 'la', 'me', 'ni', 'po', 'ru', 'sa', 'te', 'vi', 'wo', 'xu', 'zy'];

export function mnemonicWords(privateKeyDer: Uint8Array, count = 12): string[] {
  const digest = sha256Bytes(privateKeyDer);
  const words: string[] = [];
  for (let i = 0; i < count; i++) {
    const b = digest[i % digest.length]!;
    words.push(SYLLABLES[b >> 4]! + SYLLABLES[b & 15]!);
  }
  return words;
}
