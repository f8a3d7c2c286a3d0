import assert from 'node:assert/strict';
import { verifyBytes } from '../../domain/ed25519.js';
import { leafHash } from '../merkle/rfc6962.js';

/**
 * The work a verifier thread does: Ed25519 verifications and leaf hashes, the two costs that dominate
 * batch submission and the audit. Pure, so the pool's worker and an inline fallback share it.
 *
 * A task is one buffer and two arrays of offsets into it, not an object per check: a thread receives
 * it as three copies, where 512 checks as objects of three views each made it rebuild two thousand
 * objects (and then collect them), which cost a verifier thread a twentieth of its time in an audit.
 */
export interface SignatureCheck {
  readonly message: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly signature: Uint8Array;
}

/** Numbers per check in VerifyTask.checks: message offset and length, signature offset, public key offset. */
export const checkFields = 4;
/** Numbers per leaf in VerifyTask.leaves: offset and length. */
export const leafFields = 2;
const signatureBytes = 64;
const publicKeyBytes = 32;

export interface VerifyTask {
  /** Every message, signature, public key and leaf of the task. */
  readonly bytes: Uint8Array;
  /** `checkFields` numbers per signature check (see there), offsets into `bytes`. */
  readonly checks: Uint32Array;
  /** `leafFields` numbers per leaf, offsets into `bytes`. */
  readonly leaves: Uint32Array;
}

export interface VerifyResult {
  /** 1 where the signature verifies, 0 where it does not. */
  readonly valid: Uint8Array;
  /** The leaf hashes, 32 bytes each, concatenated in order. */
  readonly leafHashes: Uint8Array;
}

/** An offset that names nothing: a signature or public key of the wrong length, which cannot verify. */
export const noPart = 0xffffffff;

/** Packs checks and leaves into a task. */
export function packTask(checks: readonly SignatureCheck[], leaves: readonly Uint8Array[] = []): VerifyTask {
  const fits = (part: Uint8Array, bytes: number) => part.length === bytes;
  let size = 0;
  for (const c of checks) size += c.message.length + (fits(c.signature, signatureBytes) ? signatureBytes : 0) + (fits(c.publicKey, publicKeyBytes) ? publicKeyBytes : 0);
  for (const leaf of leaves) size += leaf.length;
  const bytes = new Uint8Array(size);
  let at = 0;
  const put = (part: Uint8Array): number => {
    bytes.set(part, at);
    at += part.length;
    return at - part.length;
  };
  const checkOffsets = new Uint32Array(checks.length * checkFields);
  checks.forEach((c, i) => {
    const o = i * checkFields;
    checkOffsets[o] = put(c.message);
    checkOffsets[o + 1] = c.message.length;
    checkOffsets[o + 2] = fits(c.signature, signatureBytes) ? put(c.signature) : noPart;
    checkOffsets[o + 3] = fits(c.publicKey, publicKeyBytes) ? put(c.publicKey) : noPart;
  });
  const leafOffsets = new Uint32Array(leaves.length * leafFields);
  leaves.forEach((leaf, i) => {
    leafOffsets[i * leafFields] = put(leaf);
    leafOffsets[i * leafFields + 1] = leaf.length;
  });
  assert.ok(at === size);
  return { bytes, checks: checkOffsets, leaves: leafOffsets };
}

/** The check at `i`, as views into the task's bytes. */
export function taskCheck(task: VerifyTask, i: number): SignatureCheck {
  const o = i * checkFields;
  const [messageAt, messageLength, signatureAt, keyAt] = [task.checks[o], task.checks[o + 1], task.checks[o + 2], task.checks[o + 3]];
  assert.ok(messageAt !== undefined && messageLength !== undefined && signatureAt !== undefined && keyAt !== undefined, `no check ${i}`);
  const part = (at: number, length: number) => (at === noPart ? new Uint8Array(0) : task.bytes.subarray(at, at + length));
  return { message: part(messageAt, messageLength), signature: part(signatureAt, signatureBytes), publicKey: part(keyAt, publicKeyBytes) };
}

export function taskCheckCount(task: VerifyTask): number {
  return task.checks.length / checkFields;
}

export function runVerifyTask(task: VerifyTask): VerifyResult {
  assert.ok(task.checks.length % checkFields === 0 && task.leaves.length % leafFields === 0, 'a malformed task');
  const valid = new Uint8Array(taskCheckCount(task));
  for (let i = 0; i < valid.length; i++) {
    const c = taskCheck(task, i);
    valid[i] = verifyBytes(c.publicKey, c.message, c.signature) ? 1 : 0;
  }
  const leafHashes = new Uint8Array((task.leaves.length / leafFields) * 32);
  for (let i = 0; i < task.leaves.length; i += leafFields) {
    const at = task.leaves[i] ?? 0;
    leafHashes.set(leafHash(task.bytes.subarray(at, at + (task.leaves[i + 1] ?? 0))), (i / leafFields) * 32);
  }
  return { valid, leafHashes };
}
