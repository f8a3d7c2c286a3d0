/**
 * Limits of the transparency-log layer: tree sizes, proofs, signed notes and checkpoints. Each bounds
 * something an untrusted party can make grow (a proof, a note from a witness, a checkpoint's extension
 * lines). test/merkle/limits.test.ts checks that they fit together.
 */
export const merkleLimits = {
  /**
   * Largest tree size and leaf index. Sizes are JavaScript numbers, exact up to 2^53 - 1; a ledger
   * appending a thousand entries a second would need 285 000 years to get there.
   */
  treeSizeMax: Number.MAX_SAFE_INTEGER,
  /**
   * Most hashes in one inclusion or consistency proof: a proof holds at most one hash per tree level
   * (53 levels below treeSizeMax) plus, for consistency, the old tree's own subtree. Longer is refused
   * before any hashing.
   */
  proofHashesMax: 64,
  /**
   * Whole signed note, signatures included. c2sp.org/signed-note asks verifiers to accept at least 16
   * signatures and warns that post-quantum ones reach about 5 kB each (6.7 kB in base64): 16 of those
   * and a text fit.
   */
  noteBytesMax: 128 * 1024,
  /** Signature lines in one note (the spec's floor is 16; golang.org/x/mod/sumdb/note stops at 100). */
  noteSignaturesMax: 100,
  /** Signature lines the spec says every verifier MUST accept. */
  noteSignaturesSpecMin: 16,
  /** A key name (and so a checkpoint origin we sign), in UTF-8 bytes. */
  keyNameBytesMax: 255,
  /** Extension lines after the root hash of a checkpoint (c2sp.org/tlog-checkpoint leaves them open). */
  checkpointExtensionLinesMax: 16,
} as const;

export type MerkleLimits = typeof merkleLimits;
