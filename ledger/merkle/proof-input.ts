import { merkleError } from './errors.js';
import { merkleLimits } from './limits.js';
import { hashBytes } from './rfc6962.js';

/**
 * Checks on what a proof verifier is handed, shared by inclusion and consistency: they come from
 * another party, so a wrong one is an operating error with a code, never an exception of JavaScript.
 */
export function isTreeSize(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0 && n <= merkleLimits.treeSizeMax;
}

export function requireHash(hash: Uint8Array, what: string): void {
  if (!(hash instanceof Uint8Array) || hash.length !== hashBytes) {
    throw merkleError('LEDGER_PROOF_BAD_HASH', `${what} has ${hash instanceof Uint8Array ? hash.length : 'no'} bytes`);
  }
}

/** Refuses an oversized proof before looking at its hashes, then each hash that is not 32 bytes. */
export function requireProofHashes(proof: readonly Uint8Array[], expectedLength: number): void {
  if (proof.length > merkleLimits.proofHashesMax || proof.length !== expectedLength) {
    throw merkleError('LEDGER_PROOF_BAD_LENGTH', `${proof.length} hashes, expected ${expectedLength}`);
  }
  proof.forEach((hash, i) => requireHash(hash, `proof[${i}]`));
}
