import { z } from 'zod';
import { canonicalBytes, canonicalJson, isCanonicalText, JcsError } from '../../domain/jcs.js';
import { entryBodySchema, entrySignatureSchema, type SignedEntry } from '../../domain/entry/schema.js';
import { limits } from '../../domain/limits.js';
import { jsonSafeParser } from '../../domain/schema-predicate.js';

/**
 * A leaf of the Merkle log: the JCS bytes of a sealed entry.
 *
 *   { "body": {…}, "flags": ["offline"]?, "index": N, "ledgerTimeMs": T, "signatures": [{keyId, signature}…] }
 *
 * The body and signatures are exactly what the signer sent; the ledger adds the index, its own time and
 * flags (`offline`: a till entry created outside the clock window, accepted late). Leaf hash:
 * SHA-256(0x00 || leaf) (RFC 6962). See docs/formats/leaf.md.
 */
export interface SealedEntry extends SignedEntry {
  readonly index: number;
  readonly ledgerTimeMs: number;
  readonly flags?: readonly 'offline'[];
}

export const sealedEntrySchema = z.strictObject({
  body: entryBodySchema,
  signatures: z.array(entrySignatureSchema).min(1).max(limits.signaturesMax),
  index: z.int().min(0),
  ledgerTimeMs: z.int().min(0),
  flags: z.array(z.literal('offline')).min(1).max(1).optional(),
});

/** sealedEntrySchema.safeParse with its compiled predicate in front (an audit decodes every leaf). */
const parseSealedEntry = jsonSafeParser(sealedEntrySchema);

const leafKeys = new Set(['body', 'signatures', 'index', 'ledgerTimeMs', 'flags']);
const encoder = new TextEncoder();

/**
 * The leaf bytes. `bodyJcs`, when given, is canonicalJson(sealed.body) already computed by the caller
 * (the ledger computes it once per entry for the body hash and the signing message): the leaf is then
 * assembled around it, keys in JCS order (body, flags, index, ledgerTimeMs, signatures), giving the
 * same bytes as canonicalBytes(sealed) without canonicalising the body a third time.
 */
export function encodeLeaf(sealed: SealedEntry, bodyJcs?: string): Uint8Array {
  if (bodyJcs === undefined || Object.keys(sealed).some((k) => !leafKeys.has(k))) return canonicalBytes(sealed);
  const flags = sealed.flags === undefined ? '' : `,"flags":${canonicalJson(sealed.flags)}`;
  return encoder.encode(
    `{"body":${bodyJcs}${flags},"index":${canonicalJson(sealed.index)},"ledgerTimeMs":${canonicalJson(sealed.ledgerTimeMs)},"signatures":${canonicalJson(sealed.signatures)}}`,
  );
}

export class LeafFormatError extends Error {}

// ignoreBOM keeps a leading byte-order mark in the text (JSON.parse then refuses it) rather than dropping it.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Parses and validates a leaf, and checks it is in canonical form (the same value has one leaf). */
export function decodeLeaf(leaf: Uint8Array): SealedEntry {
  let value: unknown;
  let text: string;
  try {
    text = decoder.decode(leaf);
    value = JSON.parse(text);
  } catch (e) {
    throw new LeafFormatError(`leaf is not UTF-8 JSON: ${(e as Error).message}`);
  }
  const parsed = parseSealedEntry(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LeafFormatError(`leaf does not match the format: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`);
  }
  // The schema's copy must hold exactly what the leaf holds: its objects are strict and it has no
  // defaults or transforms, but a record (a rules document) drops an own "__proto__" key without a
  // word, and two leaves would then decode to one entry. Such a key is refused.
  // The text search only skips the walk: a key spelled with escapes ("\u005f_proto__") escapes it, but
  // such a leaf is not in canonical form, and the check below refuses it.
  if (text.includes('"__proto__"') && hasProtoKey(value, 0)) throw new LeafFormatError('leaf has a "__proto__" key');
  // The decoder refused any byte sequence that is not UTF-8 and dropped nothing, so equal text means
  // equal bytes. Checked on the value parsed, whose keys come in the text's order (the schema's copy
  // has them in the schema's order), which lets isCanonicalText skip writing the canonical form.
  let canonical: boolean;
  try {
    canonical = isCanonicalText(value, text);
  } catch (e) {
    // A number JCS refuses (a fraction in a rules document) or nesting past the limit.
    if (e instanceof JcsError) throw new LeafFormatError(`leaf has no canonical form: ${e.message}`);
    throw e;
  }
  if (!canonical) throw new LeafFormatError('leaf is not in canonical (JCS) form');
  return parsed.data as SealedEntry;
}

/** Whether an object anywhere in a parsed JSON value has an own key "__proto__" (JSON.parse makes one). */
function hasProtoKey(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null || depth > limits.jsonDepthMax) return false;
  if (Array.isArray(value)) return value.some((item) => hasProtoKey(item, depth + 1));
  return Object.keys(value).some((key) => key === '__proto__' || hasProtoKey((value as Record<string, unknown>)[key], depth + 1));
}
