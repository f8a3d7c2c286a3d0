import { CaisseError } from '../../domain/error-spec.js';
import { openCheckpoint, parseCheckpoint, type Checkpoint } from '../formats/checkpoint.js';
import { decodeBase64Strict, keyIdBytes, noteKeyId, parseNote, type NoteVerifier } from '../formats/note.js';
import { auditFailure } from './failure.js';

/**
 * The checkpoints the audit checks: the latest signed one (the tree it audits), an earlier one saved by
 * a previous run (--checkpoint), and every checkpoint stored in the ledger's file.
 */
export interface VerifiedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly note: string;
}

/** Opens a checkpoint note with the log's key; any fault is AUDIT_CHECKPOINT_INVALID. */
export function openAuditedCheckpoint(note: string, verifier: NoteVerifier, what: string): VerifiedCheckpoint {
  try {
    return { checkpoint: openCheckpoint(note, verifier).checkpoint, note };
  } catch (e) {
    if (e instanceof CaisseError) throw auditFailure('AUDIT_CHECKPOINT_INVALID', {}, `${what}: ${e.code} ${e.detail}`);
    throw e;
  }
}

/**
 * A stored checkpoint, split so that its signature is verified on a verifier thread with the entries
 * around it: the note text (the signed message), the log key's raw signature, and the parsed
 * checkpoint. A note that does not carry the log's signature, or does not parse, fails here.
 */
export interface StoredCheckpointCheck {
  readonly size: number;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
  readonly checkpoint: Checkpoint;
  readonly storedRoot: Uint8Array;
}

export function splitStoredCheckpoint(size: number, note: string, storedRoot: Uint8Array, verifier: NoteVerifier): StoredCheckpointCheck {
  try {
    const parsed = parseNote(note);
    const keyId = noteKeyId(verifier.name, verifier.publicKey);
    const line = parsed.signatures.find((s) => s.name === verifier.name && s.keyId === keyId);
    const raw = line === undefined ? undefined : decodeBase64Strict(line.base64);
    if (raw === undefined) throw auditFailure('AUDIT_CHECKPOINT_INVALID', { size }, 'stored checkpoint not signed by the log key');
    const checkpoint = parseCheckpoint(parsed.text);
    if (checkpoint.origin !== verifier.name) throw auditFailure('AUDIT_CHECKPOINT_INVALID', { size }, `stored checkpoint of origin ${checkpoint.origin}`);
    if (checkpoint.size !== size) throw auditFailure('AUDIT_CHECKPOINT_INVALID', { size }, `stored under size ${size}, says ${checkpoint.size}`);
    return { size, message: Buffer.from(parsed.text, 'utf8'), signature: raw.subarray(keyIdBytes), checkpoint, storedRoot };
  } catch (e) {
    if (e instanceof CaisseError && !e.code.startsWith('AUDIT_')) throw auditFailure('AUDIT_CHECKPOINT_INVALID', { size }, `stored checkpoint: ${e.code} ${e.detail}`);
    throw e;
  }
}
