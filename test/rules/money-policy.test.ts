import { describe, expect, it } from 'vitest';
import { monthlyAllowanceCents, suggestedContributionCents, tierForIncome, unspentAtMonthEnd } from '../../domain/rules/money-policy.js';
import { baseDocument, fixtureRulesDocument } from './fixtures.js';

describe('money policy', () => {
  const nantes = fixtureRulesDocument('nantes-ouest');
  it.each([
    [1, 1, 10_000],
    [2, 1, 15_000],
    [4, 3, 25_000],
    [6, 4, 35_000],
  ])('Nantes: a household of %i in tier %i receives %i cents (100 EUR + 50 EUR per further person)', (size, tier, cents) => {
    expect(monthlyAllowanceCents(nantes, size, tier)).toBe(cents);
  });
  it('Pays de Retz: the allowance depends on the tier', () => {
    const retz = fixtureRulesDocument('pays-de-retz');
    expect([1, 2, 3, 4].map((tier) => monthlyAllowanceCents(retz, 3, tier))).toEqual([24_000, 20_000, 18_000, 16_000]);
  });
  it.each([
    [0, 1],
    [90_000, 1],
    [90_001, 2],
    [180_000, 3],
    [500_000, 4],
  ])('an income of %i cents is tier %i', (income, tier) => {
    expect(tierForIncome(nantes, income)).toBe(tier);
  });
  it.each([
    [50_000, 1, 1_000],
    [50_000, 3, 2_000],
    [150_000, 2, 6_500],
    [900_000, 1, 10_000],
  ])('suggests a contribution for income %i and size %i: %i cents', (income, size, cents) => {
    expect(suggestedContributionCents(nantes, income, size)).toBe(cents);
  });
  it('never suggests less than the minimum', () => {
    const doc = baseDocument();
    const low = { ...doc, money: { ...doc.money, contribution: { minimumCents: 1_000, furtherPersonCents: 0, grid: [{ suggestedCents: 100 }] } } };
    expect(suggestedContributionCents(low, 0, 1)).toBe(1_000);
  });
  it.each([
    [{ policy: 'carry-over' as const }, 20_000, 20_000, 0],
    [{ policy: 'return-to-fund' as const }, 20_000, 0, 20_000],
    [{ policy: 'carry-over-capped' as const, capCents: 15_000 }, 20_000, 15_000, 5_000],
    [{ policy: 'carry-over-capped' as const, capCents: 15_000 }, 9_000, 9_000, 0],
  ])('unspent balance at month end: %o', (unspent, balance, kept, returned) => {
    const doc = baseDocument();
    expect(unspentAtMonthEnd({ ...doc, money: { ...doc.money, unspent } }, balance)).toEqual({ keptCents: kept, returnedCents: returned });
  });
  it('refuses impossible households', () => {
    expect(() => monthlyAllowanceCents(nantes, 0, 1)).toThrow(RangeError);
    expect(() => monthlyAllowanceCents(nantes, 2, 5)).toThrow(RangeError);
  });
});
