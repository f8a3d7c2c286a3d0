import { parseCode } from '../catalog/barcode.js';
import type { BasketEvaluation } from './evaluate.js';
import type { BasketLine } from '../entry/basket.js';

/**
 * The canonical basket encoding for the ledger's privacy scheme: the ledger keeps
 * SHA-256(salt || JCS(lines)) in the public log and these lines beside it, so an auditor who is given
 * the lines and the salt can re-run `evaluateBasket` and check the amounts, and nobody else learns what
 * was bought. Only integers, strings and booleans (JCS-safe); names and reasons are left out because
 * they follow from the catalogue and the rules version, which the payment names.
 */
/** One line as the ledger keeps it beside the log: the format is defined once, in domain/entry/basket.ts. */
export type HashedBasketLine = BasketLine;

export function basketLinesForHash(evaluation: BasketEvaluation): HashedBasketLine[] {
  return evaluation.lines.map((line) => ({
    code: line.code,
    productCode: line.productCode,
    quantity: line.quantity,
    ...(line.weightGrams === undefined ? {} : { weightGrams: line.weightGrams }),
    unitPriceCents: line.unitPriceCents,
    priceCents: line.priceCents,
    eligible: line.eligible,
    shareBasisPoints: line.shareBasisPoints,
    caisseCents: line.caisseCents,
    memberCents: line.memberCents,
  }));
}

/**
 * The basket input that reproduces an evaluation from its hashed lines: what the ledger feeds back into
 * `evaluateBasket` to check a payment. A weight is passed only where the code does not carry it.
 */
export function basketInputLines(lines: readonly HashedBasketLine[]): { code: string; quantity?: number; weightGrams?: number }[] {
  return lines.map((line) => {
    const parsed = parseCode(line.code);
    if (parsed.ok && parsed.code.embedded !== undefined) return { code: line.code };
    if (line.weightGrams !== undefined) return { code: line.code, weightGrams: line.weightGrams };
    return { code: line.code, quantity: line.quantity };
  });
}
