import assert from 'node:assert/strict';
import { isCanonicalBase64 } from '../../domain/base64.js';
import { publicKeyBytes, signatureBytes, verifyBytes } from '../../domain/ed25519.js';
import { leafHash } from '../merkle/rfc6962.js';

/**
 * The work a verifier thread does: Ed25519 verifications and leaf hashes, the two costs that dominate
 * batch submission and the audit. Pure, so the pool's worker and an inline fallback share it.
 *
 * A task is one buffer and two arrays of offsets into it, not an object per check: a thread receives
 * it as three copies, where 512 checks as objects of three views each made it rebuild two thousand
 * objects and then collect them (their structured clone alone cost 1.4 µs an entry of an audit).
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

/**
 * Builds a task in a buffer of a size known beforehand (the sum of the parts put in), its own memory
 * rather than a slab of the shared pool, so that a thread receives exactly the task's bytes.
 */
export class TaskPacker {
  readonly bytes: Buffer;
  private at = 0;
  private readonly checks: Uint32Array;
  private checkCount = 0;
  private readonly leaves: Uint32Array;
  private leafCount = 0;

  constructor(bytes: number, checksMax: number, leavesMax: number) {
    this.bytes = Buffer.allocUnsafeSlow(bytes);
    this.checks = new Uint32Array(checksMax * checkFields);
    this.leaves = new Uint32Array(leavesMax * leafFields);
  }

  /** Copies `part` in and answers its offset. */
  put(part: Uint8Array): number {
    // TypedArray.set: Buffer.copy's argument checks cost more than copying a leaf.
    this.bytes.set(part, this.at);
    this.at += part.length;
    return this.at - part.length;
  }

  /**
   * Decodes a signature written in base64 straight in, and answers its offset: only when the text is
   * the canonical base64 of exactly a signature's bytes (what the entry format accepts), noPart
   * otherwise. Room for it is taken either way.
   */
  putSignatureBase64(text: string): number {
    const at = this.at;
    this.at += signatureBytes;
    if (!isCanonicalBase64(text, signatureBytes)) return noPart;
    this.bytes.write(text, at, signatureBytes, 'base64');
    return at;
  }

  addLeaf(leaf: Uint8Array): void {
    this.leaves[this.leafCount * leafFields] = this.put(leaf);
    this.leaves[this.leafCount * leafFields + 1] = leaf.length;
    this.leafCount++;
  }

  /** A check of the message already put at messageAt; a key of another length is sent as noPart. Answers its position. */
  addCheck(messageAt: number, messageLength: number, signatureAt: number, publicKey: Uint8Array): number {
    const o = this.checkCount * checkFields;
    this.checks[o] = messageAt;
    this.checks[o + 1] = messageLength;
    this.checks[o + 2] = signatureAt;
    this.checks[o + 3] = publicKey.length === publicKeyBytes ? this.put(publicKey) : noPart;
    return this.checkCount++;
  }

  /** Bytes used so far: what the buffer must hold at least. */
  get used(): number {
    return this.at;
  }

  task(): VerifyTask {
    assert.ok(this.at <= this.bytes.length);
    return { bytes: this.bytes.subarray(0, this.at), checks: this.checks.subarray(0, this.checkCount * checkFields), leaves: this.leaves.subarray(0, this.leafCount * leafFields) };
  }
}

/** Packs checks and leaves into a task; a signature or key of the wrong length answers invalid. */
export function packTask(checks: readonly SignatureCheck[], leaves: readonly Uint8Array[] = []): VerifyTask {
  let size = 0;
  for (const c of checks) size += c.message.length + c.signature.length + c.publicKey.length;
  for (const leaf of leaves) size += leaf.length;
  const packer = new TaskPacker(size, checks.length, leaves.length);
  for (const c of checks) {
    const messageAt = packer.put(c.message);
    packer.addCheck(messageAt, c.message.length, c.signature.length === signatureBytes ? packer.put(c.signature) : noPart, c.publicKey);
  }
  for (const leaf of leaves) packer.addLeaf(leaf);
  return packer.task();
}

/** The check at `i`, as views into the task's bytes. */
export function taskCheck(task: VerifyTask, i: number): SignatureCheck {
  const o = i * checkFields;
  const [messageAt, messageLength, signatureAt, keyAt] = [task.checks[o], task.checks[o + 1], task.checks[o + 2], task.checks[o + 3]];
  assert.ok(messageAt !== undefined && messageLength !== undefined && signatureAt !== undefined && keyAt !== undefined, `no check ${i}`);
  const part = (at: number, length: number) => (at === noPart ? new Uint8Array(0) : task.bytes.subarray(at, at + length));
  return { message: part(messageAt, messageLength), signature: part(signatureAt, signatureBytes), publicKey: part(keyAt, publicKeyBytes) };
}

/**
 * Whether check `i` is of exactly this message and public key, compared in place (an audit asks once
 * per entry, and views cost more than the comparison).
 */
export function taskCheckIs(task: VerifyTask, i: number, message: Uint8Array, publicKey: Uint8Array): boolean {
  const o = i * checkFields;
  const messageAt = task.checks[o] ?? noPart;
  const keyAt = task.checks[o + 3] ?? noPart;
  if (messageAt === noPart || keyAt === noPart || task.checks[o + 1] !== message.length || publicKey.length !== publicKeyBytes) return false;
  return bytesAt(task.bytes, messageAt, message) && bytesAt(task.bytes, keyAt, publicKey);
}

/**
 * Parts up to this many bytes are compared by a loop, longer ones natively: a loop costs less than the
 * native call for a key or a JSON key (tens of bytes) and ten times more for a 700-byte message.
 */
const loopCompareBytesMax = 64;
const compareRanges = Buffer.prototype.compare;

/** Whether `part` is in `bytes` at `at`, without making a view of either. */
export function bytesAt(bytes: Uint8Array, at: number, part: Uint8Array): boolean {
  if (at < 0 || at + part.length > bytes.length) return false;
  if (part.length > loopCompareBytesMax) return compareRanges.call(bytes, part, 0, part.length, at, at + part.length) === 0;
  for (let i = 0; i < part.length; i++) if (bytes[at + i] !== part[i]) return false;
  return true;
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
