import { hash } from 'node:crypto';
import { entrySignatureDomain } from '../../domain/entry/sign.js';
import { publicKeyBytes, signatureBytes } from '../../domain/ed25519.js';
import { bytesAt, noPart, TaskPacker, type VerifyTask } from '../crypto/verify-task.js';
import { auditFailure, type AuditFailure } from './failure.js';
import type { SourceRow } from './source.js';

/**
 * The first stage of the audit pipeline, on the main thread and in log order: read each leaf of a
 * chunk, resolve the public key of each signature as of that point of the log, and pack the leaves and
 * signature checks into one task for a verifier thread, which hashes every leaf and verifies the
 * signatures. The replay decodes and validates each leaf (format and canonical form) when its turn
 * comes, and uses a thread's answer only for what it validated.
 *
 * Keys are resolved ahead of the replay from the registrations seen so far. That is sound because a
 * key id is derived from its public key (applyEntry checks it), so an id names one key for ever, and
 * because the replay stops at the first entry it refuses: a registration that the replay would refuse
 * cannot lend its key to a later entry that the audit accepts. The replay still checks, through
 * applyEntry, that each signer was registered and not revoked at that index; and it uses a thread's
 * answer only for the exact message, key and signature that were sent (see LogAuditor).
 */
export interface PreparedEntry {
  /**
   * The signatures as read here, in order. The leaf is not parsed whole here but by the replay, when
   * its turn comes: thousands of parsed leaves waiting for their threads would survive
   * young-generation collections and make each one slow.
   */
  readonly signatures: readonly { readonly keyId: string; readonly signature: string }[];
  /** The signing message (domain string and JCS body), a view into the chunk's packed buffer. */
  readonly message: Uint8Array | undefined;
  /** SHA-256 of the body's JCS bytes: what the store keeps as body_hash. */
  readonly bodyHash: Uint8Array | undefined;
  /** Per signature: the position of its check in the task, or -1 when none was sent. */
  readonly checkAt: readonly number[];
  readonly row: SourceRow;
}

export interface PreparedChunk {
  readonly start: number;
  /** The entries read, from `start` on, up to the first that could not be (see `failure`). */
  readonly entries: readonly PreparedEntry[];
  /** A fault found while reading, at index start + entries.length (a gap in the stored indices). */
  readonly failure: AuditFailure | undefined;
  readonly task: VerifyTask;
  /** Entry ids that refunds and corrections of this chunk name. */
  readonly lookups: readonly string[];
  /** Checks appended after the entries' (stored checkpoint signatures), by tree size. */
  readonly extraChecks: ReadonlyMap<number, number>;
}

const domainBytes = Buffer.from(entrySignatureDomain, 'utf8');
const bodyPrefix = Buffer.from('{"body":', 'utf8');
const indexKey = Buffer.from(',"index":', 'utf8');
const offlineFlags = Buffer.from(',"flags":["offline"]', 'utf8');

/** Public keys by key id, as registered in the log so far (genesis and key.register entries). */
export type KeyResolver = Map<string, Uint8Array>;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Reading a leaf here is only about which checks to send: what is read from a leaf that the replay
 * then refuses never counts, and the replay uses a thread's answer only for the exact message, key and
 * signature applyEntry asks about. So a leaf is not parsed whole here (the replay decodes it when its
 * turn comes); its parts are found where the canonical layout puts them:
 *
 *   {"body":<JCS body>[,"flags":["offline"]],"index":N,"ledgerTimeMs":T,"signatures":[…]}
 *
 * Nothing after the body holds `,"index":` (numbers, hex and base64 only), so the last one ends the
 * body; a body ends with `}`, the flags with `]`. Within the body, keys are sorted and only "v" (a
 * number) comes after "type", so the last `"type":"` is the entry's own type.
 */
function bodyBytesOf(leaf: Buffer): Buffer | undefined {
  if (!bytesAt(leaf, 0, bodyPrefix)) return undefined;
  let end = leaf.lastIndexOf(indexKey);
  if (end > offlineFlags.length && leaf[end - 1] === 0x5d && bytesAt(leaf, end - offlineFlags.length, offlineFlags)) end -= offlineFlags.length;
  if (end <= bodyPrefix.length || leaf[end - 1] !== 0x7d) return undefined;
  return leaf.subarray(bodyPrefix.length, end);
}

