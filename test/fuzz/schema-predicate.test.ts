import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fixturesDir } from '../../cli/project-root.js';
import { Random } from '../../cli/demo/random.js';
import { basketSchema, type Basket } from '../../domain/entry/basket.js';
import { rulesPublishBody } from '../../domain/entry/build.js';
import { signedEntrySchema } from '../../domain/entry/schema.js';
import { parseRulesDocument } from '../../domain/rules/compile.js';
import { compileJsonPredicate, jsonSafeParser, SchemaPredicateError, type JsonPredicate } from '../../domain/schema-predicate.js';
import { sealedEntrySchema } from '../../ledger/formats/leaf.js';
import { buildFixture, type AuditFixture } from '../audit/fixture.js';
import { line } from '../ledger/harness.js';
import { allPaths, clone, getAt, RawNumbers, setAt, valueMutations, type Json } from './mutate.js';

/**
 * The compiled predicates stand in front of zod on every leaf and every submission: a value they accept
 * is used as it is, without zod. So each must never accept what zod refuses, nor a value zod would give
 * back changed; and it should refuse nothing zod accepts, or the fast path is lost (the one exception:
 * a "__proto__" key, which zod's records drop and the predicate leaves to zod). Checked on thousands of
 * mutations of a real ledger's leaves, of its signed entries and of real baskets, each written as JSON
 * and parsed again, so that the values are what JSON.parse makes (own "__proto__" keys, Infinity from
 * 1e400, -0).
 */
let fixture: AuditFixture | undefined;
const samples: { name: string; schema: z.ZodType; accepts: JsonPredicate; values: Json[] }[] = [];

beforeAll(async () => {
  fixture = await buildFixture(4);
  const { h } = fixture;
  const rules = parseRulesDocument(JSON.parse(readFileSync(join(fixturesDir(), 'rules', 'nantes-ouest.json'), 'utf8')));
  await h.ok(rulesPublishBody(h.common('rules'), rules), [h.committee]);
  const sealed = h.store.logRange(0, h.ledger.treeSize()).map((row) => JSON.parse(Buffer.from(row.leaf).toString('utf8')) as { [key: string]: Json });
  const signed = sealed.map((s) => ({ body: s.body ?? null, signatures: s.signatures ?? null }));
  const s = { payer: fixture.household, merchant: fixture.merchant, tillId: fixture.tillId };
  const baskets: Basket[] = [
    h.payment(s, [line('3760123450017', 300), line('3760123450024', 200, 100)]).basket,
    h.payment(s, [{ ...line('2123450012345', 1234), weightGrams: 617, code: 'PLU 4011 🍌' }]).basket,
  ];
  samples.push(
    { name: 'leaf', schema: sealedEntrySchema, accepts: compileJsonPredicate(sealedEntrySchema), values: sealed },
    { name: 'signed entry', schema: signedEntrySchema, accepts: compileJsonPredicate(signedEntrySchema), values: signed },
    { name: 'basket', schema: basketSchema, accepts: compileJsonPredicate(basketSchema), values: baskets as unknown as Json[] },
  );
  for (const sample of samples) parsers.set(sample.schema, jsonSafeParser(sample.schema));
});
afterAll(() => fixture?.h.close());

/** Strings of astral characters (two UTF-16 units, one code point, as zod counts) around the bounds. */
function astralString(value: Json, random: Random): Json {
  const strings = allPaths(value).filter((p) => typeof getAt(value, p) === 'string');
  if (strings.length === 0) return value;
  const path = random.pick(strings);
  const current = getAt(value, path) as string;
  const emoji = '😀';
  const choice = random.int(0, 2);
  setAt(value, path, choice === 0 ? emoji.repeat(random.int(0, 300)) : choice === 1 ? current.slice(0, -1) + emoji : emoji + current.slice(1));
  return value;
}

const parsers = new Map<z.ZodType, (value: unknown) => z.ZodSafeParseResult<unknown>>();

