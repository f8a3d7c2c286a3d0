import { describe, expect, it } from 'vitest';
import type { Product } from '../../domain/catalog/product.js';
import { compileRules } from '../../domain/rules/compile.js';
import { distanceKm, judgeProduct } from '../../domain/rules/judge.js';
import { reasonCodes, type ReasonCode } from '../../domain/rules/reasons.js';
import type { RulesDocument, ShopRules } from '../../domain/rules/schema.js';
import { baseDocument, product } from './fixtures.js';

/**
 * Every eligibility rule and reason, table-driven: a product, a shop's rules, a month, and the expected
 * verdict and reason codes (in order).
 */
const listShop: ShopRules = {
  shopId: 'shop:a',
  name: 'A',
  mode: 'product-list',
  approved: [{ code: 'APPROVED' }, { code: '036000291452', shareBasisPoints: 7_000 }],
  qualifyBy: ['organic', 'local', 'peasant'],
  allow: { codes: ['ALLOWED'], categories: ['en:legumes'] },
  deny: { codes: ['DENIED'], categories: ['en:sodas'] },
};
const wholeShop: ShopRules = { shopId: 'shop:a', name: 'A', mode: 'whole-shop', deny: { codes: ['DENIED'], categories: ['en:sodas'] } };
const strictListShop: ShopRules = { shopId: 'shop:a', name: 'A', mode: 'product-list', approved: [{ code: 'APPROVED' }] };

const farmInVue = { name: 'Ferme', commune: 'Vue' };
const farIn26 = { name: 'Coop', department: '26', latE6: 44_753_900, lonE6: 5_370_600 };

interface Case {
  readonly name: string;
  readonly shop: ShopRules | undefined;
  readonly product: Product;
  readonly month?: number;
  readonly eligible: boolean;
  readonly reasons: readonly ReasonCode[];
}

const cases: Case[] = [
  { name: 'whole shop: any food', shop: wholeShop, product: product({ code: 'PAIN' }), eligible: true, reasons: ['WHOLE_SHOP'] },
  { name: 'shop not in the rules', shop: undefined, product: product({ code: 'PAIN' }), eligible: false, reasons: ['SHOP_NOT_APPROVED'] },
  { name: 'wine by category', shop: wholeShop, product: product({ code: 'VIN', categories: ['en:wines', 'en:alcoholic-beverages'], abvBasisPoints: 0 }), eligible: false, reasons: ['ALCOHOL', 'WHOLE_SHOP'] },
  { name: 'alcohol over 1.2 % whatever the category', shop: wholeShop, product: product({ code: 'KOMBU', categories: ['en:fermented-drinks'], abvBasisPoints: 121 }), eligible: false, reasons: ['ALCOHOL', 'WHOLE_SHOP'] },
  { name: 'exactly 1.2 % is not alcoholic', shop: wholeShop, product: product({ code: 'KEFIR', abvBasisPoints: 120 }), eligible: true, reasons: ['WHOLE_SHOP'] },
  { name: 'alcohol-free beer', shop: wholeShop, product: product({ code: 'SANS', categories: ['en:non-alcoholic-beers'], abvBasisPoints: 40 }), eligible: true, reasons: ['WHOLE_SHOP'] },
  { name: 'non-food flag', shop: wholeShop, product: product({ code: 'SAVON', food: false }), eligible: false, reasons: ['NON_FOOD', 'WHOLE_SHOP'] },
  { name: 'non-food category', shop: wholeShop, product: product({ code: 'PAPIER', categories: ['en:toilet-paper', 'en:non-food-products'] }), eligible: false, reasons: ['NON_FOOD', 'WHOLE_SHOP'] },
  { name: 'exclusions win over the approved list', shop: listShop, product: product({ code: 'APPROVED', abvBasisPoints: 1250 }), eligible: false, reasons: ['ALCOHOL', 'APPROVED_LIST'] },
  { name: 'exclusions win over the allow list', shop: listShop, product: product({ code: 'ALLOWED', food: false }), eligible: false, reasons: ['NON_FOOD', 'SHOP_ALLOWED'] },
  { name: 'shop deny list by code', shop: wholeShop, product: product({ code: 'DENIED' }), eligible: false, reasons: ['SHOP_DENIED', 'WHOLE_SHOP'] },
  { name: 'shop deny list by category', shop: wholeShop, product: product({ code: 'COLA', categories: ['en:sodas'] }), eligible: false, reasons: ['SHOP_DENIED', 'WHOLE_SHOP'] },
  { name: 'tomatoes in July', shop: wholeShop, product: product({ code: 'TOM', categories: ['en:tomatoes'] }), month: 7, eligible: true, reasons: ['IN_SEASON', 'WHOLE_SHOP'] },
  { name: 'tomatoes in January', shop: wholeShop, product: product({ code: 'TOM', categories: ['en:tomatoes'] }), month: 1, eligible: false, reasons: ['OUT_OF_SEASON', 'WHOLE_SHOP'] },
  { name: 'out of season even when approved', shop: listShop, product: product({ code: 'APPROVED', categories: ['en:tomatoes'] }), month: 12, eligible: false, reasons: ['OUT_OF_SEASON', 'APPROVED_LIST'] },
  { name: 'approved list', shop: listShop, product: product({ code: 'APPROVED' }), eligible: true, reasons: ['APPROVED_LIST'] },
  { name: 'approved list by UPC-A, filed as EAN-13', shop: listShop, product: product({ code: '0036000291452', kind: 'upca' }), eligible: true, reasons: ['APPROVED_LIST'] },
  { name: 'allow list by code', shop: listShop, product: product({ code: 'ALLOWED' }), eligible: true, reasons: ['SHOP_ALLOWED'] },
  { name: 'allow list by category', shop: listShop, product: product({ code: 'LENT', categories: ['en:legumes'] }), eligible: true, reasons: ['SHOP_ALLOWED'] },
  { name: 'organic label qualifies', shop: listShop, product: product({ code: 'BIO', labels: ['fr:ab-agriculture-biologique', 'en:eu-organic', 'en:organic'] }), eligible: true, reasons: ['ORGANIC'] },
  { name: 'local by department', shop: listShop, product: product({ code: 'LOC', producer: { name: 'F', department: '44' } }), eligible: true, reasons: ['LOCAL'] },
  { name: 'local by commune', shop: listShop, product: product({ code: 'LOC', producer: farmInVue }), eligible: true, reasons: ['LOCAL'] },
  { name: 'local by distance (Challans, 85)', shop: listShop, product: product({ code: 'LOC', producer: { name: 'F', department: '85', latE6: 46_846_700, lonE6: -1_878_100 } }), eligible: true, reasons: ['LOCAL'] },
  { name: 'too far and another department', shop: listShop, product: product({ code: 'FAR', producer: farIn26 }), eligible: false, reasons: ['NOT_APPROVED'] },
  { name: 'peasant producer from the registry', shop: listShop, product: product({ code: 'PAY', producer: { name: 'F', department: '26', registryId: 'PAY-1' } }), eligible: true, reasons: ['PEASANT'] },
  { name: 'criteria do not qualify where the shop does not accept them', shop: strictListShop, product: product({ code: 'BIO', labels: ['en:organic'] }), eligible: false, reasons: ['ORGANIC', 'NOT_APPROVED'] },
  { name: 'not on the list', shop: strictListShop, product: product({ code: 'OTHER' }), eligible: false, reasons: ['NOT_APPROVED'] },
  { name: 'every reason is listed', shop: listShop, product: product({ code: 'DENIED', food: false, abvBasisPoints: 500, categories: ['en:tomatoes'], labels: ['en:organic'] }), month: 1, eligible: false, reasons: ['ALCOHOL', 'NON_FOOD', 'SHOP_DENIED', 'OUT_OF_SEASON', 'ORGANIC'] },
];

