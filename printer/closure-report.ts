import { DocumentBuilder, type PrintDocument } from './document.js';
import { defaultTimeZone, formatCents, formatDate, formatDateTime } from './format.js';
import { label, tenderLabels } from './labels.js';
import type { Columns } from './limits.js';
import type { ClosureReportView } from './views.js';

/**
 * Lays out a daily closure (Z report) for a till or a shop: the day's totals, the ticket number range
 * (so a gap shows), the perpetual grand total and the reprint count, as French till law asks.
 */
export function closureReportDocument(view: ClosureReportView, columns: Columns, timeZone = defaultTimeZone): PrintDocument {
  const { lang } = view;
  const doc = new DocumentBuilder(columns);
  const scopeTitle = view.scope.kind === 'till' ? label('closureTill', lang) : label('closureShop', lang);
  doc.text(scopeTitle, { align: 'center', bold: true });
  doc.text(view.shopName, { align: 'center', bold: true });
  if (view.scope.kind === 'till') doc.text(`${label('till', lang)} ${view.scope.tillId}`, { align: 'center' });
  doc.row(label('closureNumber', lang), String(view.closureNumber));
  doc.row(label('businessDate', lang), formatDate(view.businessDate, lang));
  doc.row(label('printedAt', lang), formatDateTime(view.generatedAtMs, lang, timeZone));
  doc.rule('=');
  doc.row(label('ticketCount', lang), String(view.ticketCount));
  const none = label('none', lang);
  doc.row(label('firstTicket', lang), view.firstTicketNumber === null ? none : String(view.firstTicketNumber));
  doc.row(label('lastTicket', lang), view.lastTicketNumber === null ? none : String(view.lastTicketNumber));
  doc.rule();
  doc.row(label('salesTotal', lang), formatCents(view.salesTotalCents, lang), { bold: true });
  doc.row(label('caisseTotal', lang), formatCents(view.caisseTotalCents, lang));
  doc.row(label('otherTotal', lang), formatCents(view.paidOtherwiseCents, lang));
  if (view.totalsByTender.length > 0) {
    doc.single(label('byTender', lang));
    for (const t of view.totalsByTender) doc.row(`  ${tenderLabels[t.kind][lang]}`, formatCents(t.amountCents, lang));
  }
  doc.row(`${label('refunds', lang)} (${view.refunds.count})`, formatCents(view.refunds.amountCents, lang));
  doc.rule();
  doc.row(label('grandTotal', lang), formatCents(view.perpetualGrandTotalCents, lang), { bold: true });
  doc.row(label('reprints', lang), String(view.reprintCount));
  if (view.tills.length > 0) {
    doc.rule();
    doc.single(label('byTill', lang));
    for (const till of view.tills) {
      doc.row(`  ${till.tillId} (${till.ticketCount})`, formatCents(till.salesTotalCents, lang));
    }
  }
  if (view.ledgerIndex !== null || view.shortHash !== null) {
    doc.rule();
    if (view.ledgerIndex !== null) doc.row(label('ledger', lang), String(view.ledgerIndex));
    if (view.shortHash !== null) doc.row(label('hash', lang), view.shortHash);
  }
  const scope = view.scope.kind === 'till' ? view.scope.tillId : 'shop';
  return doc.build(`Z ${view.businessDate} ${scope}`);
}
