import { hash as oneShotHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalInteger as int, quote } from '../jcs.js';
import { limits } from '../limits.js';
import { amountCentsMax } from '../money.js';

/**
 * A payment's basket: what was bought. Personal data (what a household buys with food aid), so it never
 * enters the log. The log holds only SHA-256(domain || salt || JCS({lines, tier})); the salt and the
 * content are kept beside the log for authorised roles and can be erased on request without breaking
 * verification. The random salt stops anyone from confirming a guessed basket against the public hash;
 * the tier is hashed with the lines so that the member's tier the till applied is signed too.
 */
export const basketHashDomain = 'caisse-basket-v1\n';
export const basketSaltBytes = 16;
const basketHashDomainBytes = Buffer.from(basketHashDomain, 'utf8');

/**
 * One line as the ledger keeps it (domain/rules/basket-lines.ts makes them from an evaluation). No
 * product names: with the catalogue and the rules version the payment names, the code reproduces the
 * line, so an authorised auditor can re-run the evaluation.
 */
export const basketLineSchema = z.strictObject({
  /** The code as scanned (EAN, variable-measure code, PLU). */
  code: z.string().min(1).max(32),
  /** The catalogue key it resolved to. */
  productCode: z.string().min(1).max(32),
  quantity: z.int().min(1).max(10_000),
  weightGrams: z.int().min(1).max(1_000_000).optional(),
  unitPriceCents: z.int().min(0).max(amountCentsMax),
  priceCents: z.int().min(0).max(amountCentsMax),
  eligible: z.boolean(),
  shareBasisPoints: z.int().min(0).max(10_000),
  /** The part of this line the caisse pays from the allowance. */
  caisseCents: z.int().min(0).max(amountCentsMax),
  memberCents: z.int().min(0).max(amountCentsMax),
});
export const basketLinesSchema = z.array(basketLineSchema).min(1).max(limits.basketLinesMax);
export const basketSchema = z.strictObject({
  salt: z.string().length(24).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64'),
  /** The member's solidarity tier the till applied; the ledger checks it against the rules' pricing. */
  tier: z.int().min(1).max(8),
  lines: basketLinesSchema,
});

export type BasketLine = z.infer<typeof basketLineSchema>;
export type Basket = z.infer<typeof basketSchema>;

/** What is hashed and kept beside the log: the lines and the tier they were evaluated for. */
export interface BasketContent {
  readonly tier: number;
  readonly lines: readonly BasketLine[];
}

/**
 * JCS({lines, tier}), written directly for this one shape: the keys in their sorted order, without the
 * generic encoder's key sort per object (the ledger hashes every payment's basket). The lines went
 * through basketLineSchema (strict, so no other key); test/ledger/basket-content.test.ts checks the
 * bytes against canonicalJson on random baskets.
 */
export function basketContentJson(content: BasketContent): string {
  let out = '{"lines":[';
  for (let i = 0; i < content.lines.length; i++) {
    const l = content.lines[i] as BasketLine;
    if (i > 0) out += ',';
    out += `{"caisseCents":${int(l.caisseCents)},"code":${quote(l.code)},"eligible":${l.eligible ? 'true' : 'false'},"memberCents":${int(l.memberCents)}`;
    out += `,"priceCents":${int(l.priceCents)},"productCode":${quote(l.productCode)},"quantity":${int(l.quantity)},"shareBasisPoints":${int(l.shareBasisPoints)}`;
    out += `,"unitPriceCents":${int(l.unitPriceCents)}${l.weightGrams === undefined ? '' : `,"weightGrams":${int(l.weightGrams)}`}}`;
  }
  return `${out}],"tier":${int(content.tier)}}`;
}

export function basketHash(saltBase64: string, content: BasketContent): string {
  return basketHashOfJson(saltBase64, basketContentJson(content));
}

/** basketHash of content already written by basketContentJson (the ledger keeps that text too). */
export function basketHashOfJson(saltBase64: string, contentJson: string): string {
  // One buffer and a one-shot hash: a streaming Hash object costs more than the hashing at this size.
  const input = Buffer.concat([basketHashDomainBytes, Buffer.from(saltBase64, 'base64'), Buffer.from(contentJson, 'utf8')]);
  return oneShotHash('sha256', input, 'base64');
}

export function basketTotals(lines: readonly BasketLine[]): { totalCents: number; caisseCents: number } {
  let totalCents = 0;
  let caisseCents = 0;
  for (const line of lines) {
    totalCents += line.priceCents;
    caisseCents += line.caisseCents;
  }
  return { totalCents, caisseCents };
}
