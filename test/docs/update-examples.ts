import { readFileSync, writeFileSync } from 'node:fs';
import { workedExample } from './example.js';

/**
 * Rewrites the worked-example values in docs/formats/entry.md, leaf.md, receipt.md and docs/API.md after
 * a format change: each old value is found in the pages by the text around it, and every occurrence of
 * it in the four pages is replaced by what the code computes now. Prose is left alone: read the diff,
 * then run test/docs. Compile the test directory apart, from the repository root:
 *
 *   npx tsc -p tsconfig.json --outDir node_modules/.cache/caisse-docs && node node_modules/.cache/caisse-docs/test/docs/update-examples.js
 *
 * A curl answer of docs/API.md that changed for another reason than the example's values has to be
 * updated by hand (test/docs/api-doc.test.ts says which).
 */
const pages = ['docs/formats/entry.md', 'docs/formats/leaf.md', 'docs/formats/receipt.md', 'docs/API.md'] as const;
const text = Object.fromEntries(pages.map((p) => [p, readFileSync(p, 'utf8')])) as Record<(typeof pages)[number], string>;

function find(page: (typeof pages)[number], pattern: RegExp, what: string): string {
  const found = pattern.exec(text[page])?.[1];
  if (found === undefined) throw new Error(`${page}: cannot find ${what} (${pattern.source})`);
  return found;
}

const hexToBase64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
const e = workedExample();
const noteSignature = (note: string) => /\n\u2014 \S+ (\S+)\n/.exec(note)?.[1] ?? '';
const noteRoot = (note: string) => note.split('\n')[2] ?? '';

const oldLeaf = find('docs/formats/leaf.md', /```\n(\{"body".*)\n```/, 'the leaf');
const oldLeafHex = find('docs/formats/leaf.md', /Its leaf hash[^\n]*\n\n {4}([0-9a-f]{64})/, 'the leaf hash');
const oldStep = find('docs/formats/receipt.md', /‖ leafHash\)` =\n`([0-9a-f]{64})`/, 'the first proof step');
const oldNote = `${find('docs/formats/receipt.md', /Step 2: the checkpoint note is\n\n```\n([\s\S]*?)```/, 'the checkpoint note')}`;

const pairs: [string, string][] = [
  [find('docs/formats/entry.md', /The body, as the till builds it:\n\n```json\n([\s\S]*?)\n```/, 'the body'), e.entry.bodyPretty],
  [find('docs/formats/entry.md', /Its JCS bytes[^\n]*\n\n```\n(.*)\n```/, 'the body JCS'), e.entry.bodyJcs],
  [find('docs/formats/entry.md', /The signed entry:\n\n```json\n([\s\S]*?)\n```/, 'the signed entry'), e.entry.envelopePretty],
  [find('docs/API.md', /`payment.json`:\n\n```json\n([\s\S]*?)\n```/, 'payment.json'), e.entry.submissionPretty],
  [find('docs/formats/entry.md', /in JCS:\n\n```\n(.*)\n```/, 'the basket content'), e.basket.contentJcs],
  [find('docs/formats/entry.md', /and the basket hash `([^`]+)`/, 'the basket hash'), e.basket.hash],
  [find('docs/formats/entry.md', /whose SHA-256 is\n`([0-9a-f]{64})`/, 'the message hash'), e.entry.messageSha256],
  [find('docs/formats/entry.md', /signature of it:\n\n {4}(\S+)/, 'the signature'), e.entry.signature],
  [find('docs/formats/receipt.md', /```json\n(\{\n {2}"v": 1,\n {2}"origin"[\s\S]*?)\n```/, 'the receipt'), e.receipt.pretty],
  [oldLeaf, e.leaf.bytes],
  [Buffer.from(oldLeaf, 'utf8').toString('base64'), Buffer.from(e.leaf.bytes, 'utf8').toString('base64')],
  [oldLeafHex, e.leaf.hashHex],
  [hexToBase64(oldLeafHex), e.leaf.hashBase64],
  [Buffer.from(oldLeafHex, 'hex').toString('base64url'), Buffer.from(e.leaf.hashHex, 'hex').toString('base64url')],
  [oldLeafHex.slice(0, 12), e.leaf.hashHex.slice(0, 12)],
  [oldStep, e.receipt.firstStepHex],
  [hexToBase64(oldStep), hexToBase64(e.receipt.firstStepHex)],
  [find('docs/formats/receipt.md', /root\n\n {4}([0-9a-f]{64})/, 'the root'), e.receipt.rootHex],
  [noteRoot(oldNote), noteRoot(e.receipt.checkpoint)],
  [noteSignature(oldNote), noteSignature(e.receipt.checkpoint)],
];

let changed = 0;
for (const page of pages) {
  let updated = text[page];
  for (const [from, to] of pairs) if (from !== '' && from !== to) updated = updated.split(from).join(to);
  if (updated !== text[page]) {
    writeFileSync(page, updated);
    changed += 1;
    process.stdout.write(`updated ${page}\n`);
  }
}
process.stdout.write(changed === 0 ? 'the pages already show what the code computes\n' : 'now read the diff and run npx vitest run test/docs\n');