function rulesFor(shop: ShopRules | undefined): ReturnType<typeof compileRules> {
  const doc: RulesDocument = baseDocument({ shops: shop === undefined ? [] : [shop] });
  return compileRules(doc);
}

describe('eligibility', () => {
  it.each(cases)('$name', (c) => {
    const rules = rulesFor(c.shop);
    const verdict = judgeProduct(rules, rules.shops.get('shop:a'), c.product, c.month ?? 7);
    expect(verdict.reasons.map((r) => r.code)).toEqual(c.reasons);
    expect(verdict.eligible).toBe(c.eligible);
  });

  it('covers every eligibility reason code', () => {
    const covered = new Set(cases.flatMap((c) => c.reasons));
    const eligibilityCodes = reasonCodes.filter((c) => !c.startsWith('PRICING_') && c !== 'BALANCE_EXHAUSTED');
    expect([...eligibilityCodes].filter((c) => !covered.has(c))).toEqual([]);
  });

  it('words the reasons in plain French and English', () => {
    const rules = rulesFor(wholeShop);
    const texts = (p: Product, month = 7): string[] => judgeProduct(rules, rules.shops.get('shop:a'), p, month).reasons.map((r) => r.fr);
    expect(texts(product({ code: 'V', abvBasisPoints: 1250 }))).toContain('boisson alcoolisée (12,5 % vol.)');
    expect(texts(product({ code: 'S', food: false }))).toContain('produit non alimentaire');
    expect(texts(product({ code: 'T', categories: ['en:tomatoes'] }), 1)).toContain('hors saison (janvier)');
    const none = compileRules(baseDocument({ shops: [strictListShop] }));
    const verdict = judgeProduct(none, none.shops.get('shop:a'), product({ code: 'X' }), 7);
    expect(verdict.reasons.map((r) => [r.fr, r.en])).toEqual([['non conventionné', 'product not approved']]);
  });

  it('measures distances in whole kilometres, rounded up', () => {
    const rouans = { latE6: 47_183_600, lonE6: -1_854_700 };
    expect(distanceKm(rouans, rouans)).toBe(0);
    const nantes = { latE6: 47_218_400, lonE6: -1_553_600 };
    // 23.06 km as the crow flies.
    expect(distanceKm(rouans, nantes)).toBe(24);
  });
});