describe('compiled predicates against zod', () => {
  it('never accept what zod refuses or would change, and refuse nothing else zod accepts', () => {
    const random = new Random(20261124);
    const names = Object.keys(valueMutations);
    for (const sample of samples) {
      const tally = { accepted: 0, refused: 0 };
      for (let i = 0; i < 3000; i++) {
        const raw = new RawNumbers();
        let value = clone(random.pick(sample.values));
        for (let n = random.int(0, 2); n > 0; n--) {
          value = random.next() < 0.2 ? astralString(value, random) : (valueMutations[random.pick(names)]?.(value, random, raw) ?? value);
        }
        const text = raw.serialise(value);
        const parsed: unknown = JSON.parse(text);
        const fast = sample.accepts(parsed);
        const slow = sample.schema.safeParse(parsed);
        const where = `${sample.name}, iteration ${i}: ${text.slice(0, 300)}`;
        if (fast) {
          expect(slow.success, where).toBe(true);
          expect(slow.data, where).toStrictEqual(parsed);
        } else if (slow.success) {
          expect(text, where).toContain('"__proto__"');
        } else {
          // A refusal is explained from its first failing part alone: the first issue is zod's first.
          const explained = parsers.get(sample.schema)?.(parsed);
          const first = (issue: z.core.$ZodIssue | undefined) => ({ code: issue?.code, path: issue?.path, message: issue?.message });
          expect(explained?.success, where).toBe(false);
          expect(first(explained?.error?.issues[0]), where).toStrictEqual(first(slow.error.issues[0]));
        }
        tally[slow.success ? 'accepted' : 'refused'] += 1;
      }
      // Both outcomes are exercised: values unchanged or still valid, and refusals.
      expect(tally.accepted, sample.name).toBeGreaterThan(300);
      expect(tally.refused, sample.name).toBeGreaterThan(1000);
    }
  });

  it('accept every leaf, entry and basket of the ledger as it is', () => {
    for (const sample of samples) {
      for (const value of sample.values) expect(sample.accepts(clone(value)), `${sample.name} ${JSON.stringify(value).slice(0, 120)}`).toBe(true);
    }
  });
});

describe('compileJsonPredicate', () => {
  it('counts string lengths in code points, as zod does', () => {
    const emoji = '😀';
    const cases: [z.ZodType, string][] = [
      [z.string().min(2), emoji],
      [z.string().min(2), emoji + emoji],
      [z.string().max(1), emoji],
      [z.string().max(1), emoji + 'x'],
      [z.string().length(2), emoji + 'x'],
      [z.string().length(2), emoji],
      [z.string().max(1), '\ud800\ud800'],
    ];
    for (const [schema, text] of cases) expect(compileJsonPredicate(schema)(text), text).toBe(schema.safeParse(text).success);
  });

  it('refuses to compile what it cannot answer exactly', () => {
    const unsupported: z.ZodType[] = [
      z.string().transform((s) => s.length),
      z.string().default('x'),
      z.email(),
      z.coerce.number(),
      z.string().trim(),
      z.date(),
      z.strictObject({ toString: z.string() }),
      z.record(z.enum(['a', 'b']), z.string()),
      // A choice: zod takes the first option that accepts, and this one strips "b" where the second
      // would take the value as it is.
      z.union([z.object({ a: z.string() }), z.strictObject({ a: z.string(), b: z.string() })]),
      z.strictObject({ [Symbol('s')]: z.string() }),
      // A bound on a string or an array (refused by zod whatever the value; only a cast writes it), with
      // an infinite bound that compares as no bound.
      z.string().check(z.gt(-Infinity) as unknown as z.core.$ZodCheck<string>),
      z.array(z.string()).check(z.gt(-Infinity) as unknown as z.core.$ZodCheck<string[]>),
    ];
    for (const schema of unsupported) expect(() => compileJsonPredicate(schema)).toThrow(SchemaPredicateError);
  });

  it('gives back the value itself when it accepts, and zod’s answer otherwise', () => {
    const parse = jsonSafeParser(z.strictObject({ a: z.int().min(1), b: z.array(z.string()).max(2).optional() }));
    const good: unknown = JSON.parse('{"a":1,"b":["x"]}');
    const result = parse(good);
    expect(result.success && result.data).toBe(good);
    const bad = parse(JSON.parse('{"a":0,"c":1}'));
    expect(bad.success).toBe(false);
    // Explained from its first failing part (the field a): zod's first issue, not all of them.
    expect(bad.error?.issues.map((i) => [i.code, i.path])).toEqual([['too_small', ['a']]]);
    // A thousand empty items: one item's issues, not a thousand items' (which cost seconds in a batch).
    const items = jsonSafeParser(z.array(z.strictObject({ a: z.string(), b: z.int() })));
    const empty = items(JSON.parse(`[${Array(1000).fill('{}').join(',')}]`));
    expect(empty.error?.issues.map((i) => [i.code, i.path])).toEqual([['invalid_type', [0, 'a']], ['invalid_type', [0, 'b']]]);
    // Past its length bounds, the array itself is named, as zod names it, not its first bad item.
    const bounded = z.strictObject({ xs: z.array(z.strictObject({ a: z.string() })).min(1).max(3) });
    for (const xs of [[], [{}, {}, {}, {}, {}]]) {
      const value = { xs };
      expect(jsonSafeParser(bounded)(value).error?.issues[0]).toStrictEqual(bounded.safeParse(value).error?.issues[0]);
    }
    // A record with a "__proto__" key: zod decides (and drops it), the predicate does not accept it.
    const record = z.record(z.string(), z.unknown());
    const withProto: unknown = JSON.parse('{"__proto__":1,"x":2}');
    expect(compileJsonPredicate(record)(withProto)).toBe(false);
    expect(jsonSafeParser(record)(withProto)).toStrictEqual(record.safeParse(withProto));
  });
});
