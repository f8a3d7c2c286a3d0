import { describe, expect, it } from 'vitest';
import { variableMeasureCode } from '../../domain/catalog/barcode.js';
import { compileRules } from '../../domain/rules/compile.js';
import { evaluateBasket, monthInParis, type BasketLineInput } from '../../domain/rules/evaluate.js';
import type { PricingPolicy, ShopRules } from '../../domain/rules/schema.js';
import { divideRoundHalfUp, splitByShare } from '../../domain/rules/split.js';
import { baseDocument, catalogOf, julyMs, product } from './fixtures.js';

const catalog = catalogOf('shop:a', [
  product({ code: 'PAIN', priceCents: 333, categories: ['en:breads'] }),
  product({ code: 'LENT', priceCents: 250, categories: ['en:legumes'] }),
  product({ code: 'HEART', priceCents: 999, categories: ['en:breads'] }),
  product({ code: 'VIN', priceCents: 800, categories: ['en:wines', 'en:alcoholic-beverages'], abvBasisPoints: 1200 }),
  product({ code: '2112345', kind: 'variable-weight', priceCents: 240, unit: 'kg', categories: ['en:carrots', 'en:fresh-vegetables'] }),
  product({ code: '2254321', kind: 'variable-price', priceCents: 2000, unit: 'kg', categories: ['en:cheeses'] }),
  product({ code: '2298765', kind: 'variable-price', priceCents: 100, unit: 'piece', categories: ['en:breads'] }),
  product({ code: '2411111', kind: 'variable-weight', priceCents: 450, unit: 'kg', categories: ['en:legumes'] }),
  product({ code: '4011', kind: 'plu', priceCents: 300, unit: 'kg', categories: ['en:potatoes', 'en:fresh-vegetables'] }),
]);

function evaluate(pricing: PricingPolicy, lines: BasketLineInput[], options: { tier?: number; balance?: number; shop?: Partial<ShopRules> } = {}) {
  const shop: ShopRules = { shopId: 'shop:a', name: 'A', mode: 'whole-shop', ...options.shop } as ShopRules;
  const rules = compileRules(baseDocument({ pricing, shops: [shop] }));
  return evaluateBasket({ rules, shopId: 'shop:a', catalog, lines, member: { tier: options.tier ?? 1, allowanceBalanceCents: options.balance ?? 1_000_000 }, atMs: julyMs });
}

