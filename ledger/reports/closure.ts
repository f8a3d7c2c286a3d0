import assert from 'node:assert/strict';
import type { Lang } from '../../domain/error-spec.js';
import type { ClosureReportView, TenderAmount } from '../../printer/views.js';
import { DayClock } from './day-clock.js';
import { reportError } from './errors.js';
import { reportLimits } from './limits.js';
import type { Movement } from './movements.js';

/**
 * The daily closure (Z report) of a till or of a whole shop, computed from the merchant's movements in
 * log order. Pure: the same movements give the same figures, which is what lets anyone redo a closure
 * from the public log.
 *
 * - The day's figures: sales (tickets, basket totals, the caisse's part and the rest), refunds.
 * - The perpetual grand total: every sale since the first, minus every refund, up to the end of the day
 *   (never reset, as French till law asks).
 * - The closure number: how many business days had activity (a sale or a refund) in this scope up to
 *   and including this one, so consecutive closures are numbered without gaps.
 */
export type ClosureScope = { readonly kind: 'till'; readonly tillId: string } | { readonly kind: 'shop' };

export interface TillDay {
  readonly tillId: string;
  readonly ticketCount: number;
  readonly salesTotalCents: number;
  readonly firstTicketNumber: number | null;
  readonly lastTicketNumber: number | null;
}

export interface ClosureFigures {
  readonly scope: ClosureScope;
  readonly businessDate: string;
  readonly closureNumber: number;
  readonly ticketCount: number;
  /** Ticket numbers are per till: for a shop with several tills selling that day, see `tills`. */
  readonly firstTicketNumber: number | null;
  readonly lastTicketNumber: number | null;
  readonly salesTotalCents: number;
  readonly caisseTotalCents: number;
  readonly paidOtherwiseCents: number;
  readonly refunds: { readonly count: number; readonly amountCents: number };
  readonly perpetualGrandTotalCents: number;
  /** Tills with activity that day, by id. */
  readonly tills: readonly TillDay[];
  /** Log index of the day's last sale or refund in this scope; null when there was none. */
  readonly lastIndex: number | null;
}

interface MutableTill {
  tillId: string;
  ticketCount: number;
  salesTotalCents: number;
  firstTicketNumber: number | null;
  lastTicketNumber: number | null;
}

function safeAdd(a: number, b: number): number {
  const sum = a + b;
  assert.ok(Number.isSafeInteger(sum), `sum of ${a} and ${b} cents overflows`);
  return sum;
}

/** Folds movements one by one (they may be streamed from the store); `figures()` gives the result. */
export class ClosureFold {
  private readonly clock: DayClock;
  private readonly activeDays = new Set<string>();
  private readonly tills = new Map<string, MutableTill>();
  private grandTotalCents = 0;
  private caisseCents = 0;
  private otherCents = 0;
  private refundCount = 0;
  private refundCents = 0;
  private lastIndex: number | null = null;
  private previousIndex = -1;

  constructor(
    readonly scope: ClosureScope,
    readonly businessDate: string,
    timeZone?: string,
  ) {
    this.clock = new DayClock(timeZone);
  }

  private inScope(tillId: string): boolean {
    return this.scope.kind === 'shop' || this.scope.tillId === tillId;
  }

  add(m: Movement): void {
    assert.ok(m.index > this.previousIndex, 'movements come in log order');
    this.previousIndex = m.index;
    if (m.kind === 'settlement' || !this.inScope(m.tillId)) return;
    const date = this.clock.dateOf(m.ledgerTimeMs);
    if (date > this.businessDate) return;
    if (!this.activeDays.has(date)) {
      if (this.activeDays.size >= reportLimits.activeDaysMax) throw reportError('REPORT_TOO_MANY_ROWS', `${reportLimits.activeDaysMax} days`);
      this.activeDays.add(date);
    }
    if (m.kind === 'sale') this.grandTotalCents = safeAdd(this.grandTotalCents, m.totalCents);
    else this.grandTotalCents = safeAdd(this.grandTotalCents, -m.amountCents);
    if (date !== this.businessDate) return;

    this.lastIndex = m.index;
    const till = this.till(m.tillId);
    if (m.kind === 'sale') {
      this.caisseCents = safeAdd(this.caisseCents, m.caisseCents);
      this.otherCents = safeAdd(this.otherCents, m.otherCents);
      till.ticketCount += 1;
      till.salesTotalCents = safeAdd(till.salesTotalCents, m.totalCents);
      if (till.firstTicketNumber === null) till.firstTicketNumber = m.ticket;
      till.lastTicketNumber = m.ticket;
    } else {
      this.refundCount += 1;
      this.refundCents = safeAdd(this.refundCents, m.amountCents);
    }
  }

