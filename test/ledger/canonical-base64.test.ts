import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCanonicalBase64 } from '../../domain/base64.js';
import { signatureSchema, base64Sha256Schema } from '../../domain/entry/schema.js';

/** Fixed bytes (tests are reproducible): SHA-512 of a label, cut to `bytes`. */
function bytesOf(label: string, bytes: number): Buffer {
  return createHash('sha512').update(label).digest().subarray(0, bytes);
}

/** What the check replaces: decode, encode again, compare (for a text of the right length). */
function roundTrips(text: string, bytes: number): boolean {
  const decoded = Buffer.from(text, 'base64');
  return decoded.length === bytes && decoded.toString('base64') === text;
}

/** Texts near the canonical one: a digit of the alphabet or not, padding moved, bits flipped. */
const nearBase64 = (bytes: number) =>
  fc.tuple(fc.uint8Array({ minLength: bytes, maxLength: bytes }), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...'AQgw/+=-_ .\u00e9Z9'.split(''))), { maxLength: 3 })).map(([raw, edits]) => {
    const chars = Buffer.from(raw).toString('base64').split('');
    for (const [at, ch] of edits) chars[at % chars.length] = ch;
    return chars.join('');
  });

describe('canonical base64', () => {
  it('agrees with decoding and encoding again, for 32 and 64 bytes and every remainder', () => {
    for (const bytes of [1, 2, 3, 32, 64]) {
      fc.assert(
        fc.property(nearBase64(bytes), (text) => {
          expect(isCanonicalBase64(text, bytes)).toBe(roundTrips(text, bytes));
        }),
        { numRuns: 3000 },
      );
    }
  });

  it('refuses a signature whose unused low bits are set, which decodes to the same bytes', () => {
    const good = bytesOf('signature', 64).toString('base64');
    expect(isCanonicalBase64(good, 64)).toBe(true);
    const lastDigit = good.length - 3;
    // 64 bytes leave 4 unused bits in the last digit: 'A' (0) with bit 0 set is 'B'.
    const base = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const value = base.indexOf(good.charAt(lastDigit));
    const padded = good.slice(0, lastDigit) + base.charAt(value | 1) + '==';
    expect(Buffer.from(padded, 'base64').equals(Buffer.from(good, 'base64'))).toBe(true);
    expect(isCanonicalBase64(padded, 64)).toBe(false);
    expect(signatureSchema.safeParse(padded).success).toBe(false);
    expect(signatureSchema.safeParse(good).success).toBe(true);
  });

  it('refuses wrong lengths, missing or misplaced padding, and URL-safe digits', () => {
    const hash = bytesOf('hash', 32).toString('base64');
    expect(base64Sha256Schema.safeParse(hash).success).toBe(true);
    for (const bad of [hash.slice(0, -1), `${hash}=`, `${hash.slice(0, -1)}A`, `=${hash.slice(1)}`, hash.replace(/[+/]/g, '-').replace(/^[A-Za-z0-9]/, '_')]) {
      expect(isCanonicalBase64(bad, 32)).toBe(roundTrips(bad, 32));
      expect(isCanonicalBase64(bad, 32)).toBe(false);
    }
  });
});