describe('pricing policies', () => {
  it('whole: the allowance pays the whole price of eligible lines only', () => {
    const e = evaluate({ kind: 'whole' }, [{ code: 'PAIN', quantity: 2 }, { code: 'VIN' }]);
    expect(e.lines.map((l) => [l.priceCents, l.caisseCents, l.memberCents, l.policy])).toEqual([
      [666, 666, 0, 'whole'],
      [800, 0, 800, 'none'],
    ]);
    expect([e.totalCents, e.caisseCents, e.memberCents]).toEqual([1466, 666, 800]);
  });

  const share: PricingPolicy = { kind: 'share', defaultShareBasisPoints: 3_000, byCategory: [{ category: 'en:legumes', shareBasisPoints: 10_000 }, { category: 'en:fresh-vegetables', shareBasisPoints: 7_000 }] };
  it.each([
    ['default share, rounded half up', 'PAIN', 333, 100, 233], // 99.9 → 100
    ['category share', 'LENT', 250, 250, 0],
    ['parent category share', '4011', 300, 210, 90],
  ])('share: %s', (_name, code, price, caisse, member) => {
    const line: BasketLineInput = code === '4011' ? { code, weightGrams: 1000 } : { code };
    const e = evaluate(share, [line]);
    expect([e.lines[0]!.priceCents, e.lines[0]!.caisseCents, e.lines[0]!.memberCents]).toEqual([price, caisse, member]);
  });

  it('share: a product’s own share on the approved list wins over the policy', () => {
    const e = evaluate(share, [{ code: 'HEART' }, { code: 'PAIN' }], { shop: { mode: 'product-list', approved: [{ code: 'HEART', shareBasisPoints: 7_000 }, { code: 'PAIN' }] } });
    expect(e.lines.map((l) => [l.shareBasisPoints, l.caisseCents])).toEqual([
      [7_000, 699], // 699.3
      [3_000, 100],
    ]);
  });

  it.each([
    [1, 10_000, 333],
    [2, 5_000, 167], // 166.5 rounds half up
  ])('tier %i: share %i', (tier, shareBp, caisse) => {
    const e = evaluate({ kind: 'tier', byTier: [{ tier: 1, shareBasisPoints: 10_000 }, { tier: 2, shareBasisPoints: 5_000 }] }, [{ code: 'PAIN' }], { tier });
    expect([e.lines[0]!.shareBasisPoints, e.lines[0]!.caisseCents, e.lines[0]!.reasons.at(-1)!.code]).toEqual([shareBp, caisse, 'PRICING_TIER']);
  });

  it('a shop’s own policy replaces the document’s', () => {
    const e = evaluate({ kind: 'whole' }, [{ code: 'PAIN' }], { shop: { pricing: { kind: 'share', defaultShareBasisPoints: 5_000 } } });
    expect(e.lines[0]!.caisseCents).toBe(167);
  });

  describe('producer floor (L’Éveil: the farm gets 3.00 EUR/kg, the member pays 0.50 EUR/kg)', () => {
    const floor = { producerFloors: [{ categories: ['en:fresh-vegetables'], floorCentsPerKg: 300, memberCentsPerKg: 50 }] };
    it('raises a weighed price below the floor and splits 0.50 / 2.50 per kg', () => {
      const e = evaluate({ kind: 'whole' }, [{ code: variableMeasureCode('2112345', 1000) }], { shop: floor });
      const line = e.lines[0]!;
      expect([line.unitPriceCents, line.priceCents, line.memberCents, line.caisseCents, line.policy]).toEqual([300, 300, 50, 250, 'producer-floor']);
      expect(line.reasons.at(-1)!.fr).toBe('prix plancher producteur 3,00 €/kg, vous payez 0,50 €/kg');
    });
    it('rounds the weighed parts half up and keeps the sum', () => {
      const e = evaluate({ kind: 'whole' }, [{ code: '4011', weightGrams: 1234 }], { shop: floor });
      const line = e.lines[0]!;
      // 3.00 × 1.234 = 3.702 → 370; 0.50 × 1.234 = 0.617 → 62.
      expect([line.priceCents, line.memberCents, line.caisseCents]).toEqual([370, 62, 308]);
    });
    it('does not apply to categories it does not name', () => {
      const e = evaluate({ kind: 'whole' }, [{ code: '2411111', weightGrams: 500 }], { shop: floor });
      expect(e.lines[0]!.policy).toBe('whole');
    });
    it('does not apply to producers outside its list', () => {
      const e = evaluate({ kind: 'whole' }, [{ code: '4011', weightGrams: 1000 }], { shop: { producerFloors: [{ ...floor.producerFloors[0]!, producerRegistryIds: ['PAY-1'] }] } });
      expect(e.lines[0]!.policy).toBe('whole');
    });
  });

  it('does not pay ineligible lines whatever the policy', () => {
    for (const pricing of [{ kind: 'whole' }, share, { kind: 'tier', byTier: [{ tier: 1, shareBasisPoints: 10_000 }, { tier: 2, shareBasisPoints: 10_000 }] }] as PricingPolicy[]) {
      const e = evaluate(pricing, [{ code: 'VIN' }]);
      expect([e.caisseCents, e.lines[0]!.shareBasisPoints]).toEqual([0, 0]);
    }
  });
});

describe('weighed and price labels', () => {
  it.each([
    ['weight label 21: 1.234 kg at 2.40/kg', variableMeasureCode('2112345', 1234), 296, 1234],
    ['weight label 24 with the weight check digit', variableMeasureCode('2411111', 500), 225, 500],
    ['price label 22 on a per-kg product derives the weight', variableMeasureCode('2254321', 1250), 1250, 625],
    ['price label 22 on a piece product', variableMeasureCode('2298765', 345), 345, undefined],
  ])('%s', (_name, code, price, grams) => {
    const e = evaluate({ kind: 'whole' }, [{ code }]);
    expect([e.lines[0]!.priceCents, e.lines[0]!.weightGrams]).toEqual([price, grams]);
  });

  it.each([
    ['a weighed product without weight', { code: '4011' }],
    ['a weight on a piece product', { code: 'PAIN', weightGrams: 100 }],
    ['a quantity on a label', { code: variableMeasureCode('2112345', 100), quantity: 2 }],
    ['a zero quantity', { code: 'PAIN', quantity: 0 }],
    ['a fractional quantity', { code: 'PAIN', quantity: 1.5 }],
    ['a weight over 100 kg', { code: '4011', weightGrams: 100_001 }],
    ['a weight label of 0 g', { code: variableMeasureCode('2112345', 0) }],
  ])('refuses %s with RULES_BAD_BASKET', (_name, line) => {
    expect(() => evaluate({ kind: 'whole' }, [line as BasketLineInput])).toThrow(expect.objectContaining({ code: 'RULES_BAD_BASKET' }));
  });

  it('refuses unknown and unreadable codes with the catalogue’s codes', () => {
    expect(() => evaluate({ kind: 'whole' }, [{ code: '3760000000017' }])).toThrow(expect.objectContaining({ code: 'CATALOG_UNKNOWN_CODE' }));
    expect(() => evaluate({ kind: 'whole' }, [{ code: '3760000000018' }])).toThrow(expect.objectContaining({ code: 'CATALOG_BAD_SCAN' }));
  });
});

