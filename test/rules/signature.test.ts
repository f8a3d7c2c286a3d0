import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSigningKey, keyIdOf, signBytes } from '../../domain/ed25519.js';
import { canonicalBytes } from '../../domain/jcs.js';
import { rulesDocumentHash } from '../../domain/rules/compile.js';
import { keyFileJson, parseKeyFile, readKeyFile, writeKeyFile } from '../../domain/key-file.js';
import { loadRulesFile, readRulesJson } from '../../domain/rules/rules-file.js';
import { rulesSignatureDomain, rulesSigningMessage, signRulesDocument, verifySignedRules } from '../../domain/rules/signature.js';
import { fixtureRulesDocument } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'caisse-sign-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('committee signatures on rules documents', () => {
  const key = generateSigningKey();
  const trusted = new Map([[keyIdOf(key.publicKey), key.publicKey]]);
  const doc = fixtureRulesDocument('nantes-ouest');

  it('signs "caisse-rules-v1\\n" || JCS(document) and verifies', () => {
    const signed = signRulesDocument(doc, key);
    expect(signed.keyId).toBe(keyIdOf(key.publicKey));
    const message = Buffer.concat([Buffer.from(rulesSignatureDomain), Buffer.from(canonicalBytes(doc))]);
    expect(Buffer.from(rulesSigningMessage(doc)).equals(message)).toBe(true);
    expect(verifySignedRules(JSON.parse(JSON.stringify(signed)), trusted).document).toEqual(doc);
  });

  it('does not depend on key order in the file', () => {
    const signed = signRulesDocument(doc, key);
    const reordered = { signature: signed.signature, document: Object.fromEntries(Object.entries(signed.document).reverse()), keyId: signed.keyId };
    expect(verifySignedRules(reordered, trusted).document.version).toBe(doc.version);
  });

  it.each([
    ['a changed share', (s: ReturnType<typeof signRulesDocument>) => ({ ...s, document: { ...s.document, pricing: { kind: 'whole' } } }), 'RULES_BAD_SIGNATURE'],
    ['a changed version', (s: ReturnType<typeof signRulesDocument>) => ({ ...s, document: { ...s.document, version: 2 } }), 'RULES_BAD_SIGNATURE'],
    ['a signature by another key under this key id', (s: ReturnType<typeof signRulesDocument>) => ({ ...s, signature: Buffer.from(signBytes(generateSigningKey(), rulesSigningMessage(s.document))).toString('base64') }), 'RULES_BAD_SIGNATURE'],
    ['a signature without the domain string', (s: ReturnType<typeof signRulesDocument>) => ({ ...s, signature: Buffer.from(signBytes(key, canonicalBytes(s.document))).toString('base64') }), 'RULES_BAD_SIGNATURE'],
    ['an unknown key id', (s: ReturnType<typeof signRulesDocument>) => ({ ...s, keyId: '0123456789abcdef' }), 'RULES_UNTRUSTED_KEY'],
    ['a malformed signature', (s: ReturnType<typeof signRulesDocument>) => ({ ...s, signature: 'abc' }), 'RULES_INVALID'],
    ['an invalid document', (s: ReturnType<typeof signRulesDocument>) => ({ ...s, document: { ...s.document, version: -1 } }), 'RULES_INVALID'],
  ])('refuses %s', (_name, tamper, code) => {
    expect(() => verifySignedRules(tamper(signRulesDocument(doc, key)), trusted)).toThrow(expect.objectContaining({ code }));
  });

  it('refuses to sign an invalid document', () => {
    expect(() => signRulesDocument({ ...doc, version: 0 }, key)).toThrow(expect.objectContaining({ code: 'RULES_INVALID' }));
  });

  it('hashes the document as SHA-256 of its JCS bytes', () => {
    expect(rulesDocumentHash(doc)).toBe(createHash('sha256').update(canonicalBytes(doc)).digest('hex'));
    expect(rulesDocumentHash(doc)).not.toBe(rulesDocumentHash(fixtureRulesDocument('pays-de-retz')));
  });
});

