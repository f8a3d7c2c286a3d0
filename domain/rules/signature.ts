import { z } from 'zod';
import { keyIdOf, signBytes, verifyBytes, type SigningKey } from '../ed25519.js';
import { canonicalBytes } from '../jcs.js';
import { parseRulesDocument } from './compile.js';
import { rulesFail } from './errors.js';
import type { RulesDocument } from './schema.js';

/**
 * The committee signs a rules document with Ed25519 over a versioned domain string followed by the
 * document's JCS bytes: `"caisse-rules-v1\n" || JCS(document)`. The domain string keeps a rules
 * signature from ever being valid as any other kind of signature of the kit.
 */
export const rulesSignatureDomain = 'caisse-rules-v1\n';

export interface SignedRules {
  readonly document: RulesDocument;
  /** keyIdOf(committee public key): 16 hex characters. */
  readonly keyId: string;
  /** Base64 of the 64-byte Ed25519 signature. */
  readonly signature: string;
}

const signedRulesShape = z.strictObject({
  document: z.unknown(),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/),
});

const encoder = new TextEncoder();

export function rulesSigningMessage(doc: RulesDocument): Uint8Array {
  const domain = encoder.encode(rulesSignatureDomain);
  const body = canonicalBytes(doc);
  const message = new Uint8Array(domain.length + body.length);
  message.set(domain, 0);
  message.set(body, domain.length);
  return message;
}

export function signRulesDocument(doc: RulesDocument, committeeKey: SigningKey): SignedRules {
  // Validate first: a committee must never sign a document the tills would refuse.
  const document = parseRulesDocument(doc);
  const signature = Buffer.from(signBytes(committeeKey, rulesSigningMessage(document))).toString('base64');
  return { document, keyId: keyIdOf(committeeKey.publicKey), signature };
}

/** True when a JSON value looks like a signed document rather than a bare one. */
export function isSignedRulesShape(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'document' in value && 'signature' in value;
}

/**
 * Checks the shape, the key and the signature, then validates the document. `trustedKeys` maps key ids
 * to committee public keys (one committee may rotate keys). Throws RULES_UNTRUSTED_KEY,
 * RULES_BAD_SIGNATURE or RULES_INVALID.
 */
export function verifySignedRules(signed: unknown, trustedKeys: ReadonlyMap<string, Uint8Array>): SignedRules {
  const shape = signedRulesShape.safeParse(signed);
  if (!shape.success) throw rulesFail('RULES_INVALID', `signed rules: ${shape.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const publicKey = trustedKeys.get(shape.data.keyId);
  if (publicKey === undefined) throw rulesFail('RULES_UNTRUSTED_KEY', shape.data.keyId);
  if (keyIdOf(publicKey) !== shape.data.keyId) throw rulesFail('RULES_UNTRUSTED_KEY', `${shape.data.keyId} does not match its public key`);
  const document = parseRulesDocument(shape.data.document);
  const signature = new Uint8Array(Buffer.from(shape.data.signature, 'base64'));
  if (!verifyBytes(publicKey, rulesSigningMessage(document), signature)) throw rulesFail('RULES_BAD_SIGNATURE', `${document.territory} v${document.version}`);
  return { document, keyId: shape.data.keyId, signature: shape.data.signature };
}
