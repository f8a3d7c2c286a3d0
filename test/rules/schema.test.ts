import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRules, validateRulesDocument } from '../../domain/rules/compile.js';
import { rulesJsonSchemaPath, rulesJsonSchemaText } from '../../domain/rules/json-schema.js';
import type { RulesDocument } from '../../domain/rules/schema.js';
import { baseDocument, fixtureRulesDocument } from './fixtures.js';

const root = join(import.meta.dirname, '..', '..');

describe('rules document schema', () => {
  it('docs/rules.schema.json is the schema generated from the zod schema', () => {
    // Regenerate with: node dist/cli/main.js rules schema > docs/rules.schema.json
    expect(readFileSync(join(root, rulesJsonSchemaPath), 'utf8')).toBe(rulesJsonSchemaText());
  });

  it('accepts both territories’ fixtures', () => {
    for (const territory of ['nantes-ouest', 'pays-de-retz']) expect(validateRulesDocument(fixtureRulesDocument(territory)).ok).toBe(true);
  });

  const base = baseDocument();
  const cases: [string, (doc: RulesDocument) => unknown, string][] = [
    ['unknown field', (d) => ({ ...d, extra: 1 }), '(document)'],
    ['wrong format', (d) => ({ ...d, format: 'caisse-rules-v2' }), 'format'],
    ['float share', (d) => ({ ...d, pricing: { kind: 'share', defaultShareBasisPoints: 33.3 } }), 'pricing.defaultShareBasisPoints'],
    ['share above 100 %', (d) => ({ ...d, pricing: { kind: 'share', defaultShareBasisPoints: 10_001 } }), 'pricing.defaultShareBasisPoints'],
    ['tiers out of order', (d) => ({ ...d, money: { ...d.money, tiers: [...d.money.tiers].reverse() } }), 'money.tiers.0.tier'],
    ['tier policy missing a tier', (d) => ({ ...d, pricing: { kind: 'tier', byTier: [{ tier: 1, shareBasisPoints: 10_000 }] } }), 'pricing.byTier'],
    ['tier policy naming an unknown tier', (d) => ({ ...d, pricing: { kind: 'tier', byTier: [1, 2, 3].map((tier) => ({ tier, shareBasisPoints: 5_000 })) } }), 'pricing.byTier'],
    ['shop listed twice', (d) => ({ ...d, shops: [...d.shops, ...d.shops] }), 'shops.1.shopId'],
    ['approved list on a whole shop', (d) => ({ ...d, shops: [{ ...d.shops[0]!, approved: [{ code: '3760000000017' }] }] }), 'shops.0'],
    ['bad approved barcode', (d) => ({ ...d, shops: [{ shopId: 'shop:a', name: 'A', mode: 'product-list', approved: [{ code: '3760000000018' }] }] }), 'shops.0.approved.0.code'],
    ['approved code twice', (d) => ({ ...d, shops: [{ shopId: 'shop:a', name: 'A', mode: 'product-list', approved: [{ code: '036000291452' }, { code: '0036000291452' }] }] }), 'shops.0.approved.1.code'],
    ['bad deny code', (d) => ({ ...d, shops: [{ ...d.shops[0]!, deny: { codes: ['12345678'] } }] }), 'shops.0.deny.codes.0'],
    ['floor below the member price', (d) => ({ ...d, shops: [{ ...d.shops[0]!, producerFloors: [{ categories: ['en:carrots'], floorCentsPerKg: 50, memberCentsPerKg: 300 }] }] }), 'shops.0.producerFloors.0'],
    ['distance without centre', (d) => ({ ...d, eligibility: { ...d.eligibility, local: { departments: [], communes: [], distanceKmMax: 10 } } }), 'eligibility.local.centre'],
    ['season listed twice', (d) => ({ ...d, eligibility: { ...d.eligibility, seasons: [d.eligibility.seasons[0]!, d.eligibility.seasons[0]!] } }), 'eligibility.seasons.1.category'],
    ['month 13', (d) => ({ ...d, eligibility: { ...d.eligibility, seasons: [{ category: 'en:tomatoes', months: [13] }] } }), 'eligibility.seasons.0.months.0'],
    ['bounded last grid row', (d) => ({ ...d, money: { ...d.money, contribution: { ...d.money.contribution, grid: [{ monthlyIncomeCentsMax: 1, suggestedCents: 1 }] } } }), 'money.contribution.grid.0.monthlyIncomeCentsMax'],
    ['grid bounds not increasing', (d) => ({ ...d, money: { ...d.money, contribution: { ...d.money.contribution, grid: [{ monthlyIncomeCentsMax: 5, suggestedCents: 1 }, { monthlyIncomeCentsMax: 5, suggestedCents: 2 }, { suggestedCents: 3 }] } } }), 'money.contribution.grid.1.monthlyIncomeCentsMax'],
    ['not a taxonomy id', (d) => ({ ...d, eligibility: { ...d.eligibility, organicLabels: ['Bio'] } }), 'eligibility.organicLabels.0'],
    ['bad shop id', (d) => ({ ...d, shops: [{ ...d.shops[0]!, shopId: 'epicerie' }] }), 'shops.0.shopId'],
  ];
  it.each(cases)('refuses a document with %s', (_name, edit, path) => {
    const result = validateRulesDocument(edit(base));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.path)).toContain(path);
  });

  it('throws RULES_INVALID from compileRules', () => {
    expect(() => compileRules({ ...base, version: 0 })).toThrow(expect.objectContaining({ code: 'RULES_INVALID' }));
    expect(() => compileRules('not a document')).toThrow(expect.objectContaining({ code: 'RULES_INVALID' }));
  });
});
