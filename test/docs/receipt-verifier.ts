import { createHash, createPublicKey, verify } from 'node:crypto';

/**
 * A receipt verifier written from docs/formats/receipt.md, leaf.md and checkpoint.md alone, as a third
 * party would: node:crypto and nothing from the ledger's code. formats-doc.test.ts runs it on the
 * worked example and on altered copies, so that the pages are shown to be precise enough to verify.
 */
export type Verdict = { readonly ok: true } | { readonly ok: false; readonly step: number; readonly reason: string };

class Refused extends Error {
  constructor(
    readonly step: number,
    reason: string,
  ) {
    super(reason);
  }
}

function refuse(step: number, reason: string): never {
  throw new Refused(step, reason);
}

export const sha256 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), publicKey]);
  try {
    return verify(null, message, createPublicKey({ key: spki, format: 'der', type: 'spki' }), signature);
  } catch {
    return false;
  }
}

function base64Of32(text: unknown, step: number, what: string): Buffer {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]{43}=$/.test(text)) refuse(step, `${what} is not base64 of 32 bytes`);
  return Buffer.from(text, 'base64');
}

/** RFC 8785 for the values a leaf holds: integers, strings, booleans, null, arrays, objects. */
export function jcs(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error('not a safe integer');
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(jcs).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${jcs(record[k])}`)
      .join(',')}}`;
  }
  throw new Error(`cannot canonicalise ${typeof value}`);
}

function parseVkey(vkey: string): { name: string; keyId: Buffer; publicKey: Buffer } {
  // The base64 key may itself hold '+': the fields are split at the first two only.
  const m = /^([^+]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+=*)$/.exec(vkey);
  if (m === null) refuse(0, 'bad verifier key');
  const [, name = '', idHex = '', key = ''] = m;
  const raw = Buffer.from(key, 'base64');
  if (raw.length !== 33 || raw[0] !== 0x01) refuse(0, 'verifier key is not an Ed25519 key');
  const publicKey = raw.subarray(1);
  const keyId = sha256(Buffer.from(`${name}\n`, 'utf8'), Uint8Array.of(0x01), publicKey).subarray(0, 4);
  if (keyId.toString('hex') !== idHex) refuse(0, 'verifier key id does not match its name and key');
  return { name, keyId, publicKey };
}

function check(receiptValue: unknown, vkey: string, leaf: Uint8Array): void {
  const key = parseVkey(vkey);

  // Step 1: the receipt's fields.
  if (typeof receiptValue !== 'object' || receiptValue === null) refuse(1, 'not an object');
  const r = receiptValue as Record<string, unknown>;
  const allowed = ['v', 'origin', 'entryId', 'index', 'leafHash', 'ledgerTimeMs', 'treeSize', 'inclusionProof', 'checkpoint', 'flags', 'replayed'];
  for (const field of Object.keys(r)) if (!allowed.includes(field)) refuse(1, `unknown field ${field}`);
  if (r.v !== 1) refuse(1, 'v is not 1');
  const { index, treeSize, ledgerTimeMs } = r;
  if (typeof index !== 'number' || typeof treeSize !== 'number' || typeof ledgerTimeMs !== 'number') refuse(1, 'index, treeSize or ledgerTimeMs is not a number');
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || index >= treeSize) refuse(1, 'index not below treeSize');
  if (typeof r.origin !== 'string' || typeof r.entryId !== 'string' || typeof r.checkpoint !== 'string') refuse(1, 'origin, entryId or checkpoint is not a string');
  const leafHash = base64Of32(r.leafHash, 1, 'leafHash');
  if (!Array.isArray(r.inclusionProof) || r.inclusionProof.length > 64) refuse(1, 'inclusionProof is not an array of at most 64 hashes');
  const proof = r.inclusionProof.map((h: unknown) => base64Of32(h, 1, 'a proof hash'));

  // Step 2: open the checkpoint note with the ledger key.
  const note = r.checkpoint;
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) refuse(2, 'not a signed note');
  const text = note.slice(0, split + 1);
  let verified = 0;
  for (const line of note.slice(split + 2, -1).split('\n')) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (m === null) refuse(2, `bad signature line ${JSON.stringify(line)}`);
    const raw = Buffer.from(m[2] ?? '', 'base64');
    if (m[1] !== key.name || !raw.subarray(0, 4).equals(key.keyId)) continue;
    if (!ed25519Verify(key.publicKey, Buffer.from(text, 'utf8'), raw.subarray(4))) refuse(2, 'the ledger key signature does not verify');
    verified += 1;
  }
  if (verified === 0) refuse(2, 'not signed by the ledger key');

  // Step 3: the checkpoint text.
  const [origin, size, root] = text.slice(0, -1).split('\n');
  if (origin !== key.name || origin !== r.origin) refuse(3, 'origin is not the ledger key name and the receipt origin');
  if (size !== String(treeSize)) refuse(3, `checkpoint size ${size ?? '?'} is not treeSize ${treeSize}`);
  const rootHash = base64Of32(root, 3, 'root');

  // Step 4: the inclusion proof, RFC 9162 section 2.1.3.2.
  let fn = index;
  let sn = treeSize - 1;
  let h = leafHash;
  for (const p of proof) {
    if (sn === 0) refuse(4, 'proof too long');
    if (fn % 2 === 1 || fn === sn) {
      h = sha256(Uint8Array.of(0x01), p, h);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      h = sha256(Uint8Array.of(0x01), h, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0 || !h.equals(rootHash)) refuse(4, 'the proof does not lead to the checkpoint root');

  // Step 5: the leaf.
  if (!sha256(Uint8Array.of(0x00), leaf).equals(leafHash)) refuse(5, 'the leaf does not hash to leafHash');
  let sealed: Record<string, unknown>;
  try {
    sealed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(leaf)) as Record<string, unknown>;
  } catch {
    refuse(5, 'the leaf is not UTF-8 JSON');
  }
  if (jcs(sealed) !== Buffer.from(leaf).toString('utf8')) refuse(5, 'the leaf is not canonical JSON');
  const body = sealed.body as Record<string, unknown> | undefined;
  if (sealed.index !== index || sealed.ledgerTimeMs !== ledgerTimeMs || body?.id !== r.entryId) refuse(5, 'the leaf is another entry');
  if (JSON.stringify(sealed.flags ?? null) !== JSON.stringify(r.flags ?? null)) refuse(5, 'flags differ');
}

export function verifyReceipt(receipt: unknown, vkey: string, leaf: Uint8Array): Verdict {
  try {
    check(receipt, vkey, leaf);
    return { ok: true };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, step: e.step, reason: e.message };
    throw e;
  }
}
