import { decodeLeaf } from '../formats/leaf.js';

/**
 * What the reports read of a merchant's entries: sales (payments), refunds and settlements, decoded
 * from the exact leaves of the log so that a report says what the log says. Pure: rows in, values out.
 */
export interface Sale {
  readonly kind: 'sale';
  readonly index: number;
  readonly ledgerTimeMs: number;
  readonly entryId: string;
  readonly tillId: string;
  readonly ticket: number;
  /** Price of the whole basket. */
  readonly totalCents: number;
  /** What the caisse paid (CCA). */
  readonly caisseCents: number;
  /** What the member paid otherwise; the ledger does not know how (cash, card, Moneko notes). */
  readonly otherCents: number;
}

export interface Refund {
  readonly kind: 'refund';
  readonly index: number;
  readonly ledgerTimeMs: number;
  readonly entryId: string;
  readonly tillId: string;
  readonly paymentId: string;
  /** CCA given back to the member. */
  readonly amountCents: number;
}

export interface Settlement {
  readonly kind: 'settlement';
  readonly index: number;
  readonly ledgerTimeMs: number;
  readonly entryId: string;
  readonly merchant: string;
  readonly period: string;
  readonly amountCents: number;
}

export type Movement = Sale | Refund | Settlement;

/** The log entry types a merchant's reports read. */
export const movementTypes = ['payment', 'refund', 'settlement'] as const;

/** Decodes one leaf; undefined for an entry of another type. Throws LeafFormatError on a corrupt leaf. */
export function movementOf(row: { readonly index: number; readonly ledgerTimeMs: number; readonly leaf: Uint8Array }): Movement | undefined {
  const sealed = decodeLeaf(row.leaf);
  const body = sealed.body;
  const at = { index: row.index, ledgerTimeMs: row.ledgerTimeMs, entryId: body.id };
  if (body.type === 'payment') {
    return {
      kind: 'sale',
      ...at,
      tillId: body.tillId,
      ticket: body.ticket,
      totalCents: body.basket.totalCents,
      caisseCents: body.amountCents,
      // The ledger checks totalCents = amountCents + otherCents; deriving it keeps every report's sums exact.
      otherCents: body.basket.totalCents - body.amountCents,
    };
  }
  if (body.type === 'refund') return { kind: 'refund', ...at, tillId: body.tillId, paymentId: body.payment, amountCents: body.amountCents };
  if (body.type === 'settlement') return { kind: 'settlement', ...at, merchant: body.merchant, period: body.period, amountCents: body.amountCents };
  return undefined;
}