const signaturesKey = Buffer.from(',"signatures":', 'utf8');
const typeKey = Buffer.from('"type":"', 'utf8');
/** Entry types whose body tells prepare something: keys to learn, entries to look up. */
const bodyTypesRead = new Set(['ledger.genesis', 'key.register', 'refund', 'correction']);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const keyIdKey = Buffer.from('{"keyId":"', 'utf8');
const signatureKey = Buffer.from('","signature":"', 'utf8');

/**
 * The signatures, read where the canonical layout puts them (`[{"keyId":"…","signature":"…"},…]`, hex
 * and base64 only), without parsing JSON; a leaf laid out otherwise is parsed. Either way only a hint
 * of which checks to send (see above).
 */
function signaturesOf(leaf: Buffer): { keyId: string; signature: string }[] {
  const at = leaf.lastIndexOf(signaturesKey);
  if (at < 0) return [];
  const out: { keyId: string; signature: string }[] = [];
  let p = at + signaturesKey.length + 1;
  if (leaf[p - 1] === 0x5b) {
    while (bytesAt(leaf, p, keyIdKey)) {
      const keyIdEnd = leaf.indexOf(0x22, p + keyIdKey.length);
      if (keyIdEnd < 0 || !bytesAt(leaf, keyIdEnd, signatureKey)) break;
      const signatureAt = keyIdEnd + signatureKey.length;
      const signatureEnd = leaf.indexOf(0x22, signatureAt);
      if (signatureEnd < 0 || leaf[signatureEnd + 1] !== 0x7d) break;
      out.push({ keyId: leaf.toString('latin1', p + keyIdKey.length, keyIdEnd), signature: leaf.toString('latin1', signatureAt, signatureEnd) });
      p = signatureEnd + 3;
      if (leaf[p - 1] === 0x5d && p === leaf.length - 1 && leaf[p] === 0x7d) return out;
      if (leaf[p - 1] !== 0x2c) break;
    }
  }
  return signaturesParsed(leaf, at);
}

function signaturesParsed(leaf: Buffer, at: number): { keyId: string; signature: string }[] {
  const list = parseJson(leaf.toString('utf8', at + signaturesKey.length, leaf.length - 1));
  if (!Array.isArray(list)) return [];
  const out: { keyId: string; signature: string }[] = [];
  for (const s of list as unknown[]) {
    const keyId = isObject(s) ? str(s.keyId) : undefined;
    const signature = isObject(s) ? str(s.signature) : undefined;
    if (keyId !== undefined && signature !== undefined) out.push({ keyId, signature });
  }
  return out;
}

/** The body, parsed, for the few types prepare must read; an empty object for the others. */
function bodyFieldsOf(body: Buffer): Json {
  const at = body.lastIndexOf(typeKey);
  if (at < 0) return {};
  const from = at + typeKey.length;
  const type = body.toString('utf8', from, body.indexOf(0x22, from));
  if (!bodyTypesRead.has(type)) return {};
  const parsed = parseJson(body.toString('utf8'));
  return isObject(parsed) ? parsed : {};
}

interface Read {
  readonly row: SourceRow;
  readonly leaf: Buffer;
  readonly body: Buffer | undefined;
  readonly signatures: readonly { keyId: string; signature: string }[];
}

/**
 * `checkpoints` are stored checkpoints whose signature is checked on the threads with this chunk: the
 * note text and the raw signature by the log's key.
 */
