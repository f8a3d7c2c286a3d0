import { codeOf } from '../support/code-of.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { shortHash } from '../../ledger/formats/receipt.js';
import { closureReport, type ClosureRequest } from '../../ledger/reports/closure-report.js';
import { closureFigures } from '../../ledger/reports/closure.js';
import { movementOf, type Movement } from '../../ledger/reports/movements.js';
import { parseClosureReportView } from '../../printer/views.js';
import { day1, day2, otherShop, reportWorld, shop, sum, till1, till2, type ReportWorld } from './world.js';

let w: ReportWorld;
beforeAll(async () => {
  w = await reportWorld();
});
afterAll(() => w.h.close());

const nowMs = Date.UTC(2026, 10, 25, 8);
function closure(request: Partial<ClosureRequest> & { date: string }) {
  return closureReport(w.h.store, { merchant: shop, lang: 'fr', nowMs, ...request });
}


describe('daily closure (Z report) from the ledger', () => {
  test("a shop's totals are the sums of the day's payments, and its tills add up to it", () => {
    for (const date of [day1, day2]) {
      const sales = w.sales.filter((s) => s.date === date);
      const { view, figures } = closure({ date });
      expect(parseClosureReportView(view)).toEqual(view);
      expect(view.scope).toEqual({ kind: 'shop' });
      expect(view.shopName).toBe('Épicerie du Test');
      expect(view.ticketCount).toBe(sales.length);
      expect(view.salesTotalCents).toBe(sum(sales.map((s) => s.totalCents)));
      expect(view.caisseTotalCents).toBe(sum(sales.map((s) => s.caisseCents)));
      expect(view.paidOtherwiseCents).toBe(view.salesTotalCents - view.caisseTotalCents);
      expect(view.totalsByTender).toEqual([
        { kind: 'cca', amountCents: view.caisseTotalCents },
        { kind: 'other', amountCents: view.paidOtherwiseCents },
      ]);
      expect(view.tills.map((t) => t.tillId)).toEqual([till1, till2]);
      expect(sum(view.tills.map((t) => t.salesTotalCents))).toBe(view.salesTotalCents);
      expect(sum(view.tills.map((t) => t.ticketCount))).toBe(view.ticketCount);
      // Ticket numbers are per till: a shop selling on two tills shows them per till only.
      expect([view.firstTicketNumber, view.lastTicketNumber]).toEqual([null, null]);

      let tillsSalesCents = 0;
      for (const tillId of [till1, till2]) {
        const own = sales.filter((s) => s.tillId === tillId);
        const till = closure({ date, tillId }).view;
        expect(till.scope).toEqual({ kind: 'till', tillId });
        expect(till.tills).toEqual([]);
        expect(till.ticketCount).toBe(own.length);
        expect(till.salesTotalCents).toBe(sum(own.map((s) => s.totalCents)));
        expect(till.firstTicketNumber).toBe(own[0]?.ticket);
        expect(till.lastTicketNumber).toBe(own.at(-1)?.ticket);
        tillsSalesCents += till.salesTotalCents;
      }
      expect(tillsSalesCents).toBe(view.salesTotalCents);
      expect(figures.lastIndex).toBe(view.ledgerIndex);
    }
  });

  test('the day is the Paris day: a sale at 00:30 Paris time (23:30 UTC the day before) closes the next day', () => {
    const view = closure({ date: day2, tillId: till1 }).view;
    expect(view.ticketCount).toBe(1);
    expect([view.firstTicketNumber, view.lastTicketNumber]).toEqual([3, 3]);
  });

  test('refunds are counted on their day and till, and taken off the perpetual grand total', () => {
    const shopDay1 = closure({ date: day1 }).view;
    expect(shopDay1.refunds).toEqual({ count: 1, amountCents: 300 });
    expect(closure({ date: day1, tillId: till1 }).view.refunds).toEqual({ count: 1, amountCents: 300 });
    expect(closure({ date: day1, tillId: till2 }).view.refunds).toEqual({ count: 0, amountCents: 0 });
    expect(closure({ date: day2 }).view.refunds).toEqual({ count: 0, amountCents: 0 });
  });

  test('the perpetual grand total grows across days and closures are numbered without gaps', () => {
    const first = closure({ date: day1 }).view;
    const second = closure({ date: day2 }).view;
    const salesDay1 = sum(w.sales.filter((s) => s.date === day1).map((s) => s.totalCents));
    expect(first.perpetualGrandTotalCents).toBe(salesDay1 - 300);
    expect(second.perpetualGrandTotalCents).toBe(first.perpetualGrandTotalCents + second.salesTotalCents);
    expect([first.closureNumber, second.closureNumber]).toEqual([1, 2]);
    expect(closure({ date: day2, tillId: till2 }).view.closureNumber).toBe(2);
  });

  test('a closure made again after later sales gives the same figures; the next closure carries the total on', async () => {
    const fresh = await reportWorld();
    try {
      const request = { merchant: shop, lang: 'fr' as const, nowMs, date: day1 };
      const before = closureReport(fresh.h.store, request).figures;
      const day2Total = closureReport(fresh.h.store, { ...request, date: day2 }).figures.perpetualGrandTotalCents;
      fresh.h.nowMs = Date.UTC(2026, 10, 26, 9);
      await fresh.sell('2026-11-26', till1, 4, [[1234, 1234]]);
      expect(closureReport(fresh.h.store, request).figures).toEqual(before);
      const next = closureReport(fresh.h.store, { ...request, date: '2026-11-26' }).view;
      expect(next.closureNumber).toBe(3);
      expect(next.perpetualGrandTotalCents).toBe(day2Total + 1234);
      expect([next.firstTicketNumber, next.lastTicketNumber]).toEqual([4, 4]);
    } finally {
      fresh.h.close();
    }
  });

  test('the ledger index and short hash are those of the last entry of the day in scope', () => {
    const view = closure({ date: day1, tillId: till2 }).view;
    const row = w.h.store.logAt(view.ledgerIndex ?? -1);
    expect(row).toBeDefined();
    const body = movementOf(row!);
    expect(body).toMatchObject({ kind: 'sale', tillId: till2, ticket: 1 });
    expect(view.shortHash).toBe(shortHash(Buffer.from(w.h.store.node(0, row!.index)!).toString('base64')));
  });

  test('the pure fold gives the same figures from decoded rows', () => {
    const movements: Movement[] = [];
    for (const row of w.h.store.logRange(0, w.h.store.size())) {
      const m = movementOf(row);
      if (m !== undefined && (m.kind !== 'settlement' || m.merchant === shop)) movements.push(m);
    }
    const sales = movements.filter((m) => m.kind === 'sale');
    expect(sales).toHaveLength(w.sales.length);
    expect(closureFigures(movements, { kind: 'shop' }, day2)).toEqual(closure({ date: day2 }).figures);
  });

  test('bad requests answer with stable codes', () => {
    expect(codeOf(() => closure({ date: '2026-11-31' }))).toBe('REPORT_BAD_DATE');
    expect(codeOf(() => closure({ date: 'hier' }))).toBe('REPORT_BAD_DATE');
    expect(codeOf(() => closure({ date: day1, merchant: 'shop:inconnue' }))).toBe('REPORT_UNKNOWN_MERCHANT');
    expect(codeOf(() => closure({ date: day1, merchant: 'hh:test0000001' }))).toBe('REPORT_UNKNOWN_MERCHANT');
    expect(codeOf(() => closure({ date: day1, tillId: 'caisse-fantome' }))).toBe('REPORT_UNKNOWN_TILL');
    expect(codeOf(() => closure({ date: '2026-11-22' }))).toBe('REPORT_NO_SALES');
    expect(codeOf(() => closure({ date: day1, merchant: otherShop }))).toBe('REPORT_NO_SALES');
  });
});
