/**
 * Bit arithmetic on tree sizes and leaf indices. They are JavaScript numbers up to 2^53 - 1, past the
 * 32 bits that the `>>`, `^` and `&` operators handle, so each helper splits a number into its high
 * and low 32-bit halves. Every argument must be a non-negative safe integer (asserted).
 */
const two32 = 2 ** 32;

function assertNatural(n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`expected a non-negative safe integer, got ${n}`);
}

function high(n: number): number {
  return Math.floor(n / two32);
}

function low(n: number): number {
  return n >>> 0;
}

/** Number of bits needed to write n: 0 for 0, 1 for 1, 3 for 5. */
export function bitLength(n: number): number {
  assertNatural(n);
  const h = high(n);
  return h > 0 ? 64 - Math.clz32(h) : 32 - Math.clz32(low(n));
}

/** Number of trailing zero bits of n > 0 (the level of the largest perfect subtree ending at n). */
export function trailingZeros(n: number): number {
  assertNatural(n);
  if (n === 0) throw new Error('trailingZeros(0) is undefined');
  const l = low(n);
  if (l !== 0) return 31 - Math.clz32(l & -l);
  const h = high(n);
  return 32 + 31 - Math.clz32(h & -h);
}

function popcount32(x: number): number {
  let count = 0;
  for (let v = x >>> 0; v !== 0; v = (v & (v - 1)) >>> 0) count++;
  return count;
}

/** Number of set bits of n. */
export function popcount(n: number): number {
  assertNatural(n);
  return popcount32(high(n)) + popcount32(low(n));
}

/** a XOR b. */
export function xor(a: number, b: number): number {
  assertNatural(a);
  assertNatural(b);
  return ((high(a) ^ high(b)) >>> 0) * two32 + ((low(a) ^ low(b)) >>> 0);
}

/** floor(n / 2^k). */
export function shiftRight(n: number, k: number): number {
  return Math.floor(n / 2 ** k);
}

export function isPowerOfTwo(n: number): boolean {
  return n > 0 && popcount(n) === 1;
}

/** The largest power of two strictly below n >= 2: RFC 6962's split point k, with k < n <= 2k. */
export function splitPoint(n: number): number {
  if (n < 2) throw new Error(`splitPoint needs n >= 2, got ${n}`);
  return 2 ** (bitLength(n - 1) - 1);
}

/** The smallest power of two at or above n >= 1. */
export function ceilPowerOfTwo(n: number): number {
  if (n < 1) throw new Error(`ceilPowerOfTwo needs n >= 1, got ${n}`);
  return 2 ** bitLength(n - 1);
}
