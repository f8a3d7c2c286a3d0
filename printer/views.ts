import { z } from 'zod';
import type { Lang } from '../domain/error-spec.js';
import { amountCentsMax } from '../domain/money.js';
import { printerError } from './errors.js';
import { addressLinesMax, qrTextCharsMax, receiptLinesMax, reportRowsMax, tendersMax, textCharsMax } from './limits.js';

/**
 * What the printer is given to print. The printer never reads the ledger: the till (or the lead's
 * mapping code) builds these views from ledger data, and the printer lays them out. Every view is
 * checked at this boundary by `parse*View`, so the layout code can trust it.
 */

export const tenderKinds = ['cca', 'mnk', 'cash', 'card', 'cheque', 'voucher', 'other'] as const;
/** cca: the caisse's allowance. mnk: Moneko. The others are what members pay the rest with. */
export type TenderKind = (typeof tenderKinds)[number];

export interface TenderAmount {
  readonly kind: TenderKind;
  readonly amountCents: number;
}

export interface ReceiptLineView {
  readonly name: string;
  /** A count of items, or a weight (then `unitPriceCents` is per kilogram). */
  readonly quantity: { readonly kind: 'count'; readonly count: number } | { readonly kind: 'weight'; readonly weightGrams: number };
  readonly unitPriceCents: number;
  readonly lineTotalCents: number;
  /** Null when the caisse pays nothing on this line. `mark` is one character printed beside the total. */
  readonly eligibility: { readonly mark: string; readonly sharePercent: number } | null;
}

export interface ReceiptView {
  readonly lang: Lang;
  readonly shopName: string;
  readonly shopAddress: readonly string[];
  readonly tillId: string;
  readonly ticketNumber: number;
  /** Time of the sale, ms since the epoch; printed in the receipt's time zone (Europe/Paris by default). */
  readonly timeMs: number;
  readonly lines: readonly ReceiptLineView[];
  readonly totals: { readonly caissePaidCents: number; readonly paidOtherwiseCents: number };
  readonly tenders: readonly TenderAmount[];
  /** What is left of the member's allowance after this sale; null for a sale without a member card. */
  readonly remainingAllowanceCents: number | null;
  readonly ledgerIndex: number;
  /** A short prefix of the entry's hash, printed for a person to compare. */
  readonly shortHash: string;
  /**
   * The QR payload, printable ASCII: the ledger defines what it encodes (a reference anyone can check
   * against the log). ASCII keeps the bytes the same for native and raster QR codes.
   */
  readonly qrText: string;
  /** True for a reprint: the receipt says DUPLICATA. */
  readonly duplicate: boolean;
}

export interface ClosureReportView {
  readonly lang: Lang;
  /** A Z report for one till, or for the whole shop (then `tills` breaks it down). */
  readonly scope: { readonly kind: 'till'; readonly tillId: string } | { readonly kind: 'shop' };
  readonly shopName: string;
  /** The business day closed, YYYY-MM-DD. */
  readonly businessDate: string;
  readonly closureNumber: number;
  readonly generatedAtMs: number;
  readonly ticketCount: number;
  readonly firstTicketNumber: number | null;
  readonly lastTicketNumber: number | null;
  readonly salesTotalCents: number;
  readonly caisseTotalCents: number;
  readonly paidOtherwiseCents: number;
  readonly totalsByTender: readonly TenderAmount[];
  readonly refunds: { readonly count: number; readonly amountCents: number };
  /** The perpetual grand total since the till (or shop) was first used: never reset (NF525). */
  readonly perpetualGrandTotalCents: number;
  readonly reprintCount: number;
  readonly tills: readonly { readonly tillId: string; readonly ticketCount: number; readonly salesTotalCents: number }[];
  readonly ledgerIndex: number | null;
  readonly shortHash: string | null;
}

export interface SettlementStatementView {
  readonly lang: Lang;
  readonly merchant: { readonly name: string; readonly accountId: string; readonly address: readonly string[] };
  /** Inclusive dates, YYYY-MM-DD. */
  readonly period: { readonly fromDate: string; readonly toDate: string };
  readonly generatedAtMs: number;
  /** CCA the shop received from members over the period. */
  readonly ccaReceivedCents: number;
  /** Moneko paid to the shop in settlement. */
  readonly mnkPaidCents: number;
  /** Index of the settlement entry in the ledger. */
  readonly ledgerIndex: number;
  readonly shortHash: string | null;
  readonly days: readonly { readonly date: string; readonly ticketCount: number; readonly ccaReceivedCents: number }[];
}

const lang = z.enum(['fr', 'en']);
const text = z.string().max(textCharsMax);
const label = z.string().min(1).max(textCharsMax);
const amount = z.number().int().min(-amountCentsMax).max(amountCentsMax);
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const index = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const timeMs = z.number().int().min(0).max(8.64e15);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const tender = z.strictObject({ kind: z.enum(tenderKinds), amountCents: amount });
const hashText = z.string().regex(/^[0-9A-Za-z:+/=_-]{1,64}$/);

