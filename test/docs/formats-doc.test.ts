import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { basketLineSchema, basketSchema } from '../../domain/entry/basket.js';
import { basketSummarySchema, entryBodySchema, entryTypes, keyRegistrationSchema, postingSchema } from '../../domain/entry/schema.js';
import { isErrorCode } from '../../cli/error-catalogue.js';
import { limits } from '../../domain/limits.js';
import { parseReceiptQrText, receiptSchema } from '../../ledger/formats/receipt.js';
import { exampleKeys, exampleLines, exampleSaltBase64, exampleTier, workedExample, type WorkedExample } from './example.js';
import { basketHashOf, entryKeyId, entrySignatureValid, entrySigningMessage } from './entry-verifier.js';
import { sha256 } from './receipt-verifier.js';
import { verifyReceipt } from './receipt-verifier.js';

/**
 * docs/formats/entry.md, leaf.md and receipt.md print a worked example computed by test/docs/example.ts.
 * When a format changes, rewrite the example values in the pages (then read the diff, fix the prose):
 *   npx tsc -p tsconfig.json --outDir node_modules/.cache/caisse-docs && node node_modules/.cache/caisse-docs/test/docs/update-examples.js
 * (print-examples.js, compiled alongside, prints every value.)
 */
const docsDir = new URL('../../docs/formats/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, docsDir), 'utf8');
const entryDoc = read('entry.md');
const leafDoc = read('leaf.md');
const receiptDoc = read('receipt.md');

const fence = (text: string, lang = '') => `\`\`\`${lang}\n${text}\n\`\`\``;
/** Thousands grouped with spaces, as the pages write numbers. */
const grouped = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');

let example: WorkedExample;
beforeAll(() => {
  example = workedExample();
});

describe('docs/formats/entry.md', () => {
  it('shows the worked example the code computes', () => {
    const e = example.entry;
    for (const value of [e.tillSeedHex, e.tillPublicKeyHex, e.tillPublicKeyBase64, `key id           ${e.tillKeyId}`, e.domainHex, e.messageSha256, e.signature]) {
      expect(entryDoc).toContain(value);
    }
    expect(entryDoc).toContain(fence(example.basket.contentJcs));
    expect(entryDoc).toContain(`basket hash \`${example.basket.hash}\``);
    expect(entryDoc).toContain(`(base64 \`${example.basket.salt}\`)`);
    expect(entryDoc).toContain(fence(e.bodyPretty, 'json'));
    expect(entryDoc).toContain(fence(e.bodyJcs));
    expect(entryDoc).toContain(`(${e.bodyJcsBytes} bytes, one line`);
    expect(entryDoc).toContain(`followed by those ${e.bodyJcsBytes} bytes:\n${e.messageBytes} bytes in all`);
    expect(entryDoc).toContain(fence(e.envelopePretty, 'json'));
    expect(entryDoc).toContain(`sealed it at index ${example.leaf.index}`);
  });

  it('says enough to recompute key ids, the signing message, the signature check and the basket hash', () => {
    const body = JSON.parse(example.entry.bodyPretty) as unknown;
    expect(entryKeyId(exampleKeys.till.publicKey)).toBe(example.entry.tillKeyId);
    const message = entrySigningMessage(body);
    expect(message.length).toBe(example.entry.messageBytes);
    expect(sha256(message).toString('hex')).toBe(example.entry.messageSha256);
    expect(entrySignatureValid(body, example.entry.signature, exampleKeys.till.publicKey)).toBe(true);
    expect(entrySignatureValid({ ...(body as object), ticket: 43 }, example.entry.signature, exampleKeys.till.publicKey)).toBe(false);
    expect(basketHashOf(exampleSaltBase64, exampleTier, exampleLines)).toBe(example.basket.hash);
    expect(example.entry.domain).toBe('caisse-entry-v1\n');
    expect(example.basket.domain).toBe('caisse-basket-v1\n');
  });

  it('describes every entry type, every field of every body, posting, key registration and basket line', () => {
    const headings = entryDoc.split('\n').filter((l) => l.startsWith('### '));
    for (const type of entryTypes) {
      expect(headings.some((h) => h.includes(`\`${type}\``)), `heading for ${type}`).toBe(true);
      expect(entryDoc, `signer table row for ${type}`).toContain(`| \`${type}\` |`);
    }
    const fields = new Set<string>();
    for (const option of entryBodySchema.options) for (const key of Object.keys(option.shape)) fields.add(key);
    for (const schema of [postingSchema, keyRegistrationSchema, basketSummarySchema, basketLineSchema, basketSchema]) {
      for (const key of Object.keys(schema.shape)) fields.add(key);
    }
    const missing = [...fields].filter((f) => !entryDoc.includes(`\`${f}\``) && !entryDoc.includes(`"${f}"`));
    expect(missing).toEqual([]);
  });

  it('gives the signer roles and account holdings that ledger/core/apply.ts applies', () => {
    // The tables are read from apply.ts's source: they are private constants of the state machine.
    const apply = readFileSync(new URL('../../ledger/core/apply.ts', import.meta.url), 'utf8');
    const table = (name: string) => {
      const block = new RegExp(`const ${name}[^=]*= \\{\\n([\\s\\S]*?)\\n\\};`).exec(apply)?.[1] ?? '';
      return [...block.matchAll(/^ {2}'?([a-z.]+)'?: \[([^\]]*)\],$/gm)].map((m) => ({ key: m[1] ?? '', values: [...(m[2] ?? '').matchAll(/'([A-Za-z]+)'/g)].map((v) => v[1] ?? '') }));
    };
    const rowOf = (key: string) => entryDoc.split('\n').find((l) => l.startsWith(`| \`${key}\``)) ?? '';
    const roles = ['ledger', 'committee', 'operator', 'moneko', 'till'];
    const signers = table('signerRoles');
    expect(signers.map((s) => s.key).sort()).toEqual([...entryTypes].sort());
    for (const { key, values } of signers) {
      const signedBy = rowOf(key).split(' | ')[1] ?? '';
      expect(roles.filter((r) => signedBy.includes(`\`${r}\``)).sort(), key).toEqual([...values].sort());
    }
    const held = table('heldAssets');
    expect(held.length).toBe(6);
    for (const { key, values } of held) {
      const row = entryDoc.split('\n').find((l) => l.startsWith(`| \`${key}\` (`)) ?? '';
      expect(row.split(' | ')[2], key).toBe(values.join(', '));
    }
    expect(apply).toContain("const issuedAsset: { readonly [K in AccountKind]?: Asset } = { fund: 'CCA', reserve: 'MNK' };");
  });

  it('quotes the limits the code applies', () => {
    expect(entryDoc).toContain(`1 to ${limits.signaturesMax} (\`limits.signaturesMax\`)`);
    expect(entryDoc).toContain(`carry 2 to ${grouped(limits.postingsMax)} of them`);
    expect(entryDoc).toContain(`1 to ${limits.textCharsMax} characters (\`limits.textCharsMax\``);
    expect(entryDoc).toContain(`(1 to\n${limits.basketLinesMax} per basket`);
    expect(entryDoc).toContain(`default\n${limits.clockWindowMsDefault / 60_000} minutes`);
    expect(entryDoc).toContain(`at most ${limits.offlineAgeMsMax / 86_400_000} days`);
  });
});