export function prepareChunk(
  rows: readonly SourceRow[],
  start: number,
  resolver: KeyResolver,
  checkpoints: readonly { size: number; message: Uint8Array; signature: Uint8Array }[],
  logKey: Uint8Array,
): PreparedChunk {
  const read: Read[] = [];
  let failure: AuditFailure | undefined;
  let packedBytes = 0;
  let signatureCount = 0;
  for (const row of rows) {
    const index = start + read.length;
    if (row.index !== index) {
      // Past it, and in order: the leaf at `index` is missing. Otherwise the source answers leaves out
      // of order or twice.
      failure =
        row.index > index && inIndexOrder(rows)
          ? auditFailure('AUDIT_LOG_TRUNCATED', { index }, `no leaf at index ${index}: the next stored leaf has index ${row.index}`)
          : auditFailure('AUDIT_INDEX_MISMATCH', { index }, `the source gave the leaf of index ${row.index} where the one of index ${index} was due (out of order, or twice)`);
      break;
    }
    const leaf = Buffer.from(row.leaf.buffer, row.leaf.byteOffset, row.leaf.byteLength);
    const body = bodyBytesOf(leaf);
    const signatures = signaturesOf(leaf);
    read.push({ row, leaf, body, signatures });
    packedBytes += leaf.length + (body === undefined ? 0 : domainBytes.length + body.length) + signatures.length * (signatureBytes + publicKeyBytes);
    signatureCount += signatures.length;
  }
  for (const cp of checkpoints) packedBytes += cp.message.length + cp.signature.length + publicKeyBytes;

  // One buffer per chunk holds every leaf, message, signature and key, with their offsets (see
  // VerifyTask): a thread receives it in one copy.
  const packer = new TaskPacker(packedBytes, signatureCount + checkpoints.length, read.length);
  const entries: PreparedEntry[] = [];
  const lookups = new Set<string>();
  for (const { row, leaf, body, signatures } of read) {
    packer.addLeaf(leaf);
    let message: Uint8Array | undefined;
    let messageAt = 0;
    if (body !== undefined) {
      messageAt = packer.put(domainBytes);
      packer.put(body);
      message = packer.bytes.subarray(messageAt, packer.used);
    }
    const b = body === undefined ? {} : bodyFieldsOf(body);
    // The genesis entry is signed by the ledger key it registers.
    if (b.type === 'ledger.genesis' && Array.isArray(b.keys)) for (const k of b.keys as unknown[]) learnKey(resolver, k);
    const checkAt = signatures.map((s) => {
      const publicKey = resolver.get(s.keyId);
      // A signature that is not the canonical base64 of 64 bytes is left to the replay, which refuses it.
      const signatureAt = packer.putSignatureBase64(s.signature);
      if (publicKey === undefined || message === undefined || signatureAt === noPart) return -1;
      return packer.addCheck(messageAt, message.length, signatureAt, publicKey);
    });
    if (b.type === 'key.register') learnKey(resolver, b.key);
    const named = b.type === 'refund' ? str(b.payment) : b.type === 'correction' ? str(b.corrects) : undefined;
    if (named !== undefined) lookups.add(named);
    const bodyHash = body === undefined ? undefined : hash('sha256', body, 'buffer');
    entries.push({ signatures, message, bodyHash, checkAt, row });
  }
  const extraChecks = new Map<number, number>();
  for (const cp of checkpoints) {
    const messageAt = packer.put(cp.message);
    const signatureAt = cp.signature.length === signatureBytes ? packer.put(cp.signature) : noPart;
    extraChecks.set(cp.size, packer.addCheck(messageAt, cp.message.length, signatureAt, logKey));
  }
  return { start, entries, failure, task: packer.task(), lookups: [...lookups], extraChecks };
}

/**
 * Records a registration's key, once (the first registration of an id is the only one applyEntry
 * accepts). Its own 32-byte buffer, so that a task copies 32 bytes for it, not a pooled slab.
 */
function learnKey(resolver: KeyResolver, registration: unknown): void {
  if (!isObject(registration)) return;
  const keyId = str(registration.keyId);
  const publicKey = str(registration.publicKey);
  if (keyId === undefined || publicKey === undefined || resolver.has(keyId)) return;
  const key = new Uint8Array(publicKeyBytes);
  key.set(Buffer.from(publicKey, 'base64').subarray(0, publicKeyBytes));
  resolver.set(keyId, key);
}

/** Whether the rows' indices strictly increase (a source's chunk with a gap still does). */
function inIndexOrder(rows: readonly SourceRow[]): boolean {
  return rows.every((row, i) => i === 0 || row.index > (rows[i - 1]?.index ?? -1));
}
