import { DocumentBuilder, type PrintDocument } from './document.js';
import { defaultTimeZone, formatCents, formatDate, formatDateTime } from './format.js';
import { label } from './labels.js';
import type { Columns } from './limits.js';
import type { SettlementStatementView } from './views.js';

/**
 * Lays out a merchant's settlement statement: CCA received from members over the period, Moneko paid
 * in exchange, the ledger entry of the settlement, and the detail per day.
 */
export function settlementStatementDocument(
  view: SettlementStatementView,
  columns: Columns,
  timeZone = defaultTimeZone,
): PrintDocument {
  const { lang } = view;
  const doc = new DocumentBuilder(columns);
  doc.text(label('settlementTitle', lang), { align: 'center', bold: true });
  doc.text(view.merchant.name, { align: 'center', bold: true });
  for (const line of view.merchant.address) doc.text(line, { align: 'center' });
  doc.row(label('merchantAccount', lang), view.merchant.accountId);
  doc.text(
    `${label('period', lang)} ${label('periodFrom', lang)} ${formatDate(view.period.fromDate, lang)} ` +
      `${label('periodTo', lang)} ${formatDate(view.period.toDate, lang)}`,
  );
  doc.row(label('printedAt', lang), formatDateTime(view.generatedAtMs, lang, timeZone));
  doc.rule('=');
  doc.row(label('ccaReceived', lang), formatCents(view.ccaReceivedCents, lang), { bold: true });
  doc.row(label('mnkPaid', lang), formatCents(view.mnkPaidCents, lang, 'MNK'), { bold: true });
  doc.row(label('settlementEntry', lang), String(view.ledgerIndex));
  if (view.shortHash !== null) doc.row(label('hash', lang), view.shortHash);
  if (view.days.length > 0) {
    doc.rule();
    doc.single(label('perDay', lang));
    for (const day of view.days) {
      doc.row(`  ${formatDate(day.date, lang)} (${day.ticketCount})`, formatCents(day.ccaReceivedCents, lang));
    }
  }
  return doc.build(`${label('settlementTitle', lang)} ${view.merchant.accountId} ${view.period.fromDate}`);
}
