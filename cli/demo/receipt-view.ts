import type { Lang } from '../../domain/error-spec.js';
import type { Basket } from '../../domain/entry/basket.js';
import type { Ledger } from '../../ledger/core/ledger.js';
import { decodeLeaf } from '../../ledger/formats/leaf.js';
import { receiptQrText, shortHash } from '../../ledger/formats/receipt.js';
import type { ReceiptView, TenderAmount } from '../../printer/views.js';
import type { World } from './world.js';

/**
 * The printed receipt of a payment in the log: the shop from the fixtures, product names from its
 * catalogue, the split from the payment and its basket (beside the log), and the QR code that points
 * at the entry in the public log.
 */
export function receiptViewForPayment(ledger: Ledger, world: World, index: number, lang: Lang): ReceiptView | undefined {
  const row = ledger.store.logAt(index);
  if (row === undefined) return undefined;
  const sealed = decodeLeaf(row.leaf);
  const body = sealed.body;
  if (body.type !== 'payment') return undefined;
  const stored = ledger.store.basket(body.id);
  if (stored?.content === undefined) return undefined;
  const basket = JSON.parse(stored.content) as Pick<Basket, 'tier' | 'lines'>;
  const shop = world.shops.find((s) => s.accountId === body.merchant);
  const catalog = world.catalogs.get(body.merchant);
  const receipt = ledger.receiptForIndex(index);
  if (shop === undefined || receipt === undefined) return undefined;
  const marks = eligibilityMarks(basket.lines.filter((l) => l.eligible).map((l) => Math.round(l.shareBasisPoints / 100)));
  const tenders: TenderAmount[] = [{ kind: 'cca', amountCents: body.amountCents }];
  if (body.basket.otherCents > 0) tenders.push({ kind: 'card', amountCents: body.basket.otherCents });
  return {
    lang,
    shopName: shop.name,
    shopAddress: [shop.address, shop.commune],
    tillId: body.tillId,
    ticketNumber: body.ticket,
    timeMs: body.createdAtMs,
    lines: basket.lines.map((l) => ({
      name: catalog?.byCode.get(l.productCode)?.name ?? l.code,
      quantity: l.weightGrams !== undefined ? { kind: 'weight' as const, weightGrams: l.weightGrams } : { kind: 'count' as const, count: l.quantity },
      unitPriceCents: l.unitPriceCents,
      lineTotalCents: l.priceCents,
      eligibility: l.eligible ? { mark: marks.get(Math.round(l.shareBasisPoints / 100)) ?? '*', sharePercent: Math.round(l.shareBasisPoints / 100) } : null,
    })),
    totals: { caissePaidCents: body.amountCents, paidOtherwiseCents: body.basket.otherCents },
    tenders,
    remainingAllowanceCents: ledger.store.balanceCents(body.payer, 'CCA'),
    ledgerIndex: index,
    shortHash: shortHash(receipt.leafHash),
    qrText: receiptQrText(ledger.origin, index, receipt.leafHash),
    duplicate: false,
  };
}

/** Marks (printable ASCII, as receipts need) for shares other than 100 %, the largest shares first. */
const partialShareMarks = ['+', '#', '~', '=', '^', '%', '&', '@', '$'] as const;

/**
 * One mark per share on a receipt, so that its legend reads "* = 100 %, + = 70 %…": a line paid in
 * full by the caisse is always "*", the others take a mark each, the largest share first.
 */
export function eligibilityMarks(sharesPercent: readonly number[]): Map<number, string> {
  const marks = new Map<number, string>();
  const partial = [...new Set(sharesPercent.filter((s) => s !== 100))].sort((a, b) => b - a);
  if (sharesPercent.includes(100)) marks.set(100, '*');
  partial.forEach((share, i) => marks.set(share, partialShareMarks[i] ?? '*'));
  return marks;
}
