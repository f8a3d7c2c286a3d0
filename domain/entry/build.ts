import { randomBytes } from 'node:crypto';
import { basketHash, basketTotals, type Basket, type BasketLine } from './basket.js';
import { entryFormatVersion, type BodyOf, type KeyRegistration } from './schema.js';
import { keyIdOf } from '../ed25519.js';
import { rulesDocumentHash } from '../rules/compile.js';
import type { RulesDocument } from '../rules/schema.js';

/**
 * Builders for entry bodies with the postings each type of operation makes, so that tills, the demo and
 * the operators' commands never assemble postings by hand. The ledger checks the same shapes again.
 */
export interface Common {
  readonly id: string;
  readonly createdAtMs: number;
  readonly memo?: string;
}

function common(c: Common) {
  return { v: entryFormatVersion, id: c.id, createdAtMs: c.createdAtMs, ...(c.memo !== undefined ? { memo: c.memo } : {}) } as const;
}

/** A fresh random entry id: `prefix-` and 20 characters of base32-ish text. */
export function newEntryId(prefix: string): string {
  return `${prefix}-${randomBytes(15).toString('base64url')}`;
}

export function keyRegistration(publicKey: Uint8Array, role: KeyRegistration['role'], till?: { merchant: string; tillId: string }): KeyRegistration {
  return {
    keyId: keyIdOf(publicKey),
    publicKey: Buffer.from(publicKey).toString('base64'),
    role,
    ...(till !== undefined ? { merchant: till.merchant, tillId: till.tillId } : {}),
  };
}

export function keyRegisterBody(c: Common, key: KeyRegistration): BodyOf<'key.register'> {
  return { ...common(c), type: 'key.register', key };
}

export function keyRevokeBody(c: Common, keyId: string, reason: string): BodyOf<'key.revoke'> {
  return { ...common(c), type: 'key.revoke', keyId, reason };
}

export function accountOpenBody(
  c: Common,
  account: { id: string; kind: BodyOf<'account.open'>['account']['kind']; territory?: string; label?: string },
): BodyOf<'account.open'> {
  return { ...common(c), type: 'account.open', account: { ...account } };
}

export function accountCloseBody(c: Common, accountId: string, reason: string): BodyOf<'account.close'> {
  return { ...common(c), type: 'account.close', accountId, reason };
}

export function allowanceIssueBody(c: Common, fund: string, period: string, credits: readonly { household: string; amountCents: number }[]): BodyOf<'allowance.issue'> {
  const total = credits.reduce((sum, credit) => sum + credit.amountCents, 0);
  return {
    ...common(c),
    type: 'allowance.issue',
    period,
    postings: [{ account: fund, asset: 'CCA', amountCents: -total }, ...credits.map((cr) => ({ account: cr.household, asset: 'CCA' as const, amountCents: cr.amountCents }))],
  };
}

export interface PaymentInput {
  readonly payer: string;
  readonly merchant: string;
  readonly tillId: string;
  readonly ticket: number;
  readonly rulesVersion: string;
  /** The member's solidarity tier the evaluation used; kept beside the log with the lines. */
  readonly tier: number;
  readonly lines: readonly BasketLine[];
  readonly offline?: boolean;
}

/**
 * A payment and the basket that goes with it (kept beside the log). The caisse pays the sum of the
 * lines' caisse parts; the member pays the rest otherwise.
 */
export function paymentBody(c: Common, input: PaymentInput, saltBase64 = randomBytes(16).toString('base64')): { body: BodyOf<'payment'>; basket: Basket } {
  const totals = basketTotals(input.lines);
  const body: BodyOf<'payment'> = {
    ...common(c),
    type: 'payment',
    payer: input.payer,
    merchant: input.merchant,
    tillId: input.tillId,
    ticket: input.ticket,
    amountCents: totals.caisseCents,
    rulesVersion: input.rulesVersion,
    basket: {
      hash: basketHash(saltBase64, { tier: input.tier, lines: input.lines }),
      lineCount: input.lines.length,
      totalCents: totals.totalCents,
      otherCents: totals.totalCents - totals.caisseCents,
    },
    ...(input.offline === true ? { offline: true as const } : {}),
    postings: [
      { account: input.payer, asset: 'CCA', amountCents: -totals.caisseCents },
      { account: input.merchant, asset: 'CCA', amountCents: totals.caisseCents },
    ],
  };
  return { body, basket: { salt: saltBase64, tier: input.tier, lines: [...input.lines] } };
}

