import assert from 'node:assert/strict';
import { merkleError } from './errors.js';
import { isTreeSize, requireHash, requireProofHashes } from './proof-input.js';
import type { LeafRange, NodeReader } from './ranges.js';
import { hashesEqual, nodeHash } from './rfc6962.js';
import { subtreeRoot } from './subtree-root.js';
import { bitLength, popcount, shiftRight, xor } from './tree-bits.js';

/**
 * Inclusion proofs (RFC 9162 section 2.1.3): the audit path of a leaf, from the leaf's sibling up to
 * the child of the root.
 *
 * Seen from the bits of `index` and `size - 1`: below the level where their paths to the root part
 * (`inner` = bit length of index XOR (size - 1)) the path has a sibling at every level; the sibling at
 * level inner - 1 lies on the right border and may be a clipped, non-perfect subtree. Above it the path
 * runs along the right border, where it has a (left, perfect) sibling only at the levels where index has
 * a 1 bit.
 */
function checkRange(index: number, size: number): void {
  if (!isTreeSize(size) || !Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw merkleError('LEDGER_PROOF_BAD_RANGE', `leaf index ${index}, tree size ${size}: need 0 <= index < size`);
  }
}

/**
 * The subtrees of the audit path, bottom-up, starting at level `fromLevel` (0 for an inclusion proof;
 * a consistency proof starts higher, from the old tree's last perfect node).
 */
export function auditPathRanges(index: number, size: number, fromLevel: number): LeafRange[] {
  checkRange(index, size);
  const inner = bitLength(xor(index, size - 1));
  const ranges: LeafRange[] = [];
  for (let level = fromLevel; level < inner; level++) {
    const onPath = shiftRight(index, level);
    const sibling = onPath % 2 === 1 ? onPath - 1 : onPath + 1;
    const begin = sibling * 2 ** level;
    ranges.push({ begin, end: Math.min(begin + 2 ** level, size) });
  }
  for (let level = Math.max(inner, fromLevel); 2 ** level <= index; level++) {
    const onPath = shiftRight(index, level);
    if (onPath % 2 === 1) ranges.push({ begin: (onPath - 1) * 2 ** level, end: onPath * 2 ** level });
  }
  return ranges;
}

/** Which subtrees make up the inclusion proof of leaf `index` in the tree of `size` leaves, in proof order. */
export function inclusionProofNodes(index: number, size: number): LeafRange[] {
  return auditPathRanges(index, size, 0);
}

/** The number of hashes in that proof, computed without building it. */
export function inclusionProofLength(index: number, size: number): number {
  checkRange(index, size);
  const inner = bitLength(xor(index, size - 1));
  return inner + popcount(shiftRight(index, inner));
}

/** The inclusion proof itself, from the stored perfect nodes. */
export function inclusionProof(index: number, size: number, getNode: NodeReader): Uint8Array[] {
  return inclusionProofNodes(index, size).map((r) => subtreeRoot(r.begin, r.end, getNode));
}

/**
 * The root that an inclusion proof leads to, by the algorithm of RFC 9162 section 2.1.3.2. Checks
 * first that 0 <= index < size (LEDGER_PROOF_BAD_RANGE), that every hash is 32 bytes
 * (LEDGER_PROOF_BAD_HASH) and that the proof has the right number of hashes (LEDGER_PROOF_BAD_LENGTH).
 */
export function rootFromInclusionProof(leafHash: Uint8Array, index: number, size: number, proof: readonly Uint8Array[]): Uint8Array {
  checkRange(index, size);
  requireHash(leafHash, 'leaf hash');
  requireProofHashes(proof, inclusionProofLength(index, size));
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    // With the length checked above, the path never runs past the root; kept as the RFC states it.
    assert(sn !== 0, 'inclusion proof longer than the path');
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = shiftRight(fn, 1);
        sn = shiftRight(sn, 1);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = shiftRight(fn, 1);
    sn = shiftRight(sn, 1);
  }
  assert(sn === 0, 'inclusion proof shorter than the path');
  return r;
}

/**
 * Verifies that `leafHash` is leaf `index` of the tree of `size` leaves whose root is `root`. Returns
 * normally or throws a CaisseError: LEDGER_PROOF_BAD_RANGE, LEDGER_PROOF_BAD_HASH,
 * LEDGER_PROOF_BAD_LENGTH, or LEDGER_PROOF_ROOT_MISMATCH.
 */
export function verifyInclusion(leafHash: Uint8Array, index: number, size: number, proof: readonly Uint8Array[], root: Uint8Array): void {
  checkRange(index, size);
  requireHash(root, 'root');
  const computed = rootFromInclusionProof(leafHash, index, size, proof);
  if (!hashesEqual(computed, root)) {
    throw merkleError('LEDGER_PROOF_ROOT_MISMATCH', `inclusion of leaf ${index} in tree of size ${size}`);
  }
}
