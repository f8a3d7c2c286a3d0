import type { RulesDocument } from '../../domain/rules/schema.js';
import { monthlyAllowanceCents, suggestedContributionCents } from '../../domain/rules/money-policy.js';

/**
 * The demo's households carry a solidarity tier, not an income (the fixtures hold no personal data):
 * each is given the top income of its tier (or a little above the last bound) to find its suggested
 * contribution in the territory's grid.
 */
export function demoIncomeCents(rules: RulesDocument, tier: number): number {
  const tiers = rules.money.tiers;
  const own = tiers[tier - 1]?.monthlyIncomeCentsMax;
  if (own !== undefined) return own;
  const previous = tiers[tier - 2]?.monthlyIncomeCentsMax ?? 0;
  return previous + 50_000;
}

export function demoAllowanceCents(rules: RulesDocument, tier: number, size: number): number {
  return monthlyAllowanceCents(rules, size, Math.min(tier, rules.money.tiers.length));
}

export function demoContributionCents(rules: RulesDocument, tier: number, size: number): number {
  return suggestedContributionCents(rules, demoIncomeCents(rules, tier), size);
}
