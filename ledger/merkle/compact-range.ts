import assert from 'node:assert/strict';
import { merkleLimits } from './limits.js';
import { rangeDecomposition, type HashedNode } from './ranges.js';
import { emptyRoot, hashBytes, nodeHash } from './rfc6962.js';
import { shiftRight } from './tree-bits.js';

/**
 * An incremental root calculator for streaming leaf hashes (the audit reads a million leaves and keeps
 * a few kilobytes): it holds the hashes of the perfect subtrees that make up [0, size), largest first,
 * one per set bit of size, so at most 53 hashes. Appending costs one leaf plus as many node hashes as
 * perfect nodes it completes; root() folds the held hashes from the right, as RFC 6962 does.
 */
export class CompactRange {
  #size = 0;
  readonly #hashes: Uint8Array[] = [];

  /**
   * Resumes from the hashes of rangeDecomposition(0, size), left to right (for instance read from the
   * store), to go on appending without reading the leaves before `size`.
   */
  static resume(size: number, hashes: readonly Uint8Array[]): CompactRange {
    const expected = rangeDecomposition(0, size).length;
    if (hashes.length !== expected) throw new Error(`a compact range of size ${size} holds ${expected} hashes, got ${hashes.length}`);
    const range = new CompactRange();
    for (const hash of hashes) {
      if (hash.length !== hashBytes) throw new Error(`a hash is ${hashBytes} bytes`);
      range.#hashes.push(new Uint8Array(hash));
    }
    range.#size = size;
    return range;
  }

  get size(): number {
    return this.#size;
  }

  /**
   * Appends one leaf hash. `onNode`, if given, sees every perfect node this completes, from the leaf
   * (level 0) up, which lets an audit compare them with the stored nodes as it streams (its arguments
   * rather than an object: a million leaves make two million of them).
   */
  append(leafHash: Uint8Array, onNode?: (level: number, index: number, hash: Uint8Array) => void): void {
    if (leafHash.length !== hashBytes) throw new Error(`a leaf hash is ${hashBytes} bytes`);
    if (this.#size >= merkleLimits.treeSizeMax) throw new Error('tree is full');
    const leafIndex = this.#size;
    let hash: Uint8Array = new Uint8Array(leafHash);
    let level = 0;
    onNode?.(level, leafIndex, hash);
    // A 1 bit at `level` of the old size means a held perfect node of that level to merge with.
    while (shiftRight(leafIndex, level) % 2 === 1) {
      const left = this.#hashes.pop();
      assert(left !== undefined, 'compact range lost a node');
      hash = nodeHash(left, hash);
      level++;
      onNode?.(level, shiftRight(leafIndex, level), hash);
    }
    this.#hashes.push(hash);
    this.#size++;
  }

  /** The RFC 6962 root of the leaves appended so far. */
  root(): Uint8Array {
    let at = this.#hashes.length - 1;
    const last = this.#hashes[at];
    if (last === undefined) return emptyRoot();
    let hash = last;
    for (at--; at >= 0; at--) {
      const left = this.#hashes[at];
      assert(left !== undefined);
      hash = nodeHash(left, hash);
    }
    return hash === last ? new Uint8Array(last) : hash;
  }

  /** The held nodes with their hashes: rangeDecomposition(0, size), left to right. */
  nodes(): HashedNode[] {
    return rangeDecomposition(0, this.#size).map((node, i) => {
      const hash = this.#hashes[i];
      assert(hash !== undefined);
      return { ...node, hash: new Uint8Array(hash) };
    });
  }
}