  private till(tillId: string): MutableTill {
    let till = this.tills.get(tillId);
    if (till === undefined) {
      if (this.tills.size >= reportLimits.tillsPerClosureMax) throw reportError('REPORT_TOO_MANY_ROWS', `${reportLimits.tillsPerClosureMax} tills`);
      till = { tillId, ticketCount: 0, salesTotalCents: 0, firstTicketNumber: null, lastTicketNumber: null };
      this.tills.set(tillId, till);
    }
    return till;
  }

  figures(): ClosureFigures {
    const tills = [...this.tills.values()].sort((a, b) => (a.tillId < b.tillId ? -1 : a.tillId > b.tillId ? 1 : 0)).map((t) => ({ ...t }));
    const selling = tills.filter((t) => t.ticketCount > 0);
    const ticketCount = selling.reduce((n, t) => n + t.ticketCount, 0);
    const salesTotalCents = safeAdd(this.caisseCents, this.otherCents);
    assert.equal(salesTotalCents, tills.reduce((s, t) => s + t.salesTotalCents, 0), 'tills add up to the day');
    const only = selling.length === 1 ? selling[0] : undefined;
    return {
      scope: this.scope,
      businessDate: this.businessDate,
      closureNumber: this.activeDays.has(this.businessDate) ? this.activeDays.size : 0,
      ticketCount,
      firstTicketNumber: only?.firstTicketNumber ?? null,
      lastTicketNumber: only?.lastTicketNumber ?? null,
      salesTotalCents,
      caisseTotalCents: this.caisseCents,
      paidOtherwiseCents: this.otherCents,
      refunds: { count: this.refundCount, amountCents: this.refundCents },
      perpetualGrandTotalCents: this.grandTotalCents,
      tills,
      lastIndex: this.lastIndex,
    };
  }
}

export function closureFigures(movements: Iterable<Movement>, scope: ClosureScope, businessDate: string, timeZone?: string): ClosureFigures {
  const fold = new ClosureFold(scope, businessDate, timeZone);
  for (const m of movements) fold.add(m);
  return fold.figures();
}

/**
 * The caisse's part is paid in CCA; the ledger does not know how the rest was paid (cash, card,
 * Moneko notes), so it shows as "other".
 */
export function closureTenders(figures: Pick<ClosureFigures, 'caisseTotalCents' | 'paidOtherwiseCents'>): TenderAmount[] {
  const tenders: TenderAmount[] = [{ kind: 'cca', amountCents: figures.caisseTotalCents }];
  if (figures.paidOtherwiseCents !== 0) tenders.push({ kind: 'other', amountCents: figures.paidOtherwiseCents });
  return tenders;
}

export interface ClosureViewContext {
  readonly lang: Lang;
  readonly shopName: string;
  readonly generatedAtMs: number;
  /** Short hash of the entry at `figures.lastIndex`. */
  readonly shortHash: string | null;
  /** Reprints are counted by the till's printer, not by the ledger: 0 unless the caller knows better. */
  readonly reprintCount?: number;
}

/** The printer's view of a closure. */
export function closureView(figures: ClosureFigures, context: ClosureViewContext): ClosureReportView {
  assert.equal(figures.lastIndex === null, context.shortHash === null, 'a short hash goes with the last index');
  return {
    lang: context.lang,
    scope: figures.scope.kind === 'till' ? { kind: 'till', tillId: figures.scope.tillId } : { kind: 'shop' },
    shopName: context.shopName,
    businessDate: figures.businessDate,
    closureNumber: figures.closureNumber,
    generatedAtMs: context.generatedAtMs,
    ticketCount: figures.ticketCount,
    firstTicketNumber: figures.firstTicketNumber,
    lastTicketNumber: figures.lastTicketNumber,
    salesTotalCents: figures.salesTotalCents,
    caisseTotalCents: figures.caisseTotalCents,
    paidOtherwiseCents: figures.paidOtherwiseCents,
    totalsByTender: closureTenders(figures),
    refunds: { ...figures.refunds },
    perpetualGrandTotalCents: figures.perpetualGrandTotalCents,
    reprintCount: context.reprintCount ?? 0,
    tills: figures.scope.kind === 'shop' ? figures.tills.map((t) => ({ tillId: t.tillId, ticketCount: t.ticketCount, salesTotalCents: t.salesTotalCents })) : [],
    ledgerIndex: figures.lastIndex,
    shortHash: context.shortHash,
  };
}
