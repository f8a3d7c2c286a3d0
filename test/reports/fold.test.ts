import { codeOf } from '../support/code-of.js';
import { describe, expect, test } from 'vitest';
import { closureFigures, closureView, ClosureFold } from '../../ledger/reports/closure.js';
import { reportLimits } from '../../ledger/reports/limits.js';
import type { Movement, Refund, Sale, Settlement } from '../../ledger/reports/movements.js';
import { settlementEntryId, statementFigures, statementView } from '../../ledger/reports/statement.js';
import { parseClosureReportView, parseSettlementStatementView } from '../../printer/views.js';

/** The pure folds on hand-made movements: no ledger, every case spelled out. */
const noonParis = (date: string): number => Date.parse(`${date}T11:00:00Z`);

let index = 0;
function sale(date: string, tillId: string, ticket: number, totalCents: number, caisseCents: number): Sale {
  index += 1;
  return { kind: 'sale', index, ledgerTimeMs: noonParis(date), entryId: `pay-${index}`, tillId, ticket, totalCents, caisseCents, otherCents: totalCents - caisseCents };
}
function refund(date: string, tillId: string, amountCents: number): Refund {
  index += 1;
  return { kind: 'refund', index, ledgerTimeMs: noonParis(date), entryId: `ref-${index}`, tillId, paymentId: 'pay-1', amountCents };
}
function settlement(date: string, merchant: string, amountCents: number): Settlement {
  index += 1;
  return { kind: 'settlement', index, ledgerTimeMs: noonParis(date), entryId: settlementEntryId(merchant, date.slice(0, 7)), merchant, period: date.slice(0, 7), amountCents };
}


describe('closure fold', () => {
  test('a shop selling on one till shows that till’s ticket range; a refund-only day is still a closure', () => {
    const movements: Movement[] = [
      sale('2026-11-02', 'a', 1, 1000, 600),
      sale('2026-11-02', 'a', 2, 500, 500),
      settlement('2026-11-03', 'shop:x', 1100),
      refund('2026-11-04', 'a', 200),
      sale('2026-11-05', 'a', 3, 300, 0),
    ];
    const day = closureFigures(movements, { kind: 'shop' }, '2026-11-02');
    expect(day).toMatchObject({ closureNumber: 1, ticketCount: 2, firstTicketNumber: 1, lastTicketNumber: 2, salesTotalCents: 1500, caisseTotalCents: 1100, paidOtherwiseCents: 400, perpetualGrandTotalCents: 1500 });
    const refundDay = closureFigures(movements, { kind: 'shop' }, '2026-11-04');
    expect(refundDay).toMatchObject({ closureNumber: 2, ticketCount: 0, firstTicketNumber: null, salesTotalCents: 0, refunds: { count: 1, amountCents: 200 }, perpetualGrandTotalCents: 1300 });
    expect(refundDay.tills).toEqual([{ tillId: 'a', ticketCount: 0, salesTotalCents: 0, firstTicketNumber: null, lastTicketNumber: null }]);
    const quiet = closureFigures(movements, { kind: 'shop' }, '2026-11-03');
    expect(quiet.lastIndex).toBeNull();
    const last = closureFigures(movements, { kind: 'shop' }, '2026-11-05');
    expect(last).toMatchObject({ closureNumber: 3, perpetualGrandTotalCents: 1600 });
    const view = closureView(last, { lang: 'fr', shopName: 'X', generatedAtMs: 0, shortHash: 'abc123' });
    expect(view.totalsByTender).toEqual([{ kind: 'cca', amountCents: 0 }, { kind: 'other', amountCents: 300 }]);
    expect(parseClosureReportView(view)).toEqual(view);
  });

  test('refuses movements out of log order (a programmer error) and too many tills (REPORT_TOO_MANY_ROWS)', () => {
    const fold = new ClosureFold({ kind: 'shop' }, '2026-11-02');
    const later = sale('2026-11-02', 'a', 1, 100, 100);
    const earlier = { ...later, index: later.index - 1 };
    fold.add(later);
    expect(() => fold.add(earlier)).toThrow(/log order/);
    const many = new ClosureFold({ kind: 'shop' }, '2026-11-02');
    expect(
      codeOf(() => {
        for (let t = 0; t <= reportLimits.tillsPerClosureMax; t++) many.add(sale('2026-11-02', `till-${t}`, 1, 100, 100));
      }),
    ).toBe('REPORT_TOO_MANY_ROWS');
  });
});

describe('statement fold', () => {
  test('counts only what came after the merchant’s previous settlement and before this one', () => {
    const first = sale('2026-10-30', 'a', 1, 1000, 1000);
    const october = settlement('2026-10-31', 'shop:x', 1000);
    const otherShop = settlement('2026-11-01', 'shop:y', 5);
    const movements: Movement[] = [first, october, otherShop, sale('2026-11-02', 'a', 2, 800, 800), refund('2026-11-02', 'a', 100), sale('2026-11-09', 'a', 3, 400, 200)];
    const november = settlement('2026-11-30', 'shop:x', 900);
    movements.push(november, sale('2026-12-01', 'a', 4, 999, 999));
    const figures = statementFigures(movements, november);
    expect(figures).toEqual({
      previousSettlementIndex: october.index,
      ccaReceivedCents: 900,
      days: [
        { date: '2026-11-02', ticketCount: 1, ccaReceivedCents: 700 },
        { date: '2026-11-09', ticketCount: 1, ccaReceivedCents: 200 },
      ],
    });
    const view = statementView(figures, november, {
      lang: 'fr',
      merchantName: 'X',
      address: [],
      period: { period: '2026-11', fromDate: '2026-11-01', toDate: '2026-11-30' },
      settlementDate: '2026-11-30',
      generatedAtMs: 0,
      shortHash: null,
    });
    expect(view.period).toEqual({ fromDate: '2026-11-01', toDate: '2026-11-30' });
    expect(parseSettlementStatementView(view)).toEqual(view);
  });
});