describe('committee key files', () => {
  it('are written with mode 0600, never overwritten, and read back', async () => {
    const key = generateSigningKey();
    const file = join(dir, 'committee.key');
    writeKeyFile(file, key);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(() => writeKeyFile(file, key)).toThrow(expect.objectContaining({ code: 'KEY_FILE_EXISTS' }));
    const read = readKeyFile(file);
    expect(Buffer.from(read.publicKey).equals(Buffer.from(key.publicKey))).toBe(true);
  });

  it.each([
    ['not JSON', 'nope'],
    ['a missing seed', JSON.stringify({ keyId: '0123456789abcdef', publicKey: 'A'.repeat(43) + '=' })],
    ['a public key that does not match the seed', (() => {
      const a = JSON.parse(keyFileJson(generateSigningKey())) as Record<string, string>;
      const b = JSON.parse(keyFileJson(generateSigningKey())) as Record<string, string>;
      return JSON.stringify({ ...a, publicKey: b.publicKey });
    })()],
  ])('refuses %s', (_name, text) => {
    expect(() => parseKeyFile(text)).toThrow(expect.objectContaining({ code: 'KEY_FILE_INVALID' }));
  });

  it('refuses a missing, an oversized and a world-readable file', () => {
    expect(() => readKeyFile(join(dir, 'absent.key'))).toThrow(expect.objectContaining({ code: 'KEY_FILE_UNREADABLE' }));
    writeFileSync(join(dir, 'big.key'), 'x'.repeat(5000), { mode: 0o600 });
    expect(() => readKeyFile(join(dir, 'big.key'))).toThrow(expect.objectContaining({ code: 'KEY_FILE_INVALID' }));
    writeFileSync(join(dir, 'open.key'), keyFileJson(generateSigningKey()), { mode: 0o644 });
    expect(() => readKeyFile(join(dir, 'open.key'))).toThrow(expect.objectContaining({ code: 'KEY_FILE_EXPOSED' }));
    // A directory is not a key file, whatever its mode.
    expect(() => readKeyFile(dir)).toThrow(expect.objectContaining({ code: 'KEY_FILE_UNREADABLE', detail: `${dir}: not a file` }));
  });

  it('names a key file it cannot write as such, and never writes over one', () => {
    expect(() => writeKeyFile(join(dir, 'pas-de-dossier', 'k.key'), generateSigningKey())).toThrow(expect.objectContaining({ code: 'KEY_FILE_UNWRITABLE' }));
    writeKeyFile(join(dir, 'once.key'), generateSigningKey());
    expect(() => writeKeyFile(join(dir, 'once.key'), generateSigningKey())).toThrow(expect.objectContaining({ code: 'KEY_FILE_EXISTS' }));
  });
});

describe('rules files', () => {
  it('loads bare and signed documents, verifying with a trusted key', async () => {
    const key = generateSigningKey();
    const doc = fixtureRulesDocument('pays-de-retz');
    const bare = join(dir, 'bare.json');
    const signedFile = join(dir, 'signed.json');
    writeFileSync(bare, JSON.stringify(doc));
    writeFileSync(signedFile, JSON.stringify(signRulesDocument(doc, key)));
    expect((await loadRulesFile(bare)).signed).toBeUndefined();
    expect((await loadRulesFile(signedFile)).signed?.verified).toBe(false);
    const trusted = new Map([[keyIdOf(key.publicKey), key.publicKey]]);
    expect((await loadRulesFile(signedFile, trusted)).signed?.verified).toBe(true);
    const other = generateSigningKey();
    await expect(loadRulesFile(signedFile, new Map([[keyIdOf(other.publicKey), other.publicKey]]))).rejects.toMatchObject({ code: 'RULES_UNTRUSTED_KEY' });
  });

  it('refuses a rules file over 2 MiB before parsing it', async () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, Buffer.alloc(2 * 1024 * 1024 + 1, 32));
    await expect(readRulesJson(big)).rejects.toMatchObject({ code: 'RULES_TOO_LARGE' });
    await expect(readRulesJson(join(dir, 'absent.json'))).rejects.toMatchObject({ code: 'RULES_UNREADABLE' });
  });
});
