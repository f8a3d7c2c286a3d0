import { describe, expect, it } from 'vitest';
import { consistencyProof, verifyConsistency } from '../../ledger/merkle/consistency.js';
import { inclusionProof, verifyInclusion } from '../../ledger/merkle/inclusion.js';
import type { NodeReader } from '../../ledger/merkle/ranges.js';
import { leafHash, nodeHash } from '../../ledger/merkle/rfc6962.js';
import { rootAt } from '../../ledger/merkle/subtree-root.js';
import { codeOf } from '../support/code-of.js';
import { leafData } from './node-store.js';
import { ReferenceTree } from './reference-tree.js';
import { toHex } from './vectors.js';

/** A deterministic pseudo-random sequence (a linear congruential generator), so failures replay. */
function randomInts(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((state / 2 ** 31) * below);
  };
}

/**
 * A sparse store of a 100 000-leaf tree: nodes are computed on demand from the leaves and memoised, so a
 * proof only costs the nodes it reads. It refuses nodes past the tree size it is asked for.
 */
function sparseReader(size: number, memo: Map<string, Uint8Array>): NodeReader {
  const node = (level: number, index: number): Uint8Array => {
    const key = `${level}/${index}`;
    const known = memo.get(key);
    if (known) return known;
    const hash = level === 0 ? leafHash(leafData(index)) : nodeHash(node(level - 1, 2 * index), node(level - 1, 2 * index + 1));
    memo.set(key, hash);
    return hash;
  };
  return (level, index) => {
    if ((index + 1) * 2 ** level > size) throw new Error(`node (${level}, ${index}) is not complete at size ${size}`);
    return node(level, index);
  };
}

describe('proofs in large trees', () => {
  const sizeMax = 100_000;
  const reference = new ReferenceTree(leafData);
  const memo = new Map<string, Uint8Array>();

  it('match the reference tree for random indices and sizes up to 10^5', () => {
    const random = randomInts(2026);
    for (let round = 0; round < 25; round++) {
      const size = 1 + random(sizeMax);
      const index = random(size);
      const read = sparseReader(size, memo);
      const root = rootAt(size, read);
      expect(toHex(root)).toBe(toHex(reference.root(size)));
      const proof = inclusionProof(index, size, read);
      expect(proof.map(toHex)).toEqual(reference.inclusionProof(index, size).map(toHex));
      verifyInclusion(reference.leafHash(index), index, size, proof, root);
    }
  });

  it('match the reference tree for random pairs of sizes up to 10^5', () => {
    const random = randomInts(44);
    for (let round = 0; round < 25; round++) {
      const to = 2 + random(sizeMax - 1);
      const from = 1 + random(to - 1);
      const read = sparseReader(to, memo);
      const proof = consistencyProof(from, to, read);
      expect(proof.map(toHex)).toEqual(reference.consistencyProof(from, to).map(toHex));
      verifyConsistency(from, to, proof, rootAt(from, sparseReader(from, memo)), rootAt(to, read));
    }
  });

  it('handle sizes past 2^32 (a tree of identical leaves, whose node at level L is the same everywhere)', () => {
    // With every leaf equal, node (L, i) is H_L for all i, so any size has a closed-form store.
    const levels = [leafHash(new TextEncoder().encode('same'))];
    for (let l = 1; l <= 53; l++) levels.push(nodeHash(levels[l - 1] ?? new Uint8Array(), levels[l - 1] ?? new Uint8Array()));
    const reader =
      (size: number): NodeReader =>
      (level, index) => {
        if ((index + 1) * 2 ** level > size) throw new Error('node past the tree');
        return levels[level];
      };
    const leaf = levels[0] ?? new Uint8Array();
    for (const [index, size] of [
      [2 ** 32, 2 ** 32 + 1],
      [2 ** 40 + 12345, 2 ** 41 - 3],
      [0, 2 ** 53 - 1],
      [2 ** 53 - 2, 2 ** 53 - 1],
    ] as const) {
      const root = rootAt(size, reader(size));
      const proof = inclusionProof(index, size, reader(size));
      expect(codeOf(() => verifyInclusion(leaf, index, size, proof, root))).toBe('OK');
      expect(codeOf(() => verifyInclusion(leaf, index, size, proof.slice(1), root))).toBe('LEDGER_PROOF_BAD_LENGTH');
    }
    for (const [from, to] of [
      [2 ** 32 - 1, 2 ** 32 + 7],
      [3, 2 ** 45 + 1],
      [2 ** 50 + 3, 2 ** 53 - 1],
    ] as const) {
      const proof = consistencyProof(from, to, reader(to));
      const rootFrom = rootAt(from, reader(from));
      const rootTo = rootAt(to, reader(to));
      expect(codeOf(() => verifyConsistency(from, to, proof, rootFrom, rootTo))).toBe('OK');
      expect(codeOf(() => verifyConsistency(from, to, proof, rootTo, rootFrom))).toBe('LEDGER_PROOF_ROOT_MISMATCH');
    }
  });
});
