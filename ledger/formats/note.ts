import { createHash } from 'node:crypto';
import { publicKeyBytes, signBytes, verifyBytes, type SigningKey } from '../../domain/ed25519.js';
import { merkleError } from '../merkle/errors.js';
import { merkleLimits } from '../merkle/limits.js';

/**
 * C2SP signed notes (https://c2sp.org/signed-note), Ed25519 only. Exact layout:
 *
 *   <text: one or more lines, each ending in U+000A>
 *   U+000A                                   (a blank line)
 *   — <key name> <base64(key id (4 bytes) || signature (64 bytes))>U+000A
 *   …                                        (one or more signature lines)
 *
 * The em dash is U+2014, followed by one space (U+0020). The signature is Ed25519 (RFC 8032) over the
 * UTF-8 bytes of the text, final newline included, separating blank line excluded. The key id is the
 * first 4 bytes, big-endian, of SHA-256(key name || 0x0A || 0x01 || 32-byte public key). A note is
 * valid UTF-8 without control characters other than U+000A; the text is separated from the signatures
 * by the last blank line. Key names are non-empty, without Unicode spaces or '+'.
 *
 * Opening a note follows the spec: signatures from unknown keys (another name, or the same name with
 * another key id) are kept apart and ignored — room for cosignatures by other parties (the caisse
 * committee, Moneko, witnesses); a signature from a known key that does not verify refuses the whole
 * note; a note with no verified signature is refused. See docs/formats/checkpoint.md.
 */

export const ed25519SignatureType = 0x01;
export const keyIdBytes = 4;
const signaturePrefix = '\u2014 ';

/** A key whose signatures this program checks: a name and a raw 32-byte Ed25519 public key. */
export interface NoteVerifier {
  readonly name: string;
  readonly publicKey: Uint8Array;
}

/** One signature line: the key name, the key id (uint32) and the base64 exactly as written. */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  readonly base64: string;
}

