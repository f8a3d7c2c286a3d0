import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Ed25519 through node:crypto, with parsed keys cached: re-parsing a public key on every verify halves the
 * verify rate. Keys and signatures are the raw RFC 8032 bytes (32-byte public key, 32-byte seed, 64-byte
 * signature), byte-compatible with tweetnacl and libsodium (whose 64-byte secret key is seed || public key).
 */
export const publicKeyBytes = 32;
export const seedBytes = 32;
export const signatureBytes = 64;

// DER prefixes of the SubjectPublicKeyInfo and PKCS#8 wrappers around a raw Ed25519 key (RFC 8410).
const spkiPrefix = Buffer.from('302a300506032b6570032100', 'hex');
const pkcs8Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');

/** Public keys seen by this process; bounded so that a flood of unknown keys cannot grow memory. */
const publicKeyCacheMax = 4096;
const publicKeyCache = new Map<string, KeyObject>();

export interface SigningKey {
  readonly seed: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly keyObject: KeyObject;
}

export function generateSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const seed = new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(pkcs8Prefix.length));
  const pub = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(spkiPrefix.length));
  return { seed, publicKey: pub, keyObject: privateKey };
}

export function signingKeyFromSeed(seed: Uint8Array): SigningKey {
  if (seed.length !== seedBytes) throw new Error(`an Ed25519 seed is ${seedBytes} bytes, got ${seed.length}`);
  const keyObject = createPrivateKey({ key: Buffer.concat([pkcs8Prefix, seed]), format: 'der', type: 'pkcs8' });
  const pub = createPublicKey(keyObject).export({ format: 'der', type: 'spki' }).subarray(spkiPrefix.length);
  return { seed: new Uint8Array(seed), publicKey: new Uint8Array(pub), keyObject };
}

export function publicKeyObject(publicKey: Uint8Array): KeyObject {
  const id = Buffer.from(publicKey).toString('base64');
  let key = publicKeyCache.get(id);
  if (key === undefined) {
    if (publicKey.length !== publicKeyBytes) throw new Error(`an Ed25519 public key is ${publicKeyBytes} bytes`);
    key = createPublicKey({ key: Buffer.concat([spkiPrefix, publicKey]), format: 'der', type: 'spki' });
    if (publicKeyCache.size >= publicKeyCacheMax) publicKeyCache.clear();
    publicKeyCache.set(id, key);
  }
  return key;
}

export function signBytes(key: SigningKey, message: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, message, key.keyObject));
}

/** False for a wrong signature and for malformed keys or signatures: callers treat both alike. */
export function verifyBytes(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== publicKeyBytes || signature.length !== signatureBytes) return false;
  try {
    return verify(null, message, publicKeyObject(publicKey), signature);
  } catch {
    return false;
  }
}

/**
 * The id under which the ledger's registry knows a key: hex of the first 8 bytes of SHA-256 of the raw
 * public key. Derived, never chosen, so one key cannot be registered under two ids.
 */
export function keyIdOf(publicKey: Uint8Array): string {
  return createHash('sha256').update(publicKey).digest('hex').slice(0, 16);
}
