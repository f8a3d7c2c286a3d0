import { hash as oneShotHash } from 'node:crypto';
import { canonicalBytes, canonicalJson } from '../jcs.js';
import { keyIdOf, signBytes, verifyBytes, type SigningKey } from '../ed25519.js';
import type { EntryBody, SignedEntry } from './schema.js';

/**
 * What a signer signs: a named, versioned domain string, then the RFC 8785 (JCS) bytes of the body.
 * The domain string keeps an entry signature from ever being valid as a checkpoint or rules signature.
 */
export const entrySignatureDomain = 'caisse-entry-v1\n';
const encoder = new TextEncoder();
const domainBytes = encoder.encode(entrySignatureDomain);

export function entrySigningMessage(body: EntryBody): Uint8Array {
  return signingMessageOfBodyBytes(canonicalBytes(body));
}

/** The same message from the body's JCS bytes, for a caller that already has them (the ledger). */
export function signingMessageOfBodyBytes(bodyJcs: Uint8Array): Uint8Array {
  const message = new Uint8Array(domainBytes.length + bodyJcs.length);
  message.set(domainBytes, 0);
  message.set(bodyJcs, domainBytes.length);
  return message;
}

/**
 * Signs the body's JCS and returns the body rebuilt from it: the same fields, its keys in JCS order at
 * every level, so that JSON.stringify of what is sent is already the canonical text and the ledger's
 * canonicalisation of it takes its fast path.
 */
export function signEntry(body: EntryBody, keys: readonly SigningKey[]): SignedEntry {
  if (keys.length === 0) throw new Error('an entry needs at least one signature');
  const bodyJcs = canonicalJson(body);
  const message = signingMessageOfBodyBytes(encoder.encode(bodyJcs));
  return {
    body: JSON.parse(bodyJcs) as EntryBody,
    signatures: keys.map((key) => ({
      keyId: keyIdOf(key.publicKey),
      signature: Buffer.from(signBytes(key, message)).toString('base64'),
    })),
  };
}

export function verifyEntrySignature(message: Uint8Array, publicKey: Uint8Array, signatureBase64: string): boolean {
  return verifyBytes(publicKey, message, Buffer.from(signatureBase64, 'base64'));
}

/** SHA-256 of the body's JCS bytes: how the ledger recognises the same request sent twice. */
export function entryBodyHash(body: EntryBody): Uint8Array {
  return bodyHashOfBodyBytes(canonicalBytes(body));
}

/** The same hash from the body's JCS bytes, for a caller that already has them (the ledger). */
export function bodyHashOfBodyBytes(bodyJcs: Uint8Array): Uint8Array {
  return new Uint8Array(oneShotHash('sha256', bodyJcs, 'buffer'));
}
