import type { Lang } from '../domain/error-spec.js';
import { DocumentBuilder, type PrintDocument } from './document.js';
import { defaultTimeZone, formatCents, formatDateTime, formatWeight } from './format.js';
import { label, tenderLabels } from './labels.js';
import type { Columns } from './limits.js';
import type { ReceiptLineView, ReceiptView } from './views.js';

export interface ReceiptLayoutOptions {
  readonly columns: Columns;
  readonly timeZone?: string;
}

function quantityText(line: ReceiptLineView, lang: Lang): string {
  const price = formatCents(line.unitPriceCents, lang);
  if (line.quantity.kind === 'weight') return `${formatWeight(line.quantity.weightGrams, lang)} x ${price}/kg`;
  return `${line.quantity.count} x ${price}`;
}

/**
 * Lays out a sale receipt. The view must have passed `parseReceiptView`. Amounts are right-aligned, each
 * followed by the line's eligibility mark (or a blank) so that totals stay in one column; a legend
 * under the lines says what share of each mark the caisse pays.
 */
export function receiptDocument(view: ReceiptView, options: ReceiptLayoutOptions): PrintDocument {
  const { lang } = view;
  const doc = new DocumentBuilder(options.columns);
  const duplicate = (): void => {
    doc.single(label('duplicate', lang), { align: 'center', bold: true, large: true });
  };

  if (view.duplicate) duplicate();
  doc.text(view.shopName, { align: 'center', bold: true });
  for (const line of view.shopAddress) doc.text(line, { align: 'center' });
  doc.row(`${label('till', lang)} ${view.tillId}`, `${label('ticket', lang)} ${view.ticketNumber}`);
  doc.single(formatDateTime(view.timeMs, lang, options.timeZone ?? defaultTimeZone));
  doc.rule();

  const hasMarks = view.lines.some((l) => l.eligibility !== null);
  for (const line of view.lines) {
    const amount = formatCents(line.lineTotalCents, lang);
    const value = hasMarks ? `${amount} ${line.eligibility?.mark ?? ' '}` : amount;
    if (line.quantity.kind === 'count' && line.quantity.count === 1) {
      doc.row(line.name, value);
    } else {
      doc.text(line.name);
      doc.row(`  ${quantityText(line, lang)}`, value);
    }
  }
  doc.rule();

  const totalCents = view.totals.caissePaidCents + view.totals.paidOtherwiseCents;
  const pad = hasMarks ? '  ' : '';
  doc.row(label('total', lang), formatCents(totalCents, lang) + pad, { bold: true });
  doc.row(label('caissePaid', lang), formatCents(view.totals.caissePaidCents, lang) + pad);
  doc.row(label('paidOtherwise', lang), formatCents(view.totals.paidOtherwiseCents, lang) + pad);
  if (view.tenders.length > 0) {
    doc.single(lang === 'fr' ? `${label('tenders', lang)} :` : `${label('tenders', lang)}:`);
    for (const tender of view.tenders) {
      doc.row(`  ${tenderLabels[tender.kind][lang]}`, formatCents(tender.amountCents, lang) + pad);
    }
  }
  if (view.remainingAllowanceCents !== null) {
    doc.row(label('remaining', lang), formatCents(view.remainingAllowanceCents, lang) + pad, { bold: true });
  }
  doc.rule();

  const legend = new Map<string, number>();
  for (const line of view.lines) if (line.eligibility) legend.set(line.eligibility.mark, line.eligibility.sharePercent);
  for (const [mark, share] of [...legend].sort(([a], [b]) => a.localeCompare(b))) {
    doc.text(lang === 'fr' ? `${mark} = ${share} % ${label('eligibleShare', lang)}` : `${mark} = ${share}% ${label('eligibleShare', lang)}`);
  }

  doc.row(`${label('ledger', lang)} ${view.ledgerIndex}`, `${label('hash', lang)} ${view.shortHash}`);
  doc.qr(view.qrText);
  doc.text(label('checkQr', lang), { align: 'center' });
  doc.text(label('thanks', lang), { align: 'center' });
  if (view.duplicate) duplicate();
  return doc.build(`${label('ticket', lang)} ${view.ticketNumber}`);
}