const receiptLine = z.strictObject({
  name: label,
  quantity: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('count'), count: z.number().int().min(-1_000_000).max(1_000_000) }),
    z.strictObject({ kind: z.literal('weight'), weightGrams: z.number().int().min(-1_000_000).max(1_000_000) }),
  ]),
  unitPriceCents: amount,
  lineTotalCents: amount,
  eligibility: z
    .strictObject({ mark: z.string().regex(/^[!-~]$/), sharePercent: z.number().int().min(0).max(100) })
    .nullable(),
});

const receiptSchema: z.ZodType<ReceiptView> = z.strictObject({
  lang,
  shopName: label,
  shopAddress: z.array(text).max(addressLinesMax),
  tillId: label,
  ticketNumber: count,
  timeMs,
  lines: z.array(receiptLine).max(receiptLinesMax),
  totals: z.strictObject({ caissePaidCents: amount, paidOtherwiseCents: amount }),
  tenders: z.array(tender).max(tendersMax),
  remainingAllowanceCents: amount.nullable(),
  ledgerIndex: index,
  shortHash: hashText,
  qrText: z.string().min(1).max(qrTextCharsMax).regex(/^[\x20-\x7e]+$/, 'printable ASCII only'),
  duplicate: z.boolean(),
});

const closureSchema: z.ZodType<ClosureReportView> = z.strictObject({
  lang,
  scope: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('till'), tillId: label }),
    z.strictObject({ kind: z.literal('shop') }),
  ]),
  shopName: label,
  businessDate: date,
  closureNumber: count,
  generatedAtMs: timeMs,
  ticketCount: count,
  firstTicketNumber: count.nullable(),
  lastTicketNumber: count.nullable(),
  salesTotalCents: amount,
  caisseTotalCents: amount,
  paidOtherwiseCents: amount,
  totalsByTender: z.array(tender).max(tendersMax),
  refunds: z.strictObject({ count, amountCents: amount }),
  perpetualGrandTotalCents: z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER),
  reprintCount: count,
  tills: z.array(z.strictObject({ tillId: label, ticketCount: count, salesTotalCents: amount })).max(reportRowsMax),
  ledgerIndex: index.nullable(),
  shortHash: hashText.nullable(),
});

const settlementSchema: z.ZodType<SettlementStatementView> = z.strictObject({
  lang,
  merchant: z.strictObject({ name: label, accountId: label, address: z.array(text).max(addressLinesMax) }),
  period: z.strictObject({ fromDate: date, toDate: date }),
  generatedAtMs: timeMs,
  ccaReceivedCents: amount,
  mnkPaidCents: amount,
  ledgerIndex: index,
  shortHash: hashText.nullable(),
  days: z.array(z.strictObject({ date, ticketCount: count, ccaReceivedCents: amount })).max(reportRowsMax),
});

function issuesOf(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Checks a receipt view: its shape, then that lines, totals and tenders add up. Throws PRINTER_VIEW_INVALID. */
export function parseReceiptView(value: unknown): ReceiptView {
  const parsed = receiptSchema.safeParse(value);
  if (!parsed.success) throw printerError('PRINTER_VIEW_INVALID', issuesOf(parsed.error));
  const view = parsed.data;
  const totalCents = view.totals.caissePaidCents + view.totals.paidOtherwiseCents;
  const linesCents = sum(view.lines.map((l) => l.lineTotalCents));
  if (linesCents !== totalCents) {
    throw printerError('PRINTER_VIEW_INVALID', `lines add up to ${linesCents} cents, totals to ${totalCents}`);
  }
  const tendersCents = sum(view.tenders.map((t) => t.amountCents));
  if (view.tenders.length > 0 && tendersCents !== totalCents) {
    throw printerError('PRINTER_VIEW_INVALID', `tenders add up to ${tendersCents} cents, totals to ${totalCents}`);
  }
  return view;
}

/** Checks a Z report view: its shape, and that the caisse and other payments add up to the sales. */
export function parseClosureReportView(value: unknown): ClosureReportView {
  const parsed = closureSchema.safeParse(value);
  if (!parsed.success) throw printerError('PRINTER_VIEW_INVALID', issuesOf(parsed.error));
  const view = parsed.data;
  if (view.caisseTotalCents + view.paidOtherwiseCents !== view.salesTotalCents) {
    throw printerError('PRINTER_VIEW_INVALID', 'caisse and other payments do not add up to the sales total');
  }
  if ((view.firstTicketNumber === null) !== (view.lastTicketNumber === null)) {
    throw printerError('PRINTER_VIEW_INVALID', 'first and last ticket numbers must both be given or both be null');
  }
  return view;
}

/** Checks a settlement statement view: its shape, and that the days add up to the CCA received. */
export function parseSettlementStatementView(value: unknown): SettlementStatementView {
  const parsed = settlementSchema.safeParse(value);
  if (!parsed.success) throw printerError('PRINTER_VIEW_INVALID', issuesOf(parsed.error));
  const view = parsed.data;
  const daysCents = sum(view.days.map((d) => d.ccaReceivedCents));
  if (view.days.length > 0 && daysCents !== view.ccaReceivedCents) {
    throw printerError('PRINTER_VIEW_INVALID', `days add up to ${daysCents} cents, CCA received is ${view.ccaReceivedCents}`);
  }
  return view;
}