describe('the member’s balance caps what the caisse pays', () => {
  it('pays lines in basket order until the balance runs out', () => {
    const e = evaluate({ kind: 'whole' }, [{ code: 'PAIN' }, { code: 'LENT' }, { code: 'HEART' }], { balance: 400 });
    expect(e.lines.map((l) => [l.caisseCentsUncapped, l.caisseCents, l.memberCents])).toEqual([
      [333, 333, 0],
      [250, 67, 183],
      [999, 0, 999],
    ]);
    expect([e.caisseCents, e.memberCents, e.caisseCentsUncapped, e.balanceLimited]).toEqual([400, 1182, 1582, true]);
    expect(e.lines[1]!.reasons.at(-1)!.code).toBe('BALANCE_EXHAUSTED');
  });
  it('with no balance the member pays everything', () => {
    const e = evaluate({ kind: 'whole' }, [{ code: 'PAIN' }], { balance: 0 });
    expect([e.caisseCents, e.memberCents]).toEqual([0, 333]);
  });
});

describe('basket input checks', () => {
  it.each([
    ['tier 0', { tier: 0 }, 'RULES_BAD_TIER'],
    ['tier above the rules’ tiers', { tier: 3 }, 'RULES_BAD_TIER'],
    ['negative balance', { balance: -1 }, 'RULES_BAD_BASKET'],
  ])('refuses %s', (_name, options, code) => {
    expect(() => evaluate({ kind: 'whole' }, [{ code: 'PAIN' }], options)).toThrow(expect.objectContaining({ code }));
  });
  it('refuses a basket before the rules are in force', () => {
    const rules = compileRules(baseDocument({ effectiveFromMs: julyMs + 1 }));
    expect(() => evaluateBasket({ rules, shopId: 'shop:a', catalog, lines: [], member: { tier: 1, allowanceBalanceCents: 0 }, atMs: julyMs })).toThrow(expect.objectContaining({ code: 'RULES_NOT_IN_FORCE' }));
  });
  it('refuses a basket of more than 500 lines', () => {
    const lines = Array.from({ length: 501 }, () => ({ code: 'PAIN' }));
    expect(() => evaluate({ kind: 'whole' }, lines)).toThrow(expect.objectContaining({ code: 'RULES_BASKET_TOO_LARGE' }));
  });
  it('refuses another shop’s catalogue', () => {
    const rules = compileRules(baseDocument());
    expect(() => evaluateBasket({ rules, shopId: 'shop:b', catalog, lines: [], member: { tier: 1, allowanceBalanceCents: 0 }, atMs: julyMs })).toThrow(expect.objectContaining({ code: 'RULES_BAD_BASKET' }));
  });
  it('accepts a bare document and names the version and hash it applied', () => {
    const doc = baseDocument({ version: 7 });
    const e = evaluateBasket({ rules: doc, shopId: 'shop:a', catalog, lines: [{ code: 'PAIN' }], member: { tier: 1, allowanceBalanceCents: 1000 }, atMs: julyMs });
    expect([e.rulesVersion, e.territory, e.rulesHash]).toEqual([7, 'test', compileRules(doc).documentHash]);
  });
});

describe('split arithmetic', () => {
  it.each([
    [0, 1, 0],
    [1, 2, 1],
    [3, 2, 2],
    [5, 10, 1],
    [4, 10, 0],
    [15, 10, 2],
  ])('%i / %i rounds half up to %i', (a, b, q) => expect(divideRoundHalfUp(a, b)).toBe(q));
  it('splits by share so that the parts add up', () => {
    expect(splitByShare(1, 5_000)).toEqual({ caisseCents: 1, memberCents: 0 });
    expect(splitByShare(999, 3_333)).toEqual({ caisseCents: 333, memberCents: 666 });
  });
  it('takes the month in Paris time', () => {
    expect(monthInParis(Date.UTC(2026, 5, 30, 22, 30))).toBe(7); // 00:30 on 1 July in Paris
    expect(monthInParis(Date.UTC(2026, 11, 31, 22, 59))).toBe(12);
    expect(monthInParis(Date.UTC(2026, 11, 31, 23, 0))).toBe(1);
  });
  it('remembers the month per hour without ever giving another month than Intl does', () => {
    // Every 55 minutes (so at every minute of the hour in turn) of two years, through the daylight-saving
    // switches and every month's end, asked in order and out of order (the memo holds the last hour).
    const paris = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Paris', month: 'numeric' });
    const from = Date.UTC(2026, 0, 1);
    for (let at = from; at < from + 2 * 366 * 86_400_000; at += 3_300_000) {
      expect(monthInParis(at)).toBe(Number(paris.format(at)));
      const back = at - 86_400_000 * 17 - 60_000;
      expect(monthInParis(back)).toBe(Number(paris.format(back)));
    }
  });
});
