import assert from 'node:assert/strict';
import type { Lang } from '../../domain/error-spec.js';
import type { SettlementStatementView } from '../../printer/views.js';
import type { Period } from './business-day.js';
import { DayClock } from './day-clock.js';
import { reportError } from './errors.js';
import { reportLimits } from './limits.js';
import type { Movement, Settlement } from './movements.js';

/**
 * A merchant's settlement statement: what the settlement paid, and the CCA the shop received from
 * members since its previous settlement, day by day (sales less refunds). A settlement retires the
 * merchant's whole CCA balance, so the days add up to the Moneko paid unless CCA also moved by other
 * entries (a correction, a transfer): the statement then shows both figures as the log has them.
 * Pure: movements in log order in, figures out.
 */
export interface StatementDay {
  readonly date: string;
  readonly ticketCount: number;
  readonly ccaReceivedCents: number;
}

export interface StatementFigures {
  readonly days: readonly StatementDay[];
  readonly ccaReceivedCents: number;
  /** The merchant's previous settlement, whose CCA this statement does not repeat. */
  readonly previousSettlementIndex: number | null;
}

export class StatementFold {
  private readonly clock: DayClock;
  private days = new Map<string, { date: string; ticketCount: number; ccaReceivedCents: number }>();
  private previousSettlementIndex: number | null = null;
  private previousIndex = -1;

  constructor(
    readonly settlement: Settlement,
    timeZone?: string,
  ) {
    this.clock = new DayClock(timeZone);
  }

  add(m: Movement): void {
    assert.ok(m.index > this.previousIndex, 'movements come in log order');
    this.previousIndex = m.index;
    if (m.index >= this.settlement.index) return;
    if (m.kind === 'settlement') {
      if (m.merchant !== this.settlement.merchant) return;
      // Everything before an earlier settlement was paid by it.
      this.previousSettlementIndex = m.index;
      this.days = new Map();
      return;
    }
    const date = this.clock.dateOf(m.ledgerTimeMs);
    let day = this.days.get(date);
    if (day === undefined) {
      if (this.days.size >= reportLimits.statementDaysMax) throw reportError('REPORT_TOO_MANY_ROWS', `${reportLimits.statementDaysMax} days`);
      day = { date, ticketCount: 0, ccaReceivedCents: 0 };
      this.days.set(date, day);
    }
    if (m.kind === 'sale') {
      day.ticketCount += 1;
      day.ccaReceivedCents += m.caisseCents;
    } else {
      day.ccaReceivedCents -= m.amountCents;
    }
    assert.ok(Number.isSafeInteger(day.ccaReceivedCents));
  }

  figures(): StatementFigures {
    const days = [...this.days.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)).map((d) => ({ ...d }));
    return { days, ccaReceivedCents: days.reduce((s, d) => s + d.ccaReceivedCents, 0), previousSettlementIndex: this.previousSettlementIndex };
  }
}

export function statementFigures(movements: Iterable<Movement>, settlement: Settlement, timeZone?: string): StatementFigures {
  const fold = new StatementFold(settlement, timeZone);
  for (const m of movements) fold.add(m);
  return fold.figures();
}

export interface StatementViewContext {
  readonly lang: Lang;
  readonly merchantName: string;
  readonly address: readonly string[];
  readonly period: Period;
  /** Business date of the settlement entry. */
  readonly settlementDate: string;
  readonly generatedAtMs: number;
  readonly shortHash: string | null;
}

/**
 * The printer's view. The dates run from the start of the period (or the first day of CCA not yet
 * settled, if earlier) to the day of the settlement: everything the settlement paid for.
 */
export function statementView(figures: StatementFigures, settlement: Settlement, context: StatementViewContext): SettlementStatementView {
  const firstDay = figures.days[0]?.date;
  const fromDate = firstDay !== undefined && firstDay < context.period.fromDate ? firstDay : context.period.fromDate;
  const toDate = context.settlementDate > fromDate ? context.settlementDate : fromDate;
  return {
    lang: context.lang,
    merchant: { name: context.merchantName, accountId: settlement.merchant, address: [...context.address] },
    period: { fromDate, toDate },
    generatedAtMs: context.generatedAtMs,
    ccaReceivedCents: figures.ccaReceivedCents,
    mnkPaidCents: settlement.amountCents,
    ledgerIndex: settlement.index,
    shortHash: context.shortHash,
    days: figures.days.map((d) => ({ ...d })),
  };
}

/**
 * The settlement's entry id, the same for a merchant and a period on every run: submitting it twice
 * settles once (the ledger answers the first receipt again, or refuses another body under the id).
 */
export function settlementEntryId(merchant: string, period: string): string {
  return `settle:${merchant}:${period}`;
}
