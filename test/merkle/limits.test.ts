import { describe, expect, it } from 'vitest';
import { consistencyProofLength } from '../../ledger/merkle/consistency.js';
import { inclusionProofLength } from '../../ledger/merkle/inclusion.js';
import { merkleLimits } from '../../ledger/merkle/limits.js';
import { bitLength } from '../../ledger/merkle/tree-bits.js';

describe('transparency-log limits fit together', () => {
  it('lets the longest proofs of the largest tree through', () => {
    const max = merkleLimits.treeSizeMax;
    expect(bitLength(max)).toBeLessThanOrEqual(53);
    expect(inclusionProofLength(0, max)).toBeLessThanOrEqual(merkleLimits.proofHashesMax);
    expect(inclusionProofLength(max - 1, max)).toBeLessThanOrEqual(merkleLimits.proofHashesMax);
    expect(consistencyProofLength(3, max)).toBeLessThanOrEqual(merkleLimits.proofHashesMax);
    expect(consistencyProofLength(max - 1, max)).toBeLessThanOrEqual(merkleLimits.proofHashesMax);
  });

  it('accepts as many note signatures as c2sp.org/signed-note requires, and a note can hold them', () => {
    expect(merkleLimits.noteSignaturesMax).toBeGreaterThanOrEqual(merkleLimits.noteSignaturesSpecMin);
    // A post-quantum signature line is about 6.7 kB; 16 of them and a checkpoint body must fit.
    expect(merkleLimits.noteBytesMax).toBeGreaterThan(merkleLimits.noteSignaturesSpecMin * 6700 + 1024);
    // Ed25519 lines (name + 92 base64 chars) up to the signature limit fit too.
    expect(merkleLimits.noteBytesMax).toBeGreaterThan(merkleLimits.noteSignaturesMax * (merkleLimits.keyNameBytesMax + 100));
  });
});
