import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { createRequire } from 'node:module';
import { generateSigningKey, publicKeyObject, signBytes } from '../domain/ed25519.js';

/**
 * Ed25519 verifications per second on one thread, by library. The message is the size of a typical
 * payment's signing message, so the hashing inside the verify is what the ledger pays.
 */
export const ed25519Libraries = ['node-cached', 'node-reparsed', 'sodium-native', 'tweetnacl'] as const;
export type Ed25519Library = (typeof ed25519Libraries)[number];

export const verifyMessageBytes = 700;

// DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), for the re-parsing case.
const spkiPrefix = Buffer.from('302a300506032b6570032100', 'hex');

interface SodiumNative {
  crypto_sign_verify_detached(signature: Buffer, message: Buffer, publicKey: Buffer): boolean;
}
interface TweetNacl {
  sign: { detached: { verify(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean } };
}

const require = createRequire(import.meta.url);

function verifier(lib: Ed25519Library): () => boolean {
  const key = generateSigningKey();
  const message = randomBytes(verifyMessageBytes);
  const signature = Buffer.from(signBytes(key, message));
  const pub = Buffer.from(key.publicKey);
  switch (lib) {
    case 'node-cached': {
      const keyObject = publicKeyObject(pub);
      return () => verify(null, message, keyObject, signature);
    }
    case 'node-reparsed': {
      const der = Buffer.concat([spkiPrefix, pub]);
      return () => verify(null, message, createPublicKey({ key: der, format: 'der', type: 'spki' }), signature);
    }
    case 'sodium-native': {
      const sodium = require('sodium-native') as SodiumNative;
      return () => sodium.crypto_sign_verify_detached(signature, message, pub);
    }
    case 'tweetnacl': {
      const nacl = require('tweetnacl') as TweetNacl;
      return () => nacl.sign.detached.verify(message, signature, pub);
    }
  }
}

/** Verifies for about `durationMs` and returns the verifications done and the time taken. */
export function measureVerifies(lib: Ed25519Library, durationMs: number): { count: number; elapsedMs: number } {
  const check = verifier(lib);
  for (let i = 0; i < 50; i++) if (!check()) throw new Error(`${lib}: a good signature did not verify`);
  let count = 0;
  const start = performance.now();
  let now = start;
  while (now - start < durationMs) {
    for (let i = 0; i < 20; i++) check();
    count += 20;
    now = performance.now();
  }
  return { count, elapsedMs: now - start };
}
