import { readFileBounded } from '../catalog/catalog-file.js';
import { CaisseError } from '../error-spec.js';
import { parseJsonWithoutRepeats } from '../json-duplicate-keys.js';
import { rulesFail } from './errors.js';
import { rulesBytesMax } from './limits.js';
import { parseRulesDocument } from './compile.js';
import type { RulesDocument } from './schema.js';
import { isSignedRulesShape, verifySignedRules } from './signature.js';

/**
 * Reads a rules file (a bare document or a signed one) as JSON, bounded in size. Validation is the
 * caller's next step: `validateRulesDocument`, or `verifySignedRules` for a signed one.
 */
export async function readRulesJson(path: string): Promise<unknown> {
  let bytes: Uint8Array;
  try {
    bytes = await readFileBounded(path, rulesBytesMax);
  } catch (error) {
    if (error instanceof CaisseError && error.code === 'CATALOG_TOO_LARGE') throw rulesFail('RULES_TOO_LARGE', error.detail);
    if (error instanceof CaisseError) throw rulesFail('RULES_UNREADABLE', error.detail);
    throw error;
  }
  try {
    return parseJsonWithoutRepeats(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw rulesFail('RULES_UNREADABLE', `${path}: not UTF-8 JSON (${(error as Error).message})`);
  }
}

export interface LoadedRules {
  readonly document: RulesDocument;
  /** Present when the file held a signed document; its signature is checked only with a trusted key. */
  readonly signed?: { readonly keyId: string; readonly signature: string; readonly verified: boolean };
}

/**
 * Reads a rules file, bare or signed. With `trustedKeys`, a signed document's signature is verified
 * (RULES_BAD_SIGNATURE, RULES_UNTRUSTED_KEY); without, it is reported as not verified. Throws
 * RULES_INVALID for an invalid document.
 */
export async function loadRulesFile(path: string, trustedKeys?: ReadonlyMap<string, Uint8Array>): Promise<LoadedRules> {
  const value = await readRulesJson(path);
  if (!isSignedRulesShape(value)) return { document: parseRulesDocument(value) };
  if (trustedKeys !== undefined) {
    const signed = verifySignedRules(value, trustedKeys);
    return { document: signed.document, signed: { keyId: signed.keyId, signature: signed.signature, verified: true } };
  }
  const record = value as { document: unknown; keyId?: unknown; signature?: unknown };
  return {
    document: parseRulesDocument(record.document),
    signed: { keyId: String(record.keyId), signature: String(record.signature), verified: false },
  };
}
