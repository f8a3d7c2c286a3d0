import { z } from 'zod';
import { base64Sha256Schema, entryIdSchema } from '../../domain/entry/schema.js';

/**
 * A receipt: the ledger's proof that an entry is in the log. It carries the leaf hash, the inclusion
 * proof and the signed checkpoint the proof is against, so that a till, a member's phone or an auditor
 * can check it with the ledger's public key alone (docs/formats/receipt.md).
 */
export const receiptFormatVersion = 1;

export const receiptSchema = z.strictObject({
  v: z.literal(receiptFormatVersion),
  origin: z.string().min(1).max(120),
  entryId: entryIdSchema,
  index: z.int().min(0),
  leafHash: base64Sha256Schema,
  ledgerTimeMs: z.int().min(0),
  treeSize: z.int().min(1),
  /** RFC 9162 inclusion proof of leafHash at index in the tree of treeSize leaves, base64 hashes. */
  inclusionProof: z.array(base64Sha256Schema).max(64),
  /** The signed checkpoint (C2SP signed note) whose root the proof leads to. */
  checkpoint: z.string().min(1).max(4096),
  flags: z.array(z.literal('offline')).optional(),
  /** True when the same entry had already been submitted: this is the first receipt again. */
  replayed: z.literal(true).optional(),
});

export type Receipt = z.infer<typeof receiptSchema>;

/**
 * What the QR code on a printed receipt carries: the ledger's origin, the entry's index and its leaf
 * hash, as a URL a phone can open. Anyone can fetch leaf `index` from the public log, hash it, compare
 * with `h` and check its inclusion against a signed checkpoint; nothing in it names the member.
 */
export function receiptQrText(origin: string, index: number, leafHashBase64: string): string {
  const h = Buffer.from(leafHashBase64, 'base64').toString('base64url');
  return `https://${origin}/v1/receipts/${index}?h=${h}`;
}

export function parseReceiptQrText(text: string): { origin: string; index: number; leafHash: string } | undefined {
  const m = /^https:\/\/([a-z0-9][a-z0-9.-]*(?:\/[a-z0-9._-]+)*)\/v1\/receipts\/(0|[1-9][0-9]{0,15})\?h=([A-Za-z0-9_-]{43})$/.exec(text);
  if (m === null || m[1] === undefined || m[2] === undefined || m[3] === undefined) return undefined;
  return { origin: m[1], index: Number(m[2]), leafHash: Buffer.from(m[3], 'base64url').toString('base64') };
}

/** A short hash printed under the QR code, for a person to compare by eye. */
export function shortHash(leafHashBase64: string): string {
  return Buffer.from(leafHashBase64, 'base64').subarray(0, 6).toString('hex');
}
