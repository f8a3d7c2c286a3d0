import { describe, expect, it } from 'vitest';
import { bitLength, ceilPowerOfTwo, isPowerOfTwo, popcount, shiftRight, splitPoint, trailingZeros, xor } from '../../ledger/merkle/tree-bits.js';

// Values across the 32-bit boundary, checked against BigInt arithmetic.
function samples(): number[] {
  const out = [0, 1, 2, 3, 5, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 52, 2 ** 53 - 1, 2 ** 53 - 2];
  let seed = 12345;
  for (let i = 0; i < 200; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    out.push(Math.floor((seed / 2 ** 31) * 2 ** (1 + (i % 53))));
  }
  return out;
}

describe('bit arithmetic on safe integers', () => {
  it('matches BigInt for bit length, trailing zeros, popcount, xor and shifts', () => {
    const all = samples();
    for (const n of all) {
      const b = BigInt(n);
      expect(bitLength(n)).toBe(b.toString(2).length - (n === 0 ? 1 : 0));
      expect(popcount(n)).toBe([...b.toString(2)].filter((c) => c === '1').length);
      if (n > 0) expect(trailingZeros(n)).toBe(b.toString(2).length - 1 - b.toString(2).lastIndexOf('1'));
      expect(shiftRight(n, 33)).toBe(Number(b >> 33n));
      for (const m of all.slice(0, 20)) expect(xor(n, m)).toBe(Number(b ^ BigInt(m)));
    }
  });

  it('finds the RFC 6962 split point and powers of two', () => {
    expect([2, 3, 4, 5, 8, 9].map(splitPoint)).toEqual([1, 2, 2, 4, 4, 8]);
    expect(splitPoint(2 ** 53 - 1)).toBe(2 ** 52);
    expect([1, 2, 3, 5, 8].map(ceilPowerOfTwo)).toEqual([1, 2, 4, 8, 8]);
    expect([0, 1, 2, 3, 4, 2 ** 40, 2 ** 40 + 1].map(isPowerOfTwo)).toEqual([false, true, true, false, true, true, false]);
  });

  it('refuses numbers that are not safe non-negative integers', () => {
    expect(() => bitLength(-1)).toThrow();
    expect(() => bitLength(0.5)).toThrow();
    expect(() => popcount(2 ** 53)).toThrow();
    expect(() => trailingZeros(0)).toThrow();
  });
});
