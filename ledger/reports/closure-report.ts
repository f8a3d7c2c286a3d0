import type { Lang } from '../../domain/error-spec.js';
import type { ClosureReportView } from '../../printer/views.js';
import type { SqliteStore } from '../store/sqlite-store.js';
import { dayBoundsMs, parseBusinessDate, reportTimeZone } from './business-day.js';
import { closureView, ClosureFold, type ClosureFigures, type ClosureScope } from './closure.js';
import { reportError } from './errors.js';
import { checkTill, entryShortHash, merchantAccount, merchantMovements } from './merchant-entries.js';

export interface ClosureRequest {
  readonly merchant: string;
  /** A till's closure; absent for the whole shop's. */
  readonly tillId?: string;
  /** The business day, YYYY-MM-DD (checked here: REPORT_BAD_DATE). */
  readonly date: string;
  readonly lang: Lang;
  readonly nowMs: number;
  /** Shown when the ledger's account carries no label. */
  readonly fallbackShopName?: string;
  readonly timeZone?: string;
}

/**
 * The Z report of a business day, from the ledger alone: checks the request (REPORT_BAD_DATE,
 * REPORT_UNKNOWN_MERCHANT, REPORT_UNKNOWN_TILL), streams the merchant's entries up to the end of the
 * day, and refuses a day without activity (REPORT_NO_SALES).
 */
export function closureReport(store: SqliteStore, request: ClosureRequest): { readonly view: ClosureReportView; readonly figures: ClosureFigures } {
  const date = parseBusinessDate(request.date);
  const timeZone = request.timeZone ?? reportTimeZone;
  const account = merchantAccount(store, request.merchant);
  if (request.tillId !== undefined) checkTill(store, request.merchant, request.tillId);
  const scope: ClosureScope = request.tillId === undefined ? { kind: 'shop' } : { kind: 'till', tillId: request.tillId };
  const { endMs } = dayBoundsMs(date, timeZone);
  const fold = new ClosureFold(scope, date, timeZone);
  for (const movement of merchantMovements(store, request.merchant, { timeMs: endMs })) fold.add(movement);
  const figures = fold.figures();
  if (figures.lastIndex === null) throw reportError('REPORT_NO_SALES', `${request.merchant}${request.tillId !== undefined ? ` ${request.tillId}` : ''} ${date}`);
  const view = closureView(figures, {
    lang: request.lang,
    shopName: account.label ?? request.fallbackShopName ?? request.merchant,
    generatedAtMs: request.nowMs,
    shortHash: entryShortHash(store, figures.lastIndex),
  });
  return { view, figures };
}
