import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { variableMeasureCode } from '../../domain/catalog/barcode.js';
import type { Catalog } from '../../domain/catalog/catalog.js';
import { canonicalJson } from '../../domain/jcs.js';
import { basketInputLines, basketLinesForHash } from '../../domain/rules/basket-lines.js';
import type { CompiledRules } from '../../domain/rules/compile.js';
import { evaluateBasket, type BasketLineInput } from '../../domain/rules/evaluate.js';
import { fixtureCatalog, fixtureRules, fixtureShops } from './fixtures.js';

/**
 * For random baskets from the real fixtures (every shop, every policy: tiers, hearts, whole price,
 * producer floor), random tiers, balances and dates: every line's split adds up to its price, the
 * caisse never pays more than the balance nor more than the uncapped parts, and the hashed lines
 * re-evaluate to the same amounts.
 */
const shops = fixtureShops().map((s) => ({ shopId: s.accountId, rules: fixtureRules(s.territory), catalog: fixtureCatalog(s.accountId) }));

function lineFor(catalog: Catalog, index: number, amount: number): BasketLineInput {
  const product = catalog.products[index % catalog.products.length]!;
  if (product.kind === 'variable-weight') return { code: variableMeasureCode(product.code, 1 + (amount % 9_999)) };
  if (product.kind === 'variable-price') return { code: variableMeasureCode(product.code, 1 + (amount % 9_999)) };
  if (product.unit === 'kg') return { code: product.code, weightGrams: 1 + (amount % 20_000) };
  return { code: product.code, quantity: 1 + (amount % 12) };
}

function check(rules: CompiledRules, shopId: string, catalog: Catalog, lines: BasketLineInput[], tier: number, balance: number, atMs: number): void {
  const e = evaluateBasket({ rules, shopId, catalog, lines, member: { tier, allowanceBalanceCents: balance }, atMs });
  let total = 0;
  let caisse = 0;
  for (const line of e.lines) {
    expect(line.caisseCents + line.memberCents).toBe(line.priceCents);
    expect(line.caisseCents).toBeGreaterThanOrEqual(0);
    expect(line.memberCents).toBeGreaterThanOrEqual(0);
    expect(line.caisseCents).toBeLessThanOrEqual(line.caisseCentsUncapped);
    if (!line.eligible) expect(line.caisseCents).toBe(0);
    total += line.priceCents;
    caisse += line.caisseCents;
  }
  expect(e.totalCents).toBe(total);
  expect(e.caisseCents).toBe(caisse);
  expect(e.caisseCents + e.memberCents).toBe(e.totalCents);
  expect(e.caisseCents).toBe(Math.min(balance, e.caisseCentsUncapped));
  const hashed = basketLinesForHash(e);
  const again = evaluateBasket({ rules, shopId, catalog, lines: basketInputLines(JSON.parse(canonicalJson(hashed))), member: { tier, allowanceBalanceCents: balance }, atMs });
  expect(basketLinesForHash(again)).toEqual(hashed);
}

describe('every split adds up to the price', () => {
  it('for random baskets in every fixture shop', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: shops.length - 1 }),
        fc.array(fc.tuple(fc.nat(10_000), fc.nat(1_000_000)), { minLength: 0, maxLength: 60 }),
        fc.integer({ min: 1, max: 4 }),
        fc.oneof(fc.constant(0), fc.nat(200_000), fc.constant(1_000_000_000)),
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) }),
        (shopIndex, picks, tier, balance, atMs) => {
          const shop = shops[shopIndex]!;
          check(shop.rules, shop.shopId, shop.catalog, picks.map(([i, a]) => lineFor(shop.catalog, i, a)), tier, balance, atMs);
        },
      ),
      { numRuns: 300, seed: 2026 },
    );
  });
});
