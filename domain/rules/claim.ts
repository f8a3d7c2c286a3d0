import type { BasketEvaluation } from './evaluate.js';

/**
 * What a payment claims about its basket, as the till sent it; the ledger re-evaluates the basket and
 * refuses the payment unless every field agrees (never trust a client).
 */
export interface BasketClaim {
  readonly territory: string;
  readonly rulesVersion: number;
  readonly totalCents: number;
  readonly caisseCents: number;
  readonly memberCents: number;
}

/** Undefined when the evaluation backs the claim, else which fields differ (for the refusal's detail). */
export function basketClaimMismatch(evaluation: BasketEvaluation, claim: BasketClaim): string | undefined {
  const differences: string[] = [];
  for (const field of ['territory', 'rulesVersion', 'totalCents', 'caisseCents', 'memberCents'] as const) {
    if (evaluation[field] !== claim[field]) differences.push(`${field} ${String(claim[field])}, evaluates to ${String(evaluation[field])}`);
  }
  return differences.length === 0 ? undefined : differences.join('; ');
}
