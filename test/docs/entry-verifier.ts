import { ed25519Verify, jcs, sha256 } from './receipt-verifier.js';

/**
 * The entry checks of docs/formats/entry.md, written from the page alone (node:crypto, no ledger code):
 * key ids, the signing message and the basket hash. formats-doc.test.ts compares them with the code.
 */
export function entryKeyId(publicKey: Uint8Array): string {
  return sha256(publicKey).subarray(0, 8).toString('hex');
}

export function entrySigningMessage(body: unknown): Buffer {
  return Buffer.concat([Buffer.from('caisse-entry-v1\n', 'ascii'), Buffer.from(jcs(body), 'utf8')]);
}

export function entrySignatureValid(body: unknown, signatureBase64: string, publicKey: Uint8Array): boolean {
  return ed25519Verify(publicKey, entrySigningMessage(body), Buffer.from(signatureBase64, 'base64'));
}

export function basketHashOf(saltBase64: string, tier: number, lines: unknown): string {
  const content = jcs({ lines, tier });
  return sha256(Buffer.from('caisse-basket-v1\n', 'ascii'), Buffer.from(saltBase64, 'base64'), Buffer.from(content, 'utf8')).toString('base64');
}
