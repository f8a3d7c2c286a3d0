import type { RulesDocument } from '../../domain/rules/schema.js';

/**
 * The monthly allowance and the suggested contribution of a household, from its territory's money
 * policy: so much for the first person and so much for each further one, by solidarity tier.
 */
export function allowanceCents(rules: RulesDocument, tier: number, size: number): number {
  const t = rules.money.tiers.find((x) => x.tier === tier) ?? rules.money.tiers[rules.money.tiers.length - 1];
  if (t === undefined) return 0;
  return t.allowance.firstPersonCents + Math.max(size - 1, 0) * t.allowance.furtherPersonCents;
}

/** The demo knows tiers, not incomes: tier N contributes the suggestion of the grid's row N. */
export function contributionCents(rules: RulesDocument, tier: number, size: number): number {
  const c = rules.money.contribution;
  const row = c.grid[Math.min(tier - 1, c.grid.length - 1)];
  const suggested = (row?.suggestedCents ?? c.minimumCents) + Math.max(size - 1, 0) * c.furtherPersonCents;
  return Math.max(suggested, c.minimumCents);
}
