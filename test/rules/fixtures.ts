import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogFromProducts, type Catalog } from '../../domain/catalog/catalog.js';
import { importCatalog } from '../../domain/catalog/import.js';
import type { Product } from '../../domain/catalog/product.js';
import { compileRules, type CompiledRules } from '../../domain/rules/compile.js';
import type { RulesDocument } from '../../domain/rules/schema.js';

/** Helpers shared by the rules tests: the real fixtures, and small hand-made products and documents. */
export const fixturesDir = join(import.meta.dirname, '..', '..', 'fixtures');

export interface ShopFixture {
  readonly accountId: string;
  readonly name: string;
  readonly kind: string;
  readonly territory: string;
  readonly address: string;
  readonly commune: string;
  readonly tills: readonly string[];
  readonly catalog: string;
}

export function fixtureShops(): ShopFixture[] {
  return JSON.parse(readFileSync(join(fixturesDir, 'shops.json'), 'utf8')) as ShopFixture[];
}

export function fixtureRulesDocument(territory: string): RulesDocument {
  return JSON.parse(readFileSync(join(fixturesDir, 'rules', `${territory}.json`), 'utf8')) as RulesDocument;
}

export function fixtureRules(territory: string): CompiledRules {
  return compileRules(fixtureRulesDocument(territory));
}

export function fixtureCatalog(shopId: string): Catalog {
  const shop = fixtureShops().find((s) => s.accountId === shopId);
  if (shop === undefined) throw new Error(`no fixture shop ${shopId}`);
  const result = importCatalog(readFileSync(join(fixturesDir, shop.catalog)), { shopId });
  if (!result.ok) throw new Error(`fixture catalogue ${shopId}: ${JSON.stringify(result.issues.slice(0, 3))}`);
  return result.catalog;
}

/** 15 July 2026 at noon in Paris: summer, tomatoes in season. */
export const julyMs = Date.UTC(2026, 6, 15, 10);
/** 15 January 2026 at noon in Paris: winter. */
export const januaryMs = Date.UTC(2026, 0, 15, 11);

export function product(overrides: Partial<Product> & { code: string }): Product {
  return {
    kind: 'internal',
    name: overrides.code,
    priceCents: 100,
    unit: 'piece',
    vatBasisPoints: 550,
    categories: [],
    labels: [],
    abvBasisPoints: 0,
    food: true,
    ...overrides,
  };
}

export function catalogOf(shopId: string, products: readonly Product[]): Catalog {
  return catalogFromProducts(shopId, products);
}

/** A minimal valid document: one whole shop, whole-price policy, two tiers. */
export function baseDocument(overrides: Partial<RulesDocument> = {}): RulesDocument {
  return {
    format: 'caisse-rules-v1',
    territory: 'test',
    territoryName: { fr: 'Test', en: 'Test' },
    areas: ['Nantes'],
    committee: 'Comité de test',
    version: 1,
    effectiveFromMs: 0,
    eligibility: {
      organicLabels: ['en:organic'],
      local: { departments: ['44'], communes: ['Vue'], centre: { latE6: 47_190_000, lonE6: -1_830_000 }, distanceKmMax: 50 },
      peasantRegistry: [{ registryId: 'PAY-1', name: 'Ferme paysanne', commune: 'Rouans' }],
      seasons: [{ category: 'en:tomatoes', months: [6, 7, 8, 9] }],
      alcohol: { abvBasisPointsMax: 120, categories: ['en:alcoholic-beverages'] },
      nonFoodCategories: ['en:non-food-products'],
    },
    pricing: { kind: 'whole' },
    shops: [{ shopId: 'shop:a', name: 'A', mode: 'whole-shop' }],
    money: {
      allowanceDayOfMonth: 1,
      tiers: [
        { tier: 1, name: { fr: 'Palier 1', en: 'Tier 1' }, monthlyIncomeCentsMax: 100_000, allowance: { firstPersonCents: 10_000, furtherPersonCents: 5_000 } },
        { tier: 2, name: { fr: 'Palier 2', en: 'Tier 2' }, allowance: { firstPersonCents: 8_000, furtherPersonCents: 4_000 } },
      ],
      contribution: { minimumCents: 100, furtherPersonCents: 500, grid: [{ monthlyIncomeCentsMax: 100_000, suggestedCents: 1_000 }, { suggestedCents: 5_000 }] },
      unspent: { policy: 'carry-over' },
    },
    ...overrides,
  };
}
