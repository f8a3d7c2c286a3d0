import { describe, expect, it } from 'vitest';
import { variableMeasureCode } from '../../domain/catalog/barcode.js';
import { canonicalJson } from '../../domain/jcs.js';
import { basketInputLines, basketLinesForHash } from '../../domain/rules/basket-lines.js';
import { basketClaimMismatch } from '../../domain/rules/claim.js';
import { evaluateBasket } from '../../domain/rules/evaluate.js';
import { fixtureCatalog, fixtureRules, julyMs } from './fixtures.js';

describe('canonical basket lines for the ledger', () => {
  const rules = fixtureRules('nantes-ouest');
  const catalog = fixtureCatalog('shop:vrac-bellevue');
  const lentils = catalog.products.find((p) => p.name.startsWith('Lentilles vertes'))!;
  const jar = catalog.products.find((p) => p.code === 'BOCAL-1')!;
  const e = evaluateBasket({
    rules,
    shopId: 'shop:vrac-bellevue',
    catalog,
    lines: [{ code: variableMeasureCode(lentils.code, 750) }, { code: jar.code, quantity: 2 }],
    member: { tier: 2, allowanceBalanceCents: 10_000 },
    atMs: julyMs,
  });

  it('keeps codes, quantities, weights, prices and the split, integers only', () => {
    expect(basketLinesForHash(e)).toEqual([
      { code: variableMeasureCode(lentils.code, 750), productCode: lentils.code, quantity: 1, weightGrams: 750, unitPriceCents: 450, priceCents: 338, eligible: true, shareBasisPoints: 10_000, caisseCents: 338, memberCents: 0 },
      { code: 'BOCAL-1', productCode: 'BOCAL-1', quantity: 2, unitPriceCents: 390, priceCents: 780, eligible: false, shareBasisPoints: 0, caisseCents: 0, memberCents: 780 },
    ]);
    // JCS accepts it (it refuses floats), and the bytes are stable.
    expect(canonicalJson(basketLinesForHash(e))).toBe(canonicalJson(basketLinesForHash(e)));
  });

  it('gives back the basket input that reproduces the evaluation', () => {
    expect(basketInputLines(basketLinesForHash(e))).toEqual([{ code: variableMeasureCode(lentils.code, 750) }, { code: 'BOCAL-1', quantity: 2 }]);
  });
});

describe('checking a payment’s claim against its basket', () => {
  it('accepts the evaluated amounts and names every difference otherwise', () => {
    const rules = fixtureRules('pays-de-retz');
    const catalog = fixtureCatalog('shop:ferme-rouans');
    const e = evaluateBasket({ rules, shopId: 'shop:ferme-rouans', catalog, lines: [{ code: '3100', weightGrams: 2000 }], member: { tier: 1, allowanceBalanceCents: 10_000 }, atMs: julyMs });
    const claim = { territory: 'pays-de-retz', rulesVersion: 1, totalCents: 600, caisseCents: 500, memberCents: 100 };
    expect(basketClaimMismatch(e, claim)).toBeUndefined();
    expect(basketClaimMismatch(e, { ...claim, caisseCents: 550, memberCents: 50 })).toBe('caisseCents 550, evaluates to 500; memberCents 50, evaluates to 100');
    expect(basketClaimMismatch(e, { ...claim, rulesVersion: 2 })).toBe('rulesVersion 2, evaluates to 1');
  });
});