export function refundBody(
  c: Common,
  input: { payment: string; payer: string; merchant: string; tillId: string; amountCents: number; reason: string; offline?: boolean },
): BodyOf<'refund'> {
  return {
    ...common(c),
    type: 'refund',
    payment: input.payment,
    tillId: input.tillId,
    amountCents: input.amountCents,
    reason: input.reason,
    ...(input.offline === true ? { offline: true as const } : {}),
    postings: [
      { account: input.merchant, asset: 'CCA', amountCents: -input.amountCents },
      { account: input.payer, asset: 'CCA', amountCents: input.amountCents },
    ],
  };
}

/** Settlement: the merchant's CCA goes back to the fund (retired) and the caisse pays as much in Moneko. */
export function settlementBody(c: Common, input: { merchant: string; fund: string; treasury: string; period: string; amountCents: number }): BodyOf<'settlement'> {
  const x = input.amountCents;
  return {
    ...common(c),
    type: 'settlement',
    merchant: input.merchant,
    period: input.period,
    amountCents: x,
    postings: [
      { account: input.merchant, asset: 'CCA', amountCents: -x },
      { account: input.fund, asset: 'CCA', amountCents: x },
      { account: input.treasury, asset: 'MNK', amountCents: -x },
      { account: input.merchant, asset: 'MNK', amountCents: x },
    ],
  };
}

export function monekoIssueBody(c: Common, input: { reserve: string; to: string; amountCents: number; reference: string }): BodyOf<'moneko.issue'> {
  return {
    ...common(c),
    type: 'moneko.issue',
    amountCents: input.amountCents,
    reference: input.reference,
    postings: [
      { account: input.reserve, asset: 'MNK', amountCents: -input.amountCents },
      { account: input.to, asset: 'MNK', amountCents: input.amountCents },
    ],
  };
}

export function monekoRedeemBody(c: Common, input: { reserve: string; from: string; amountCents: number; reference: string }): BodyOf<'moneko.redeem'> {
  return {
    ...common(c),
    type: 'moneko.redeem',
    amountCents: input.amountCents,
    reference: input.reference,
    postings: [
      { account: input.from, asset: 'MNK', amountCents: -input.amountCents },
      { account: input.reserve, asset: 'MNK', amountCents: input.amountCents },
    ],
  };
}

/** A household's contribution in euros, paid into Moneko's guarantee fund and held by the caisse as MNK. */
export function contributionBody(
  c: Common,
  input: { household: string; period: string; amountCents: number; reference: string; reserve: string; treasury: string },
): BodyOf<'contribution'> {
  return {
    ...common(c),
    type: 'contribution',
    household: input.household,
    period: input.period,
    amountCents: input.amountCents,
    reference: input.reference,
    postings: [
      { account: input.reserve, asset: 'MNK', amountCents: -input.amountCents },
      { account: input.treasury, asset: 'MNK', amountCents: input.amountCents },
    ],
  };
}

export function transferBody(c: Common, input: { from: string; to: string; asset: 'CCA' | 'MNK'; amountCents: number; reason: string }): BodyOf<'transfer'> {
  return {
    ...common(c),
    type: 'transfer',
    reason: input.reason,
    postings: [
      { account: input.from, asset: input.asset, amountCents: -input.amountCents },
      { account: input.to, asset: input.asset, amountCents: input.amountCents },
    ],
  };
}

export function correctionBody(c: Common, input: { corrects: string; reason: string; postings: BodyOf<'correction'>['postings'] }): BodyOf<'correction'> {
  return { ...common(c), type: 'correction', corrects: input.corrects, reason: input.reason, postings: input.postings };
}

/** Publishes a rules document (a conventionnement) whole, named by its hash; the committee signs it. */
export function rulesPublishBody(c: Common, document: RulesDocument): BodyOf<'rules.publish'> {
  return {
    ...common(c),
    type: 'rules.publish',
    territory: document.territory,
    version: String(document.version),
    documentHash: rulesDocumentHash(document),
    document: document as unknown as Record<string, unknown>,
  };
}
