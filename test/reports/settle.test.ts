import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { CaisseError } from '../../domain/error-spec.js';
import { standardAccounts } from '../../ledger/home.js';
import { settleMerchant } from '../../ledger/reports/settle.js';
import { findSettlement, settlementStatement } from '../../ledger/reports/statement-report.js';
import { settlementEntryId } from '../../ledger/reports/statement.js';
import { parseSettlementStatementView } from '../../printer/views.js';
import { day1, day2, otherShop, reportWorld, shop, sum, till1, type ReportWorld } from './world.js';

let w: ReportWorld;
beforeEach(async () => {
  w = await reportWorld();
});
afterEach(() => w.h.close());

function settle(merchant = shop, period = '2026-11') {
  return settleMerchant(w.h.ledger, { merchant, period, operatorKey: w.h.operator, nowMs: w.h.nowMs });
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof CaisseError) return e.code;
    throw e;
  }
  return 'OK';
}

function state() {
  const s = w.h.store;
  return {
    size: s.size(),
    merchantCca: s.balanceCents(shop, 'CCA'),
    merchantMnk: s.balanceCents(shop, 'MNK'),
    treasuryMnk: s.balanceCents(standardAccounts.treasury, 'MNK'),
    fundCca: s.balanceCents(standardAccounts.fund, 'CCA'),
  };
}

describe('merchant settlement', () => {
  test('retires the whole CCA balance and pays as much MNK in one entry; a second run settles nothing more', async () => {
    await w.h.fundTreasury(100_000);
    const before = state();
    const owedCents = sum(w.sales.map((s) => s.caisseCents)) - 300;
    expect(before.merchantCca).toBe(owedCents);

    const first = await settle();
    expect(first).toMatchObject({ status: 'settled', entryId: settlementEntryId(shop, '2026-11'), amountCents: owedCents, index: before.size });
    const after = state();
    expect(after).toEqual({
      size: before.size + 1,
      merchantCca: 0,
      merchantMnk: before.merchantMnk + owedCents,
      treasuryMnk: before.treasuryMnk - owedCents,
      fundCca: before.fundCca + owedCents,
    });
    const row = w.h.store.logAt(first.index);
    expect(row?.type).toBe('settlement');

    const second = await settle();
    expect(second).toEqual({ ...first, status: 'already-settled' });
    // Even after new sales the period stays settled once: nothing is written.
    await w.sell(day2, till1, 4, [[600, 600]]);
    const sizeBefore = w.h.store.size();
    expect(await settle()).toEqual({ ...first, status: 'already-settled' });
    expect(w.h.store.size()).toBe(sizeBefore);
  });

  test('is refused with LEDGER_OVERDRAFT when the treasury lacks Moneko, and nothing is written', async () => {
    await w.h.fundTreasury(1_000);
    const before = state();
    await expect(settle()).rejects.toMatchObject({ code: 'LEDGER_OVERDRAFT', detail: expect.stringContaining(standardAccounts.treasury) });
    expect(state()).toEqual(before);
    expect(findSettlement(w.h.store, shop, '2026-11')).toBeUndefined();
  });

  test('refuses a zero balance, an unknown merchant and a bad period with their codes', async () => {
    await w.h.fundTreasury(100_000);
    expect(await codeOf(settle(otherShop))).toBe('REPORT_NOTHING_TO_SETTLE');
    expect(await codeOf(settle('shop:inconnue'))).toBe('REPORT_UNKNOWN_MERCHANT');
    expect(await codeOf(settle(standardAccounts.fund))).toBe('REPORT_UNKNOWN_MERCHANT');
    expect(await codeOf(settle(shop, '2026-13'))).toBe('REPORT_BAD_PERIOD');
    expect(await codeOf(settle(shop, '2027-01'))).toBe('REPORT_BAD_PERIOD');
    expect(await codeOf(settle(shop, 'novembre'))).toBe('REPORT_BAD_PERIOD');
    // A month over before the ledger began (this one began in November 2026).
    expect(await codeOf(settle(shop, '2000-01'))).toBe('REPORT_BAD_PERIOD');
    expect(await codeOf(settle(shop, '2026-10'))).toBe('REPORT_BAD_PERIOD');
    expect(findSettlement(w.h.store, shop, '2026-10')).toBeUndefined();
  });

  test('the statement lists the CCA received per day since the previous settlement, adding up to the Moneko paid', async () => {
    await w.h.fundTreasury(100_000);
    const first = await settle();
    const nowMs = w.h.nowMs;
    const { view } = settlementStatement(w.h.store, { merchant: shop, period: '2026-11', lang: 'fr', nowMs, address: ['1 rue du Test', 'Nantes'] });
    expect(parseSettlementStatementView(view)).toEqual(view);
    expect(view.merchant).toEqual({ name: 'Épicerie du Test', accountId: shop, address: ['1 rue du Test', 'Nantes'] });
    expect(view.period).toEqual({ fromDate: '2026-11-01', toDate: day2 });
    expect(view.mnkPaidCents).toBe(first.amountCents);
    expect(view.ccaReceivedCents).toBe(first.amountCents);
    expect(view.ledgerIndex).toBe(first.index);
    expect(view.days).toEqual([
      { date: day1, ticketCount: 3, ccaReceivedCents: sum(w.sales.filter((s) => s.date === day1).map((s) => s.caisseCents)) - 300 },
      { date: day2, ticketCount: 2, ccaReceivedCents: sum(w.sales.filter((s) => s.date === day2).map((s) => s.caisseCents)) },
    ]);

    // December: a new sale, a new settlement; its statement leaves out what November's paid.
    w.h.nowMs = Date.UTC(2026, 11, 2, 9, 0, 0);
    await w.sell('2026-12-02', till1, 5, [[900, 450]]);
    const december = await settle(shop, '2026-12');
    expect(december).toMatchObject({ status: 'settled', amountCents: 450 });
    const next = settlementStatement(w.h.store, { merchant: shop, period: '2026-12', lang: 'en', nowMs: w.h.nowMs });
    expect(next.figures.previousSettlementIndex).toBe(first.index);
    expect(next.view.days).toEqual([{ date: '2026-12-02', ticketCount: 1, ccaReceivedCents: 450 }]);
    expect(next.view.period).toEqual({ fromDate: '2026-12-01', toDate: '2026-12-02' });
    expect(next.view.merchant.address).toEqual([]);
  });

  test('a statement of a settlement never made is REPORT_NOT_SETTLED', async () => {
    let code = 'OK';
    try {
      settlementStatement(w.h.store, { merchant: shop, period: '2026-11', lang: 'fr', nowMs: w.h.nowMs });
    } catch (e) {
      code = e instanceof CaisseError ? e.code : 'not a CaisseError';
    }
    expect(code).toBe('REPORT_NOT_SETTLED');
  });
});
