import { verifyBytes } from '../../domain/ed25519.js';
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
}

export interface VerifyResult {
  /** 1 where the signature verifies, 0 where it does not. */
  readonly valid: Uint8Array;
  /** The leaf hashes, 32 bytes each, concatenated in order. */
  readonly leafHashes: Uint8Array;
}

export function runVerifyTask(task: VerifyTask): VerifyResult {
  const valid = new Uint8Array(task.checks.length);
  task.checks.forEach((c, i) => {
    valid[i] = verifyBytes(c.publicKey, c.message, c.signature) ? 1 : 0;
  });
  const leafHashes = new Uint8Array(task.leaves.length * 32);
  task.leaves.forEach((leaf, i) => leafHashes.set(leafHash(leaf), i * 32));
  return { valid, leafHashes };
}
