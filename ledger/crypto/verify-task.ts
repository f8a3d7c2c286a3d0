import { verifyBytes } from '../../domain/ed25519.js';
import { decodeLeaf } from '../formats/leaf.js';
import { leafHash } from '../merkle/rfc6962.js';

/**
 * The work a verifier thread does: Ed25519 verifications and leaf hashes, the two costs that dominate
 * batch submission and the audit. Pure, so the pool's worker and an inline fallback share it.
 */
export interface SignatureCheck {
  readonly message: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly signature: Uint8Array;
}

export interface VerifyTask {
  readonly checks: readonly SignatureCheck[];
  readonly leaves: readonly Uint8Array[];
  /**
   * Also validate each leaf with decodeLeaf (format and canonical form): the audit asks for it, so that
   * this third cost of reading a log runs on every core too.
   */
  readonly validateLeaves?: boolean;
}

export interface VerifyResult {
  /** 1 where the signature verifies, 0 where it does not. */
  readonly valid: Uint8Array;
  /** The leaf hashes, 32 bytes each, concatenated in order. */
  readonly leafHashes: Uint8Array;
  /** With validateLeaves: per leaf, why decodeLeaf refused it, or null when it is well formed. */
  readonly leafErrors?: readonly (string | null)[];
}

export function runVerifyTask(task: VerifyTask): VerifyResult {
  const valid = new Uint8Array(task.checks.length);
  task.checks.forEach((c, i) => {
    valid[i] = verifyBytes(c.publicKey, c.message, c.signature) ? 1 : 0;
  });
  const leafHashes = new Uint8Array(task.leaves.length * 32);
  task.leaves.forEach((leaf, i) => leafHashes.set(leafHash(leaf), i * 32));
  if (task.validateLeaves !== true) return { valid, leafHashes };
  const leafErrors = task.leaves.map((leaf) => {
    try {
      decodeLeaf(leaf);
      return null;
    } catch (e) {
      // Whatever a leaf makes the decoder refuse (format, canonical form, nesting) makes it malformed.
      if (e instanceof Error) return e.message;
      throw e;
    }
  });
  return { valid, leafHashes, leafErrors };
}