describe('docs/formats/leaf.md', () => {
  it('shows the leaf and leaf hash of the worked example', () => {
    const l = example.leaf;
    expect(leafDoc).toContain(fence(l.bytes));
    expect(leafDoc).toContain(`${l.length} bytes:`);
    expect(leafDoc).toContain(`those ${l.length} bytes`);
    expect(leafDoc).toContain(l.hashHex);
    expect(leafDoc).toContain(`(base64 ${l.hashBase64})`);
    expect(leafDoc).toContain(`sealed at index ${l.index} with ledger time ${l.ledgerTimeMs}\n(${new Date(l.ledgerTimeMs).toISOString().replace('.000Z', 'Z')})`);
    expect(sha256(Uint8Array.of(0), Buffer.from(l.bytes, 'utf8')).toString('hex')).toBe(l.hashHex);
  });

  it('lists the fields of a sealed entry in their canonical order', () => {
    expect(leafDoc).toContain('`body`, `flags`, `index`,\n`ledgerTimeMs`, `signatures`');
    expect(['body', 'flags', 'index', 'ledgerTimeMs', 'signatures'].sort()).toEqual(['body', 'flags', 'index', 'ledgerTimeMs', 'signatures']);
    for (const field of ['body', 'flags', 'index', 'ledgerTimeMs', 'signatures']) expect(leafDoc).toContain(`| \`${field}\` |`);
  });
});