/** A parsed note, signatures not yet checked. */
export interface ParsedNote {
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** An opened note: its text, the signatures that verified, and those from keys not known here. */
export interface OpenedNote {
  readonly text: string;
  readonly verified: readonly NoteSignature[];
  readonly unknown: readonly NoteSignature[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
// Unicode spaces (JavaScript's \s is White_Space plus U+FEFF) and U+0085, which Go's unicode.IsSpace counts.
const spaceOrPlus = /[\s\u0085+]/u;
const forbiddenControl = /[\u0000-\u0009\u000b-\u001f]/u;
const loneSurrogate = /\p{Cs}/u;
const base64Shape = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function isValidKeyName(name: string): boolean {
  return (
    name.length > 0 &&
    Buffer.byteLength(name, 'utf8') <= merkleLimits.keyNameBytesMax &&
    !spaceOrPlus.test(name) &&
    !forbiddenControl.test(name) &&
    !loneSurrogate.test(name)
  );
}

function requireKeyName(name: string): void {
  if (!isValidKeyName(name)) throw merkleError('LEDGER_NOTE_BAD_KEY_NAME', JSON.stringify(name));
}

/** Strict base64 (RFC 4648 section 4, padded, canonical): undefined when `text` is not exactly that. */
export function decodeBase64Strict(text: string): Uint8Array | undefined {
  if (!base64Shape.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  // Re-encoding refuses non-zero padding bits, which would give one value two spellings.
  if (bytes.toString('base64') !== text) return undefined;
  return new Uint8Array(bytes);
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

/** The key id: the first 4 bytes, big-endian, of SHA-256(name || 0x0A || 0x01 || public key). */
export function noteKeyId(name: string, publicKey: Uint8Array): number {
  requireKeyName(name);
  if (publicKey.length !== publicKeyBytes) throw merkleError('LEDGER_NOTE_BAD_VKEY', `public key has ${publicKey.length} bytes`);
  const digest = createHash('sha256')
    .update(encoder.encode(name))
    .update(Uint8Array.of(0x0a, ed25519SignatureType))
    .update(publicKey)
    .digest();
  return digest.readUInt32BE(0);
}

function hex8(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

/** The verifier key string of golang.org/x/mod/sumdb/note: `<name>+<8 hex key id>+<base64(0x01 || key)>`. */
export function vkey(name: string, publicKey: Uint8Array): string {
  const keyId = noteKeyId(name, publicKey);
  return `${name}+${hex8(keyId)}+${base64(Uint8Array.of(ed25519SignatureType, ...publicKey))}`;
}

/** Parses a verifier key, checking its key id against its name and key. */
export function parseVkey(text: string): NoteVerifier {
  const first = text.indexOf('+');
  const second = text.indexOf('+', first + 1);
  if (first < 0 || second < 0) throw merkleError('LEDGER_NOTE_BAD_VKEY', 'expected <name>+<key id>+<key>');
  const name = text.slice(0, first);
  const idHex = text.slice(first + 1, second);
  const key = decodeBase64Strict(text.slice(second + 1));
  if (!isValidKeyName(name)) throw merkleError('LEDGER_NOTE_BAD_VKEY', 'bad key name');
  if (!/^[0-9a-fA-F]{8}$/.test(idHex)) throw merkleError('LEDGER_NOTE_BAD_VKEY', 'key id is not 8 hex digits');
  if (key === undefined || key.length !== 1 + publicKeyBytes) throw merkleError('LEDGER_NOTE_BAD_VKEY', 'key is not base64 of 33 bytes');
  if (key[0] !== ed25519SignatureType) throw merkleError('LEDGER_NOTE_BAD_VKEY', `signature type ${key[0]} is not Ed25519 (1)`);
  const publicKey = key.subarray(1);
  if (noteKeyId(name, publicKey) !== Number.parseInt(idHex, 16)) throw merkleError('LEDGER_NOTE_BAD_VKEY', 'key id does not match name and key');
  return { name, publicKey: new Uint8Array(publicKey) };
}

function requireWellFormed(text: string, what: string): void {
  if (Buffer.byteLength(text, 'utf8') > merkleLimits.noteBytesMax) {
    throw merkleError('LEDGER_NOTE_TOO_LARGE', `${what} over ${merkleLimits.noteBytesMax} bytes`);
  }
  if (loneSurrogate.test(text)) throw merkleError('LEDGER_NOTE_MALFORMED', `${what} is not valid UTF-8`);
  if (forbiddenControl.test(text)) throw merkleError('LEDGER_NOTE_MALFORMED', `${what} has a control character`);
}

function requireText(text: string): void {
  requireWellFormed(text, 'note text');
  if (!text.endsWith('\n')) throw merkleError('LEDGER_NOTE_MALFORMED', 'note text must end with a newline');
}

function parseSignatureLine(line: string, lineNumber: number): NoteSignature {
  if (!line.startsWith(signaturePrefix)) throw merkleError('LEDGER_NOTE_MALFORMED', `signature line ${lineNumber} does not start with "— "`);
  const rest = line.slice(signaturePrefix.length);
  const space = rest.indexOf(' ');
  const name = space < 0 ? rest : rest.slice(0, space);
  const encoded = space < 0 ? '' : rest.slice(space + 1);
  if (!isValidKeyName(name)) throw merkleError('LEDGER_NOTE_MALFORMED', `signature line ${lineNumber}: bad key name`);
  const raw = decodeBase64Strict(encoded);
  if (raw === undefined || raw.length < keyIdBytes + 1) throw merkleError('LEDGER_NOTE_MALFORMED', `signature line ${lineNumber}: bad base64 signature`);
  return { name, keyId: Buffer.from(raw).readUInt32BE(0), base64: encoded };
}

/** Parses a note (a string, or its UTF-8 bytes) into text and signature lines; checks no signature. */
export function parseNote(note: string | Uint8Array): ParsedNote {
  let message: string;
  if (typeof note === 'string') {
    message = note;
  } else {
    if (note.length > merkleLimits.noteBytesMax) throw merkleError('LEDGER_NOTE_TOO_LARGE', `note over ${merkleLimits.noteBytesMax} bytes`);
    try {
      message = decoder.decode(note);
    } catch {
      throw merkleError('LEDGER_NOTE_MALFORMED', 'note is not valid UTF-8');
    }
  }
  requireWellFormed(message, 'note');
  const split = message.lastIndexOf('\n\n');
  if (split < 0) throw merkleError('LEDGER_NOTE_MALFORMED', 'no blank line before the signatures');
  const text = message.slice(0, split + 1);
  const block = message.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) throw merkleError('LEDGER_NOTE_MALFORMED', 'signature lines must end with a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > merkleLimits.noteSignaturesMax) {
    throw merkleError('LEDGER_NOTE_TOO_LARGE', `${lines.length} signatures, at most ${merkleLimits.noteSignaturesMax}`);
  }
  return { text, signatures: lines.map((line, i) => parseSignatureLine(line, i + 1)) };
}

function signatureLine(signature: NoteSignature): string {
  return `${signaturePrefix}${signature.name} ${signature.base64}\n`;
}

/** Writes a note from its text and signature lines, checking that it parses back to the same. */
export function formatNote(text: string, signatures: readonly NoteSignature[]): string {
  requireText(text);
  if (signatures.length === 0) throw merkleError('LEDGER_NOTE_MALFORMED', 'a note needs at least one signature');
  const note = `${text}\n${signatures.map(signatureLine).join('')}`;
  const again = parseNote(note);
  if (again.text !== text || again.signatures.length !== signatures.length) throw merkleError('LEDGER_NOTE_MALFORMED', 'note does not parse back');
  return note;
}

function sign(text: string, name: string, key: SigningKey): NoteSignature {
  requireText(text);
  const keyId = noteKeyId(name, key.publicKey);
  const signature = signBytes(key, encoder.encode(text));
  const raw = new Uint8Array(keyIdBytes + signature.length);
  new DataView(raw.buffer).setUint32(0, keyId);
  raw.set(signature, keyIdBytes);
  return { name, keyId, base64: base64(raw) };
}

/** Signs `text` (which must end with a newline) as `name` and returns the whole note. */
export function signNote(text: string, name: string, key: SigningKey): string {
  return formatNote(text, [sign(text, name, key)]);
}

/**
 * Adds a signature (a cosignature) to a note, after the existing ones; an existing signature by the
 * same name and key id is replaced. Existing signatures are kept as they are, unchecked: a cosigner
 * checks what it cosigns with openNote first.
 */
export function addSignature(note: string, name: string, key: SigningKey): string {
  const parsed = parseNote(note);
  const added = sign(parsed.text, name, key);
  const kept = parsed.signatures.filter((s) => !(s.name === added.name && s.keyId === added.keyId));
  return formatNote(parsed.text, [...kept, added]);
}

/**
 * Parses a note and checks its signatures against the known verifiers. Throws LEDGER_NOTE_MALFORMED,
 * LEDGER_NOTE_TOO_LARGE, LEDGER_NOTE_BAD_SIGNATURE (a known key's signature fails: the note is
 * refused) or LEDGER_NOTE_UNVERIFIED (no known key signed). Repeated identical lines are listed once.
 */
export function openNote(note: string | Uint8Array, verifiers: readonly NoteVerifier[]): OpenedNote {
  const known = new Map<string, NoteVerifier>();
  for (const verifier of verifiers) {
    const id = `${verifier.name}+${hex8(noteKeyId(verifier.name, verifier.publicKey))}`;
    const other = known.get(id);
    if (other !== undefined && Buffer.compare(other.publicKey, verifier.publicKey) !== 0) throw merkleError('LEDGER_NOTE_AMBIGUOUS_KEY', id);
    known.set(id, verifier);
  }
  const parsed = parseNote(note);
  const textBytes = encoder.encode(parsed.text);
  const verified: NoteSignature[] = [];
  const unknown: NoteSignature[] = [];
  const seen = new Set<string>();
  for (const signature of parsed.signatures) {
    const id = `${signature.name}+${hex8(signature.keyId)}`;
    const verifier = known.get(id);
    if (verifier !== undefined) {
      const raw = decodeBase64Strict(signature.base64) ?? new Uint8Array();
      // Every line from a known key is checked, repeats included: one bad line refuses the note.
      if (!verifyBytes(verifier.publicKey, textBytes, raw.subarray(keyIdBytes))) throw merkleError('LEDGER_NOTE_BAD_SIGNATURE', id);
    }
    const line = signatureLine(signature);
    if (seen.has(line)) continue;
    seen.add(line);
    (verifier !== undefined ? verified : unknown).push(signature);
  }
  if (verified.length === 0) throw merkleError('LEDGER_NOTE_UNVERIFIED', parsed.signatures.map((s) => `${s.name}+${hex8(s.keyId)}`).join(', '));
  return { text: parsed.text, verified, unknown };
}

/** The `<name>+<8 hex key id>` label of a signature, as golang.org/x/mod/sumdb/note prints it. */
export function signatureLabel(signature: NoteSignature): string {
  return `${signature.name}+${hex8(signature.keyId)}`;
}
