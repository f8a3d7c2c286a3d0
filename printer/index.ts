/**
 * The printer module's public API, for the till, the CLI and `npm start`. Everything else in printer/
 * is internal and may change.
 */
export { Printer, type PrintOutcome, type PrinterOptions } from './printer.js';
export type { ClosureReportView, ReceiptLineView, ReceiptView, SettlementStatementView, TenderAmount, TenderKind } from './views.js';
export { parseClosureReportView, parseReceiptView, parseSettlementStatementView, tenderKinds } from './views.js';
export { checkPrinterStatus, describeStatus, type PrinterState, type PrinterStatus } from './printer-status.js';
export { describeTarget, parseTarget, type PrinterTarget } from './target.js';
export { defaultProfileId, printerProfiles, resolveProfile, type PrinterProfile } from './profile.js';
export { documentLines, type PrintDocument } from './document.js';
export { receiptDocument } from './receipt.js';
export { closureReportDocument } from './closure-report.js';
export { settlementStatementDocument } from './settlement-statement.js';
export { encodeDocument } from './escpos-encode.js';
export { documentToHtml, documentToPdf, saveReport } from './report-export.js';
export { printerErrors, type PrinterErrorCode } from './errors.js';
export { startVirtualPrinter, type VirtualPrinter, type VirtualPrinterOptions, type VirtualTicket } from './virtual/virtual-printer.js';
export { EscPosDecoder, type DecodedTicket } from './virtual/escpos-decode.js';
export { renderTicketPng } from './virtual/render-png.js';
export { testReceiptView } from './test-receipt.js';
