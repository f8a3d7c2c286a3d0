import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { basketContentJson, basketLineSchema, type BasketLine } from '../../domain/entry/basket.js';
import { canonicalJson, JcsError } from '../../domain/jcs.js';

/**
 * basketContentJson writes JCS({lines, tier}) for its one shape without the generic encoder: the bytes
 * must be exactly canonicalJson's, or every basket hash would change. Strings include quotes,
 * backslashes, control characters and non-ASCII text, which JCS escapes (or not) in its own way.
 */
const text = fc.oneof(
  fc.string({ minLength: 1, maxLength: 32 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 32 }),
  fc.constantFrom('3760001234567', '2112345012345', '"', '\\', '\u0000', 'é€œ', '\u2028', '\ud83e\udd55'),
);
const cents = fc.integer({ min: 0, max: 1_000_000_00 });
const line: fc.Arbitrary<BasketLine> = fc
  .record({
    code: text,
    productCode: text,
    quantity: fc.integer({ min: 1, max: 10_000 }),
    weightGrams: fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: undefined }),
    unitPriceCents: cents,
    priceCents: cents,
    eligible: fc.boolean(),
    shareBasisPoints: fc.integer({ min: 0, max: 10_000 }),
    caisseCents: cents,
    memberCents: cents,
  })
  .map(({ weightGrams, ...rest }) => (weightGrams === undefined ? rest : { ...rest, weightGrams }));

describe('basket content encoding', () => {
  it('writes the same bytes as canonicalJson for random baskets', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 8 }), (lines, tier) => {
        expect(basketContentJson({ lines, tier })).toBe(canonicalJson({ lines, tier }));
      }),
      { numRuns: 2000 },
    );
  });

  it('covers every field of the line format', () => {
    // A field added to basketLineSchema and not to the encoder would silently leave the hash.
    const fields = Object.keys(basketLineSchema.shape).sort();
    const written = JSON.parse(basketContentJson({ tier: 1, lines: [{ code: 'a', productCode: 'b', quantity: 1, weightGrams: 1, unitPriceCents: 1, priceCents: 1, eligible: true, shareBasisPoints: 1, caisseCents: 1, memberCents: 0 }] })) as { lines: Record<string, unknown>[] };
    expect(Object.keys(written.lines[0] ?? {})).toEqual(fields);
  });

  it('refuses what JCS refuses: numbers that are not safe integers', () => {
    const bad = { code: 'a', productCode: 'b', quantity: 1.5, unitPriceCents: 1, priceCents: 1, eligible: true, shareBasisPoints: 1, caisseCents: 1, memberCents: 0 };
    expect(() => basketContentJson({ tier: 1, lines: [bad] })).toThrow(JcsError);
    expect(() => basketContentJson({ tier: 2 ** 53, lines: [] })).toThrow(JcsError);
  });
});
