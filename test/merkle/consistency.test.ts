import { describe, expect, it } from 'vitest';
import { consistencyProof, consistencyProofLength, consistencyProofNodes, verifyConsistency } from '../../ledger/merkle/consistency.js';
import { emptyRoot } from '../../ledger/merkle/rfc6962.js';
import { codeOf } from '../support/code-of.js';
import { filledStore, flipBit, leafData } from './node-store.js';
import { ReferenceTree } from './reference-tree.js';
import { toHex } from './vectors.js';

const sizeMax = 130;
const corruptSizeMax = 64;

const store = filledStore(sizeMax);
const reference = new ReferenceTree(leafData);

describe('consistency proofs against the RFC 6962 reference tree', () => {
  it('are the reference proofs for every pair 0 < from < to <= 130', () => {
    for (let to = 2; to <= sizeMax; to++) {
      const read = store.reader(to);
      for (let from = 1; from < to; from++) {
        const expected = reference.consistencyProof(from, to).map(toHex);
        const proof = consistencyProof(from, to, read);
        expect(proof.map(toHex)).toEqual(expected);
        expect(consistencyProofLength(from, to)).toBe(expected.length);
        verifyConsistency(from, to, proof, reference.root(from), reference.root(to));
      }
    }
  });

  it('accept the trivial cases with an empty proof: same size, and from the empty tree', () => {
    const root5 = reference.root(5);
    expect(consistencyProofNodes(5, 5)).toEqual([]);
    expect(consistencyProofNodes(0, 5)).toEqual([]);
    expect(codeOf(() => verifyConsistency(5, 5, [], root5, root5))).toBe('OK');
    expect(codeOf(() => verifyConsistency(0, 5, [], emptyRoot(), root5))).toBe('OK');
    expect(codeOf(() => verifyConsistency(0, 0, [], emptyRoot(), emptyRoot()))).toBe('OK');
    expect(codeOf(() => verifyConsistency(5, 5, [], root5, reference.root(6)))).toBe('LEDGER_PROOF_ROOT_MISMATCH');
    expect(codeOf(() => verifyConsistency(0, 5, [], root5, root5))).toBe('LEDGER_PROOF_ROOT_MISMATCH');
    expect(codeOf(() => verifyConsistency(5, 5, [root5], root5, root5))).toBe('LEDGER_PROOF_BAD_LENGTH');
    expect(codeOf(() => verifyConsistency(0, 5, [root5], emptyRoot(), root5))).toBe('LEDGER_PROOF_BAD_LENGTH');
  });

  it('refuse every corruption with the reason, for every pair up to 64', () => {
    for (let to = 2; to <= corruptSizeMax; to++) {
      const rootTo = reference.root(to);
      for (let from = 1; from < to; from++) {
        const rootFrom = reference.root(from);
        const proof = reference.consistencyProof(from, to);
        const verdict = (p: readonly Uint8Array[], f = from, t = to, rf = rootFrom, rt = rootTo): string =>
          codeOf(() => verifyConsistency(f, t, p, rf, rt));
        expect(verdict(proof)).toBe('OK');
        proof.forEach((_, k) => {
          for (const bit of [3, 128, 254]) {
            expect(verdict(proof.map((h, j) => (j === k ? flipBit(h, bit) : h)))).toBe('LEDGER_PROOF_ROOT_MISMATCH');
          }
        });
        expect(verdict(proof, from, to, flipBit(rootFrom, 1))).toBe('LEDGER_PROOF_ROOT_MISMATCH');
        expect(verdict(proof, from, to, rootFrom, flipBit(rootTo, 1))).toBe('LEDGER_PROOF_ROOT_MISMATCH');
        expect(verdict(proof, from, to, rootTo, rootFrom)).toBe('LEDGER_PROOF_ROOT_MISMATCH');
        expect(verdict([])).toBe('LEDGER_PROOF_BAD_LENGTH');
        expect(verdict([...proof, rootTo])).toBe('LEDGER_PROOF_BAD_LENGTH');
        expect(verdict([rootFrom, ...proof])).toBe('LEDGER_PROOF_BAD_LENGTH');
        expect(verdict(proof.slice(0, -1))).toBe('LEDGER_PROOF_BAD_LENGTH');
        if (proof.length > 1 && toHex(proof[0] ?? rootTo) !== toHex(proof[1] ?? rootTo)) {
          expect(verdict([proof[1] ?? rootTo, proof[0] ?? rootTo, ...proof.slice(2)])).toBe('LEDGER_PROOF_ROOT_MISMATCH');
        }
        for (const [f, t] of [
          [from - 1, to],
          [from + 1, to],
          [from ^ 2, to],
          [from, to * 2],
          [from, Math.floor(to / 2)],
        ] as const) {
          if ((f === from && t === to) || f <= 0) continue;
          expect(verdict(proof, f, t)).not.toBe('OK');
        }
        expect(verdict([proof[0]?.subarray(0, 16) ?? rootTo, ...proof.slice(1)])).toBe('LEDGER_PROOF_BAD_HASH');
      }
    }
  });

  it('check the precondition 0 <= from <= to first', () => {
    const root = reference.root(3);
    expect(codeOf(() => verifyConsistency(4, 3, [], root, root))).toBe('LEDGER_PROOF_BAD_RANGE');
    expect(codeOf(() => verifyConsistency(-1, 3, [], root, root))).toBe('LEDGER_PROOF_BAD_RANGE');
    expect(codeOf(() => verifyConsistency(1, 2 ** 53, [], root, root))).toBe('LEDGER_PROOF_BAD_RANGE');
    expect(codeOf(() => consistencyProofNodes(4, 3))).toBe('LEDGER_PROOF_BAD_RANGE');
    expect(codeOf(() => verifyConsistency(1, 3, [root, root], root, root.subarray(1)))).toBe('LEDGER_PROOF_BAD_HASH');
  });
});
