import type { SigningKey } from '../../domain/ed25519.js';
import { CaisseError } from '../../domain/error-spec.js';
import { merkleError } from '../merkle/errors.js';
import { merkleLimits } from '../merkle/limits.js';
import { hashBytes } from '../merkle/rfc6962.js';
import { decodeBase64Strict, noteKeyId, openNote, signNote, type NoteVerifier, type OpenedNote } from './note.js';

/**
 * A C2SP transparency-log checkpoint (https://c2sp.org/tlog-checkpoint): the note text that a log signs
 * to commit to its tree. Exact bytes of the body, each line ending in U+000A:
 *
 *   <origin>                  the log's identity, e.g. caisse.example/cca44 (non-empty)
 *   <size>                    tree size in ASCII decimal, no leading zero ("0" for the empty tree)
 *   <base64 root>             standard padded base64 of the 32-byte RFC 6962 root hash (44 characters)
 *   [<extension line>]…       optional, opaque, non-empty
 *
 * followed, in the signed note, by a blank line and the signature lines (see note.ts):
 *
 *   caisse.example/cca44
 *   7
 *   a6GBb4xoWo…=
 *
 *   — caisse.example/cca44 AbCdEf…
 *
 * The log's key name is the origin. Other parties (the caisse committee, Moneko, witnesses) add their
 * cosignatures as further signature lines. See docs/formats/checkpoint.md.
 */
export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Uint8Array;
  readonly extensions: readonly string[];
}

const decimal = /^(?:0|[1-9][0-9]{0,15})$/;
const forbiddenControl = /[\u0000-\u0009\u000b-\u001f]/u;
const loneSurrogate = /\p{Cs}/u;

function malformed(detail: string): never {
  throw merkleError('LEDGER_CHECKPOINT_MALFORMED', detail);
}

function checkLine(line: string, what: string): void {
  if (line === '') malformed(`${what} is empty`);
  if (line.includes('\n') || forbiddenControl.test(line) || loneSurrogate.test(line)) malformed(`${what} has a control character or bad UTF-8`);
}

function check(checkpoint: Checkpoint): void {
  checkLine(checkpoint.origin, 'origin');
  if (!Number.isSafeInteger(checkpoint.size) || checkpoint.size < 0 || checkpoint.size > merkleLimits.treeSizeMax) {
    malformed(`size ${checkpoint.size} is not a tree size`);
  }
  if (checkpoint.rootHash.length !== hashBytes) malformed(`root hash has ${checkpoint.rootHash.length} bytes`);
  if (checkpoint.extensions.length > merkleLimits.checkpointExtensionLinesMax) {
    malformed(`${checkpoint.extensions.length} extension lines, at most ${merkleLimits.checkpointExtensionLinesMax}`);
  }
  checkpoint.extensions.forEach((line, i) => checkLine(line, `extension line ${i + 1}`));
}

/** The note text of a checkpoint: origin, size and root lines, then any extension lines. */
export function encodeCheckpoint(checkpoint: Checkpoint): string {
  check(checkpoint);
  const lines = [checkpoint.origin, String(checkpoint.size), Buffer.from(checkpoint.rootHash).toString('base64'), ...checkpoint.extensions];
  return lines.map((line) => `${line}\n`).join('');
}

/** Parses checkpoint note text strictly: what it accepts, encodeCheckpoint writes back byte for byte. */
export function parseCheckpoint(text: string): Checkpoint {
  if (Buffer.byteLength(text, 'utf8') > merkleLimits.noteBytesMax) malformed('checkpoint too large');
  if (!text.endsWith('\n')) malformed('text must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  const [origin, sizeLine, rootLine, ...extensions] = lines;
  if (origin === undefined || sizeLine === undefined || rootLine === undefined) malformed(`${lines.length} lines, at least 3 needed`);
  if (!decimal.test(sizeLine)) malformed('size is not a decimal number without leading zeros');
  const rootHash = decodeBase64Strict(rootLine);
  if (rootHash === undefined) malformed('root hash is not canonical base64');
  const checkpoint: Checkpoint = { origin, size: Number(sizeLine), rootHash, extensions };
  check(checkpoint);
  return checkpoint;
}

/** Signs a checkpoint as `name` (by default its origin, as the spec recommends) and returns the note. */
export function signCheckpoint(checkpoint: Checkpoint, key: SigningKey, name: string = checkpoint.origin): string {
  return signNote(encodeCheckpoint(checkpoint), name, key);
}

export interface OpenCheckpointOptions {
  /** The origin the checkpoint must carry; by default the log verifier's name. */
  readonly origin?: string;
  /** Further keys whose signatures are checked when present (committee, Moneko, witnesses). */
  readonly cosigners?: readonly NoteVerifier[];
}

export interface OpenedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly note: OpenedNote;
}

/**
 * Opens a signed checkpoint: the note must verify (see openNote), the log's own key must be among the
 * verified signers (LEDGER_CHECKPOINT_NOT_SIGNED_BY_LOG), the body must parse
 * (LEDGER_CHECKPOINT_MALFORMED) and carry the expected origin (LEDGER_CHECKPOINT_WRONG_ORIGIN).
 */
export function openCheckpoint(note: string | Uint8Array, logVerifier: NoteVerifier, options: OpenCheckpointOptions = {}): OpenedCheckpoint {
  const logKeyId = noteKeyId(logVerifier.name, logVerifier.publicKey);
  let opened: OpenedNote;
  try {
    opened = openNote(note, [logVerifier, ...(options.cosigners ?? [])]);
  } catch (e) {
    // Signed only by keys unknown here: say so in the checkpoint's own terms.
    if (e instanceof CaisseError && e.code === 'LEDGER_NOTE_UNVERIFIED') {
      throw merkleError('LEDGER_CHECKPOINT_NOT_SIGNED_BY_LOG', logVerifier.name);
    }
    throw e;
  }
  if (!opened.verified.some((s) => s.name === logVerifier.name && s.keyId === logKeyId)) {
    throw merkleError('LEDGER_CHECKPOINT_NOT_SIGNED_BY_LOG', logVerifier.name);
  }
  const checkpoint = parseCheckpoint(opened.text);
  const origin = options.origin ?? logVerifier.name;
  if (checkpoint.origin !== origin) throw merkleError('LEDGER_CHECKPOINT_WRONG_ORIGIN', `${JSON.stringify(checkpoint.origin)}, expected ${JSON.stringify(origin)}`);
  return { checkpoint, note: opened };
}
