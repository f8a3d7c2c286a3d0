import assert from 'node:assert/strict';
import { merkleError } from './errors.js';
import { auditPathRanges } from './inclusion.js';
import { isTreeSize, requireHash, requireProofHashes } from './proof-input.js';
import type { LeafRange, NodeReader } from './ranges.js';
import { emptyRoot, hashesEqual, nodeHash } from './rfc6962.js';
import { subtreeRoot } from './subtree-root.js';
import { bitLength, isPowerOfTwo, popcount, shiftRight, trailingZeros, xor } from './tree-bits.js';

/**
 * Consistency proofs (RFC 9162 section 2.1.4): that the tree of `from` leaves is a prefix of the tree
 * of `to` leaves.
 *
 * RFC 9162 defines them for 0 < from < to. Here two trivial cases are also accepted, both with an
 * empty proof: from = to (the roots must be equal) and from = 0 (the old root must be the empty root;
 * the empty tree is a prefix of every tree).
 *
 * Seen from the bits: let `shift` be the number of trailing zeros of `from`. The old tree's last perfect
 * node is (level shift, leaves [from - 2^shift, from)). The proof is that node's hash (left out when it
 * is the whole old tree, that is when `from` is a power of two: the verifier has it as the old root),
 * followed by the audit path of that node in the new tree.
 */
function checkSizes(from: number, to: number): void {
  if (!isTreeSize(from) || !isTreeSize(to) || from > to) {
    throw merkleError('LEDGER_PROOF_BAD_RANGE', `tree sizes ${from} -> ${to}: need 0 <= from <= to`);
  }
}

/** Which subtrees make up the consistency proof from `from` to `to` leaves, in proof order. */
export function consistencyProofNodes(from: number, to: number): LeafRange[] {
  checkSizes(from, to);
  if (from === 0 || from === to) return [];
  const shift = trailingZeros(from);
  const ranges = auditPathRanges(from - 1, to, shift);
  return isPowerOfTwo(from) ? ranges : [{ begin: from - 2 ** shift, end: from }, ...ranges];
}

/** The number of hashes in that proof, computed without building it. */
export function consistencyProofLength(from: number, to: number): number {
  checkSizes(from, to);
  if (from === 0 || from === to) return 0;
  const shift = trailingZeros(from);
  const inner = bitLength(xor(from - 1, to - 1));
  return (isPowerOfTwo(from) ? 0 : 1) + (inner - shift) + popcount(shiftRight(from - 1, inner));
}

/** The consistency proof itself, from the stored perfect nodes. */
export function consistencyProof(from: number, to: number, getNode: NodeReader): Uint8Array[] {
  return consistencyProofNodes(from, to).map((r) => subtreeRoot(r.begin, r.end, getNode));
}

/**
 * Verifies that the tree of `from` leaves with root `rootFrom` is a prefix of the tree of `to` leaves
 * with root `rootTo`, by the algorithm of RFC 9162 section 2.1.4.2. Returns normally or throws a
 * CaisseError: LEDGER_PROOF_BAD_RANGE (not 0 <= from <= to), LEDGER_PROOF_BAD_HASH,
 * LEDGER_PROOF_BAD_LENGTH, or LEDGER_PROOF_ROOT_MISMATCH (saying which root).
 */
export function verifyConsistency(from: number, to: number, proof: readonly Uint8Array[], rootFrom: Uint8Array, rootTo: Uint8Array): void {
  checkSizes(from, to);
  requireHash(rootFrom, 'old root');
  requireHash(rootTo, 'new root');
  requireProofHashes(proof, consistencyProofLength(from, to));
  if (from === to) {
    if (!hashesEqual(rootFrom, rootTo)) throw merkleError('LEDGER_PROOF_ROOT_MISMATCH', `same size ${from}, different roots`);
    return;
  }
  if (from === 0) {
    if (!hashesEqual(rootFrom, emptyRoot())) throw merkleError('LEDGER_PROOF_ROOT_MISMATCH', 'old root of size 0 is not the empty root');
    return;
  }
  // RFC 9162 2.1.4.2, step by step. Step 1 (empty proof fails) is covered by the length check.
  const path = isPowerOfTwo(from) ? [rootFrom, ...proof] : proof;
  let fn = from - 1;
  let sn = to - 1;
  while (fn % 2 === 1) {
    fn = shiftRight(fn, 1);
    sn = shiftRight(sn, 1);
  }
  const first = path[0];
  assert(first !== undefined);
  let fr = first;
  let sr = first;
  for (const c of path.slice(1)) {
    assert(sn !== 0, 'consistency proof longer than the path');
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = shiftRight(fn, 1);
        sn = shiftRight(sn, 1);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = shiftRight(fn, 1);
    sn = shiftRight(sn, 1);
  }
  assert(sn === 0, 'consistency proof shorter than the path');
  if (!hashesEqual(fr, rootFrom)) throw merkleError('LEDGER_PROOF_ROOT_MISMATCH', `old root of size ${from}`);
  if (!hashesEqual(sr, rootTo)) throw merkleError('LEDGER_PROOF_ROOT_MISMATCH', `new root of size ${to}`);
}
