import { createHash } from 'node:crypto';

/**
 * A slow, obviously correct Merkle tree, written from the text of RFC 6962 section 2.1 and RFC 9162
 * section 2.1.4.1, to check the fast code against. It hashes with node:crypto directly (not
 * ledger/merkle/rfc6962.ts) so that a mistake there is not copied here. MTH results are memoised per
 * leaf range: MTH(D[begin:end]) does not depend on the size of the tree that contains it.
 */
function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return new Uint8Array(h.digest());
}

/** The largest power of two smaller than n (n > 1), found by doubling, as the RFC words it. */
function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export class ReferenceTree {
  readonly #leaves: (index: number) => Uint8Array;
  readonly #memo = new Map<string, Uint8Array>();

  /** `leaves(i)` is the data of leaf i. */
  constructor(leaves: (index: number) => Uint8Array) {
    this.#leaves = leaves;
  }

  leafHash(index: number): Uint8Array {
    return sha256(Uint8Array.of(0), this.#leaves(index));
  }

  /** MTH(D[begin:end]) by the RFC's recursive definition. */
  mth(begin: number, end: number): Uint8Array {
    const n = end - begin;
    if (n === 0) return sha256();
    if (n === 1) return this.leafHash(begin);
    const key = `${begin}:${end}`;
    const known = this.#memo.get(key);
    if (known) return known;
    const k = largestPowerOfTwoBelow(n);
    const hash = sha256(Uint8Array.of(1), this.mth(begin, begin + k), this.mth(begin + k, end));
    this.#memo.set(key, hash);
    return hash;
  }

  root(size: number): Uint8Array {
    return this.mth(0, size);
  }

  /** PATH(m, D[begin:end]) of RFC 6962 section 2.1.1. */
  path(m: number, begin: number, end: number): Uint8Array[] {
    const n = end - begin;
    if (n === 1) return [];
    const k = largestPowerOfTwoBelow(n);
    if (m < k) return [...this.path(m, begin, begin + k), this.mth(begin + k, end)];
    return [...this.path(m - k, begin + k, end), this.mth(begin, begin + k)];
  }

  inclusionProof(index: number, size: number): Uint8Array[] {
    return this.path(index, 0, size);
  }

  /** SUBPROOF(m, D[begin:end], b) of RFC 6962 section 2.1.2 / RFC 9162 section 2.1.4.1. */
  subproof(m: number, begin: number, end: number, b: boolean): Uint8Array[] {
    const n = end - begin;
    if (m === n) return b ? [] : [this.mth(begin, end)];
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) return [...this.subproof(m, begin, begin + k, b), this.mth(begin + k, end)];
    return [...this.subproof(m - k, begin + k, end, false), this.mth(begin, begin + k)];
  }

  /** PROOF(m, D[n]) for 0 < m < n. */
  consistencyProof(from: number, to: number): Uint8Array[] {
    return this.subproof(from, 0, to, true);
  }
}
