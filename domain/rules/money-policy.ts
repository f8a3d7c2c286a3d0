import assert from 'node:assert/strict';
import type { RulesDocument } from './schema.js';

/**
 * The money policy a rules document carries, as functions for the issuance: allowance per household,
 * suggested contribution, and what happens to an unspent balance at month's end.
 */

/** Household sizes the formulas accept; a household of more than 20 is a data error. */
export const householdSizeMax = 20;

function tierEntry(doc: RulesDocument, tier: number): RulesDocument['money']['tiers'][number] {
  const entry = doc.money.tiers[tier - 1];
  if (entry === undefined) throw new RangeError(`tier ${tier} not in ${doc.territory} v${doc.version}`);
  return entry;
}

function checkSize(householdSize: number): void {
  if (!Number.isSafeInteger(householdSize) || householdSize < 1 || householdSize > householdSizeMax) throw new RangeError(`household size ${householdSize}`);
}

/** First person's amount plus the further persons' amount for each other member (Nantes: 100 + 50 EUR). */
export function monthlyAllowanceCents(doc: RulesDocument, householdSize: number, tier: number): number {
  checkSize(householdSize);
  const { allowance } = tierEntry(doc, tier);
  return allowance.firstPersonCents + allowance.furtherPersonCents * (householdSize - 1);
}

/** The tier of a monthly income (per consumption unit): the first whose upper bound it does not pass. */
export function tierForIncome(doc: RulesDocument, monthlyIncomeCents: number): number {
  const index = doc.money.tiers.findIndex((t) => t.monthlyIncomeCentsMax === undefined || monthlyIncomeCents <= t.monthlyIncomeCentsMax);
  assert.ok(index >= 0, 'validation guarantees an unbounded last tier');
  return index + 1;
}

/** The grid's suggestion for the income plus the per-person supplement, never under the minimum. */
export function suggestedContributionCents(doc: RulesDocument, monthlyIncomeCents: number, householdSize: number): number {
  checkSize(householdSize);
  const { contribution } = doc.money;
  const row = contribution.grid.find((r) => r.monthlyIncomeCentsMax === undefined || monthlyIncomeCents <= r.monthlyIncomeCentsMax);
  assert.ok(row !== undefined, 'validation guarantees an unbounded last row');
  return Math.max(contribution.minimumCents, row.suggestedCents + contribution.furtherPersonCents * (householdSize - 1));
}

/** Splits a balance at month's end into what the household keeps and what returns to the fund. */
export function unspentAtMonthEnd(doc: RulesDocument, balanceCents: number): { keptCents: number; returnedCents: number } {
  assert.ok(Number.isSafeInteger(balanceCents) && balanceCents >= 0);
  const policy = doc.money.unspent;
  switch (policy.policy) {
    case 'carry-over':
      return { keptCents: balanceCents, returnedCents: 0 };
    case 'return-to-fund':
      return { keptCents: 0, returnedCents: balanceCents };
    case 'carry-over-capped': {
      const kept = Math.min(balanceCents, policy.capCents);
      return { keptCents: kept, returnedCents: balanceCents - kept };
    }
  }
}
