import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { signBytes, signingKeyFromSeed, verifyBytes } from '../../domain/ed25519.js';

/**
 * The ledger signs and verifies with node:crypto (bench/RESULTS.md says why); a browser or a small tool
 * uses tweetnacl, and sodium-native is the faster library the bench compares it with. All three must
 * agree: the same seed gives the same public key and the same signature (Ed25519 is deterministic),
 * and each verifies the others' signatures and refuses the same forgeries.
 */
interface SodiumNative {
  crypto_sign_verify_detached(signature: Buffer, message: Buffer, publicKey: Buffer): boolean;
}
const sodium = createRequire(import.meta.url)('sodium-native') as SodiumNative;

describe('Ed25519 across node:crypto, tweetnacl and sodium-native', () => {
  it('derives the same keys and signatures and verifies each other', () => {
    for (let i = 0; i < 50; i++) {
      const seed = randomBytes(32);
      const message = randomBytes(i * 37);
      const ours = signingKeyFromSeed(seed);
      const theirs = nacl.sign.keyPair.fromSeed(seed);
      expect(Buffer.from(ours.publicKey)).toEqual(Buffer.from(theirs.publicKey));
      const signature = signBytes(ours, message);
      expect(Buffer.from(signature)).toEqual(Buffer.from(nacl.sign.detached(message, theirs.secretKey)));
      expect(nacl.sign.detached.verify(message, signature, theirs.publicKey)).toBe(true);
      expect(sodium.crypto_sign_verify_detached(Buffer.from(signature), message, Buffer.from(ours.publicKey))).toBe(true);
      expect(verifyBytes(theirs.publicKey, message, nacl.sign.detached(message, theirs.secretKey))).toBe(true);
    }
  });

  it('refuses the same altered messages and signatures', () => {
    const key = signingKeyFromSeed(randomBytes(32));
    const message = Buffer.from('caisse-entry-v1\n{"amountCents":1250}');
    const signature = Buffer.from(signBytes(key, message));
    const altered = [
      { message: Buffer.from('caisse-entry-v1\n{"amountCents":1251}'), signature },
      { message, signature: Buffer.concat([signature.subarray(0, 63), Buffer.from([signature[63]! ^ 0x01])]) },
      { message, signature: Buffer.concat([Buffer.from([signature[0]! ^ 0x80]), signature.subarray(1)]) },
    ];
    for (const a of altered) {
      expect(verifyBytes(key.publicKey, a.message, a.signature)).toBe(false);
      expect(nacl.sign.detached.verify(a.message, a.signature, key.publicKey)).toBe(false);
      expect(sodium.crypto_sign_verify_detached(a.signature, a.message, Buffer.from(key.publicKey))).toBe(false);
    }
  });
});
