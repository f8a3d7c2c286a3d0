import type { Lang } from '../../domain/error-spec.js';
import type { SettlementStatementView } from '../../printer/views.js';
import type { SqliteStore } from '../store/sqlite-store.js';
import { businessDateOf, parsePeriod, reportTimeZone } from './business-day.js';
import { reportError } from './errors.js';
import { entryShortHash, merchantAccount, merchantMovements } from './merchant-entries.js';
import { movementOf, type Settlement } from './movements.js';
import { settlementEntryId, statementView, StatementFold, type StatementFigures } from './statement.js';

export interface StatementRequest {
  readonly merchant: string;
  /** YYYY-MM (checked here: REPORT_BAD_PERIOD). */
  readonly period: string;
  readonly lang: Lang;
  readonly nowMs: number;
  /** The shop's postal address, when known (the ledger keeps no addresses). */
  readonly address?: readonly string[];
  readonly fallbackName?: string;
  readonly timeZone?: string;
}

/** The settlement of a merchant for a period, if it was made. */
export function findSettlement(store: SqliteStore, merchant: string, period: string): Settlement | undefined {
  const row = store.logById(settlementEntryId(merchant, period));
  if (row === undefined) return undefined;
  const movement = movementOf(row);
  if (movement?.kind !== 'settlement') throw new Error(`entry ${row.entryId} is not a settlement`);
  return movement;
}

/** The statement of an existing settlement, from the ledger alone (REPORT_NOT_SETTLED when there is none). */
export function settlementStatement(
  store: SqliteStore,
  request: StatementRequest,
): { readonly view: SettlementStatementView; readonly figures: StatementFigures; readonly settlement: Settlement } {
  const timeZone = request.timeZone ?? reportTimeZone;
  const period = parsePeriod(request.period, request.nowMs, timeZone);
  const account = merchantAccount(store, request.merchant);
  const settlement = findSettlement(store, request.merchant, period.period);
  if (settlement === undefined) throw reportError('REPORT_NOT_SETTLED', `${request.merchant} ${period.period}`);
  const fold = new StatementFold(settlement, timeZone);
  // Bounded by index, not time: the settlement covers what the log holds before it, whatever the clocks said.
  for (const movement of merchantMovements(store, request.merchant, { index: settlement.index })) fold.add(movement);
  const figures = fold.figures();
  const view = statementView(figures, settlement, {
    lang: request.lang,
    merchantName: account.label ?? request.fallbackName ?? request.merchant,
    address: request.address ?? [],
    period,
    settlementDate: businessDateOf(settlement.ledgerTimeMs, timeZone),
    generatedAtMs: request.nowMs,
    shortHash: entryShortHash(store, settlement.index),
  });
  return { view, figures, settlement };
}
