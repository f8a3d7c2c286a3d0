import { describe, expect, it } from 'vitest';
import { inclusionProof, inclusionProofLength, inclusionProofNodes, rootFromInclusionProof, verifyInclusion } from '../../ledger/merkle/inclusion.js';
import { subtreeRoot } from '../../ledger/merkle/subtree-root.js';
import { codeOf } from '../support/code-of.js';
import { filledStore, flipBit, leafData } from './node-store.js';
import { ReferenceTree } from './reference-tree.js';
import { toHex } from './vectors.js';

const sizeMax = 130;
const corruptSizeMax = 64;

const store = filledStore(sizeMax);
const reference = new ReferenceTree(leafData);

describe('inclusion proofs against the RFC 6962 reference tree', () => {
  it('are the reference proofs, for every index of every size up to 130', () => {
    for (let size = 1; size <= sizeMax; size++) {
      const read = store.reader(size);
      const root = reference.root(size);
      for (let index = 0; index < size; index++) {
        const expected = reference.inclusionProof(index, size).map(toHex);
        const ranges = inclusionProofNodes(index, size);
        expect(ranges.map((r) => toHex(subtreeRoot(r.begin, r.end, read)))).toEqual(expected);
        const proof = inclusionProof(index, size, read);
        expect(proof.map(toHex)).toEqual(expected);
        expect(inclusionProofLength(index, size)).toBe(expected.length);
        expect(toHex(rootFromInclusionProof(reference.leafHash(index), index, size, proof))).toBe(toHex(root));
        verifyInclusion(reference.leafHash(index), index, size, proof, root);
      }
    }
  });

  it('refuse every corruption with the reason, for every index of every size up to 64', () => {
    for (let size = 1; size <= corruptSizeMax; size++) {
      const root = reference.root(size);
      for (let index = 0; index < size; index++) {
        const leaf = reference.leafHash(index);
        const proof = reference.inclusionProof(index, size);
        const verdict = (p: readonly Uint8Array[], i = index, s = size, l = leaf, r = root): string =>
          codeOf(() => verifyInclusion(l, i, s, p, r));
        expect(verdict(proof)).toBe('OK');
        // A flipped bit anywhere in any hash of the proof, in the leaf or in the root.
        proof.forEach((_, k) => {
          for (const bit of [0, 77, 255]) {
            const bad = proof.map((h, j) => (j === k ? flipBit(h, bit) : h));
            expect(verdict(bad)).toBe('LEDGER_PROOF_ROOT_MISMATCH');
          }
        });
        expect(verdict(proof, index, size, flipBit(leaf, 9))).toBe('LEDGER_PROOF_ROOT_MISMATCH');
        expect(verdict(proof, index, size, leaf, flipBit(root, 200))).toBe('LEDGER_PROOF_ROOT_MISMATCH');
        // Wrong length: one hash more or less.
        expect(verdict([...proof, root])).toBe('LEDGER_PROOF_BAD_LENGTH');
        expect(verdict([root, ...proof])).toBe('LEDGER_PROOF_BAD_LENGTH');
        if (proof.length > 0) expect(verdict(proof.slice(1))).toBe('LEDGER_PROOF_BAD_LENGTH');
        // Swapped order.
        if (proof.length > 1 && toHex(proof[0] ?? root) !== toHex(proof[1] ?? root)) {
          expect(verdict([proof[1] ?? root, proof[0] ?? root, ...proof.slice(2)])).toBe('LEDGER_PROOF_ROOT_MISMATCH');
        }
        // Wrong index, or a tree twice or half as tall: refused, whatever the reason (a shorter or
        // longer path, or another root).
        for (const [i, s] of [
          [index + 1, size],
          [index - 1, size],
          [index ^ 2, size],
          [index, size * 2],
          [index, Math.floor(size / 2)],
        ] as const) {
          if (i === index && s === size) continue;
          expect(verdict(proof, i, s)).not.toBe('OK');
        }
        // A hash of the wrong size.
        if (proof.length > 0) expect(verdict([proof[0]?.subarray(1) ?? root, ...proof.slice(1)])).toBe('LEDGER_PROOF_BAD_HASH');
      }
    }
  });

  it('bind the tree size only through the root, so the verifier must take (size, root) from one checkpoint', () => {
    // Leaf 0 has the same path shape in trees of 3 and 4 leaves: the proof for size 3 checks against
    // the root of size 3 whichever of the two sizes is claimed. What makes it safe is that a checkpoint
    // signs the size and the root together.
    const proof = reference.inclusionProof(0, 3);
    expect(codeOf(() => verifyInclusion(reference.leafHash(0), 0, 4, proof, reference.root(3)))).toBe('OK');
    expect(codeOf(() => verifyInclusion(reference.leafHash(0), 0, 4, proof, reference.root(4)))).toBe('LEDGER_PROOF_ROOT_MISMATCH');
  });

  it('check the precondition 0 <= index < size first', () => {
    const hash = reference.leafHash(0);
    for (const [index, size] of [
      [0, 0],
      [1, 1],
      [-1, 4],
      [5, 4],
      [0.5, 4],
      [0, 2 ** 53],
      [Number.NaN, 4],
    ] as const) {
      expect(codeOf(() => verifyInclusion(hash, index, size, [], hash))).toBe('LEDGER_PROOF_BAD_RANGE');
      expect(codeOf(() => inclusionProofNodes(index, size))).toBe('LEDGER_PROOF_BAD_RANGE');
    }
    expect(codeOf(() => verifyInclusion(hash, 0, 1, [], hash.subarray(0, 31)))).toBe('LEDGER_PROOF_BAD_HASH');
    expect(codeOf(() => verifyInclusion(new Uint8Array(33), 0, 1, [], hash))).toBe('LEDGER_PROOF_BAD_HASH');
    expect(codeOf(() => verifyInclusion(hash, 0, 1, [], hash))).toBe('OK');
    expect(codeOf(() => verifyInclusion(hash, 0, 2, new Array<Uint8Array>(100).fill(hash), hash))).toBe('LEDGER_PROOF_BAD_LENGTH');
  });
});
