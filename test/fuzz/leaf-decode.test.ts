import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturesDir } from '../../cli/project-root.js';
import { rulesPublishBody } from '../../domain/entry/build.js';
import { parseRulesDocument } from '../../domain/rules/compile.js';
import { Random } from '../../cli/demo/random.js';
import { canonicalJson, JcsError } from '../../domain/jcs.js';
import { decodeLeaf, LeafFormatError, sealedEntrySchema } from '../../ledger/formats/leaf.js';
import { buildFixture, type AuditFixture } from '../audit/fixture.js';
import { allPaths, byteMutations, clone, getAt, RawNumbers, valueMutations, type Json } from './mutate.js';

/**
 * decodeLeaf checks a leaf's canonical form without writing it again. The slow way it replaced:
 * validate with the schema, write the schema's copy canonically, compare the text (plus the format's
 * rule that no object has a "__proto__" key, which a zod record drops and z.unknown keeps). Both must
 * accept and refuse the same leaves, and give the same entry: here on
 * thousands of mutations of a real ledger's leaves (every entry type the fixture makes, an offline
 * flag included), written canonically, as JSON.stringify writes them, or mutated byte by byte.
 */
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function slowDecode(leaf: Uint8Array): unknown {
  let text: string;
  let value: unknown;
  try {
    text = decoder.decode(leaf);
    value = JSON.parse(text);
  } catch {
    return 'refused';
  }
  // The format's one rule beyond the schema and the canonical form (docs/formats/entry.md).
  if (JSON.stringify(value, (key, item: unknown) => (key === '__proto__' ? 'found' : item)).includes('"__proto__":"found"')) return 'refused';
  const parsed = sealedEntrySchema.safeParse(value);
  if (!parsed.success) return 'refused';
  try {
    return canonicalJson(parsed.data) === text ? parsed.data : 'refused';
  } catch (e) {
    if (e instanceof JcsError) return 'refused';
    throw e;
  }
}

/** decodeLeaf refuses with LeafFormatError only (a JcsError would escape the audit's look-ups). */
function fastDecode(leaf: Uint8Array): unknown {
  try {
    return decodeLeaf(leaf);
  } catch (e) {
    if (e instanceof LeafFormatError) return 'refused';
    throw e;
  }
}

function withProtoKey(value: Json, random: Random): Json {
  const objects = [[], ...allPaths(value)].filter((p) => {
    const node = getAt(value, p);
    return node !== null && typeof node === 'object' && !Array.isArray(node);
  });
  const target = getAt(value, random.pick(objects)) as { [key: string]: Json };
  Object.defineProperty(target, '__proto__', { value: random.next() < 0.5 ? {} : 1, enumerable: true, configurable: true, writable: true });
  return value;
}

let fixture: AuditFixture | undefined;
let leaves: Buffer[] = [];
beforeAll(async () => {
  fixture = await buildFixture();
  const { h } = fixture;
  // A rules document: the one free-form object of the format (a zod record, not a strict object).
  const rules = parseRulesDocument(JSON.parse(readFileSync(join(fixturesDir(), 'rules', 'nantes-ouest.json'), 'utf8')));
  await h.ok(rulesPublishBody(h.common('rules'), rules), [h.committee]);
  leaves = h.store.logRange(0, h.ledger.treeSize()).map((row) => Buffer.from(row.leaf));
});
afterAll(() => fixture?.h.close());

describe('decodeLeaf against the canonical form written again', () => {
  it('accepts and refuses the same mutated leaves, and decodes the same entries', () => {
    const random = new Random(20261123);
    const valueNames = Object.keys(valueMutations);
    const byteNames = Object.keys(byteMutations);
    const tally = { accepted: 0, refused: 0 };
    for (let i = 0; i < 4000; i++) {
      const original = random.pick(leaves);
      let bytes: Buffer;
      if (random.next() < 0.3) {
        const name = random.pick(byteNames);
        bytes = byteMutations[name]?.(original, random) ?? original;
      } else {
        const raw = new RawNumbers();
        const name = random.pick(valueNames);
        const parsed = clone(JSON.parse(original.toString('utf8')) as Json);
        // One mutation in ten gives an object a "__proto__" key, which a zod record would drop.
        const value = random.next() < 0.1 ? withProtoKey(parsed, random) : (valueMutations[name]?.(parsed, random, raw) ?? null);
        let text: string;
        try {
          // Canonically written mutations get past the canonical check and exercise the schema.
          const rawNumbers = JSON.stringify(value).includes('@@raw-number-');
          text = random.next() < 0.6 && !rawNumbers ? canonicalJson(value) : raw.serialise(value);
        } catch (e) {
          if (!(e instanceof JcsError)) throw e;
          text = raw.serialise(value);
        }
        bytes = Buffer.from(text, 'utf8');
      }
      const slow = slowDecode(bytes);
      const fast = fastDecode(bytes);
      expect(fast, `iteration ${i}: ${bytes.toString('utf8').slice(0, 200)}`).toEqual(slow);
      tally[slow === 'refused' ? 'refused' : 'accepted'] += 1;
    }
    // Both outcomes are exercised: unchanged leaves (a mutation that changed nothing) and refusals.
    expect(tally.accepted).toBeGreaterThan(100);
    expect(tally.refused).toBeGreaterThan(1000);
  });

  it('decodes every leaf of the ledger as it is', () => {
    for (const leaf of leaves) expect(fastDecode(leaf)).toEqual(slowDecode(leaf));
    expect(leaves.length).toBeGreaterThan(10);
  });
});