describe('docs/formats/receipt.md', () => {
  it('shows the receipt, key, checkpoint, proof steps and QR text of the worked example', () => {
    const r = example.receipt;
    expect(receiptDoc).toContain(fence(r.pretty, 'json'));
    expect(receiptDoc).toContain(fence(r.keyJson, 'json'));
    expect(receiptDoc).toContain(`\`\`\`\n${r.checkpoint}\`\`\``);
    expect(receiptDoc).toContain(`decodes to \`${r.vkey.split('+')[1]?.match(/../g)?.join(' ') ?? ''}\``);
    expect(receiptDoc).toContain(r.rootHex);
    r.proofRanges.forEach((range, i) => expect(receiptDoc).toContain(`${range}  ${r.proofHex[i] ?? ''}`));
    expect(receiptDoc).toContain(r.firstStepHex);
    expect(receiptDoc).toContain(`leaf 6 (in \`leaf.md\`) hashes to \`${example.leaf.hashHex}\``);
    expect(receiptDoc).toContain(`    ${r.qrText}\n`);
    expect(receiptDoc).toContain(`short hash \`${r.shortHash}\``);
  });

  it('lists every receipt field', () => {
    for (const field of Object.keys(receiptSchema.shape)) expect(receiptDoc).toContain(`| \`${field}\` |`);
  });

  it('gives a QR pattern that reads what the code writes', () => {
    const quoted = /The whole text matches\n`([^`]+)`/.exec(receiptDoc)?.[1];
    expect(quoted).toBeDefined();
    const pattern = new RegExp(quoted ?? '');
    const parsed = parseReceiptQrText(example.receipt.qrText);
    expect(parsed).toEqual({ origin: example.origin, index: example.receipt.json.index, leafHash: example.receipt.json.leafHash });
    for (const text of [example.receipt.qrText, example.receipt.qrText.replace('/6?', '/06?'), example.receipt.qrText.slice(0, -1), `${example.receipt.qrText}=`, example.receipt.qrText.replace('https', 'http')]) {
      expect(pattern.test(text), text).toBe(parseReceiptQrText(text) !== undefined);
    }
  });

  it('is precise enough: a verifier written from the page accepts the example and refuses altered copies', () => {
    const { json, vkey } = example.receipt;
    const leaf = Buffer.from(example.leaf.bytes, 'utf8');
    expect(verifyReceipt(json, vkey, leaf)).toEqual({ ok: true });
    const flip = (b64: string) => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      return bytes.toString('base64');
    };
    const cases: [string, unknown, string, Uint8Array, number][] = [
      ['unknown field', { ...json, extra: 1 }, vkey, leaf, 1],
      ['index past treeSize', { ...json, index: 7 }, vkey, leaf, 1],
      ['another key', json, example.receipt.vkey.replace(/.*/, vkeyOfCommittee()), leaf, 2],
      ['altered signature', { ...json, checkpoint: json.checkpoint.replace(/ (\S{10})(\S)/, (_m, a: string, c: string) => ` ${a}${c === 'A' ? 'B' : 'A'}`) }, vkey, leaf, 2],
      ['wrong tree size', { ...json, treeSize: 8 }, vkey, leaf, 3],
      ['altered proof', { ...json, inclusionProof: [flip(json.inclusionProof[0] ?? ''), ...json.inclusionProof.slice(1)] }, vkey, leaf, 4],
      ['proof in the wrong order', { ...json, inclusionProof: [...json.inclusionProof].reverse() }, vkey, leaf, 4],
      ['another index', { ...json, index: 5 }, vkey, leaf, 4],
      ['altered leaf', json, vkey, Buffer.from(example.leaf.bytes.replace('"amountCents":1135', '"amountCents":1136'), 'utf8'), 5],
      ['another entry id', { ...json, entryId: 'pay-epi-chantenay-1-000043' }, vkey, leaf, 5],
    ];
    for (const [name, receipt, key, bytes, step] of cases) {
      const verdict = verifyReceipt(receipt, key, bytes);
      expect(verdict.ok ? 0 : verdict.step, name).toBe(step);
    }
  });
});

describe('the format pages', () => {
  it('name only error codes that the catalogue defines', () => {
    const codes = [entryDoc, leafDoc, receiptDoc].flatMap((doc) => [...doc.matchAll(/`((?:LEDGER|AUDIT)_[A-Z0-9_]+)`/g)].map((m) => m[1] ?? ''));
    expect(codes.length).toBeGreaterThan(20);
    expect(codes.filter((c) => !isErrorCode(c))).toEqual([]);
  });
});

function vkeyOfCommittee(): string {
  // A well-formed verifier key of the same name but another key: the ledger's signature is not from it.
  const name = 'caisse.example/cca44';
  const pub = exampleKeys.committee.publicKey;
  const id = sha256(Buffer.from(`${name}\n`), Uint8Array.of(1), pub).subarray(0, 4).toString('hex');
  return `${name}+${id}+${Buffer.concat([Uint8Array.of(1), pub]).toString('base64')}`;
}
