import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountIdPattern } from '../../domain/ids.js';
import { fixtureCatalog, fixtureRules, fixtureShops, fixturesDir, julyMs } from './fixtures.js';
import { evaluateBasket } from '../../domain/rules/evaluate.js';

describe('demo fixtures', () => {
  const shops = fixtureShops();

  it('has three shops and a market producer, in both territories, with their catalogues', () => {
    expect(shops.map((s) => s.kind).sort()).toEqual(['epicerie-bio', 'ferme', 'marche', 'vrac']);
    expect(new Set(shops.map((s) => s.territory))).toEqual(new Set(['nantes-ouest', 'pays-de-retz']));
    let total = 0;
    for (const shop of shops) {
      expect(shop.accountId).toMatch(accountIdPattern);
      expect(shop.catalog).toBe(`catalog/${shop.accountId.slice(5)}.csv`);
      total += fixtureCatalog(shop.accountId).products.length;
    }
    expect(total).toBeGreaterThanOrEqual(300);
  });

  it('covers weighed and bulk products, wines, beers, ciders and non-food', () => {
    const all = shops.flatMap((s) => fixtureCatalog(s.accountId).products);
    const kinds = new Set(all.map((p) => p.kind));
    for (const kind of ['ean13', 'ean8', 'upca', 'variable-weight', 'variable-price', 'plu', 'internal']) expect(kinds).toContain(kind);
    for (const category of ['en:wines', 'en:beers', 'en:ciders', 'en:soaps', 'en:toilet-paper']) {
      expect(all.filter((p) => p.categories.includes(category)).length, category).toBeGreaterThanOrEqual(2);
    }
    expect(all.some((p) => !p.food)).toBe(true);
  });

  it('has at least 50 pseudonymous households of several sizes and tiers in both territories', () => {
    const households = JSON.parse(readFileSync(join(fixturesDir, 'households.json'), 'utf8')) as { accountId: string; territory: string; size: number; tier: number }[];
    expect(households.length).toBeGreaterThanOrEqual(50);
    for (const h of households) {
      expect(h.accountId).toMatch(/^hh:[a-z2-7]{10}$/);
      expect(h.accountId).toMatch(accountIdPattern);
      expect(Object.keys(h).sort()).toEqual(['accountId', 'size', 'territory', 'tier']);
    }
    for (const territory of ['nantes-ouest', 'pays-de-retz']) {
      const mine = households.filter((h) => h.territory === territory);
      expect(new Set(mine.map((h) => h.size)).size).toBeGreaterThanOrEqual(4);
      expect(new Set(mine.map((h) => h.tier)).size).toBeGreaterThanOrEqual(3);
    }
    const members = JSON.parse(readFileSync(join(fixturesDir, 'members.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(members).sort()).toEqual(households.map((h) => h.accountId).sort());
  });

  it('has valid rules for both territories that approve their shops', () => {
    for (const shop of shops) {
      const rules = fixtureRules(shop.territory);
      expect(rules.shops.has(shop.accountId)).toBe(true);
      const catalog = fixtureCatalog(shop.accountId);
      const lines = catalog.products.slice(0, 20).map((p) => (p.unit === 'kg' ? { code: p.code, weightGrams: 750 } : { code: p.code, quantity: 2 }));
      const evaluation = evaluateBasket({ rules, shopId: shop.accountId, catalog, lines, member: { tier: 1, allowanceBalanceCents: 100_000 }, atMs: julyMs });
      expect(evaluation.caisseCents).toBeGreaterThan(0);
      expect(evaluation.caisseCents + evaluation.memberCents).toBe(evaluation.totalCents);
    }
  });
});
