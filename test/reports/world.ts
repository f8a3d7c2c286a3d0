import type { SigningKey } from '../../domain/ed25519.js';
import { refundBody } from '../../domain/entry/build.js';
import { LedgerHarness, line } from '../ledger/harness.js';

/**
 * A small real ledger for the report tests: one shop with two tills, one member, sales over two
 * Paris business days (one of them sold at 00:30 Paris time, 23:30 UTC the day before) and a refund.
 * Every sale is remembered with its business day, so tests compare reports with plain sums.
 */
export const shop = 'shop:epicerie-test';
export const otherShop = 'shop:sans-ventes';
export const till1 = 'epicerie-test-1';
export const till2 = 'epicerie-test-2';
export const member = 'hh:test0000001';
export const day1 = '2026-11-23';
export const day2 = '2026-11-24';

export interface SaleRecord {
  readonly date: string;
  readonly tillId: string;
  readonly ticket: number;
  readonly totalCents: number;
  readonly caisseCents: number;
  readonly entryId: string;
}

export interface ReportWorld {
  readonly h: LedgerHarness;
  readonly sales: SaleRecord[];
  readonly refunds: { date: string; tillId: string; amountCents: number }[];
  readonly tillKeys: ReadonlyMap<string, SigningKey>;
  sell(date: string, tillId: string, ticket: number, lines: readonly [priceCents: number, caisseCents: number][]): Promise<SaleRecord>;
}

export async function reportWorld(): Promise<ReportWorld> {
  const h = new LedgerHarness();
  await h.openMerchant(shop, 'Épicerie du Test');
  await h.openMerchant(otherShop, 'Boutique sans ventes');
  const tillKeys = new Map<string, SigningKey>([
    [till1, await h.registerTill(shop, till1)],
    [till2, await h.registerTill(shop, till2)],
  ]);
  await h.openHousehold(member);
  await h.allowance('2026-11', [{ household: member, amountCents: 50_000 }]);
  const sales: SaleRecord[] = [];
  const refunds: { date: string; tillId: string; amountCents: number }[] = [];
  const world: ReportWorld = {
    h,
    sales,
    refunds,
    tillKeys,
    async sell(date, tillId, ticket, lines) {
      const key = tillKeys.get(tillId);
      if (key === undefined) throw new Error(`no till ${tillId}`);
      const { body, basket } = h.payment({ payer: member, merchant: shop, tillId }, lines.map(([price, caisse], i) => line(`P${ticket}-${i}`, price, caisse)), ticket);
      await h.ok(body, [key], basket);
      const record = { date, tillId, ticket, totalCents: body.basket.totalCents, caisseCents: body.amountCents, entryId: body.id };
      sales.push(record);
      return record;
    },
  };

  // Day 1, in the morning (10:00 UTC, 11:00 in Paris).
  h.nowMs = Date.UTC(2026, 10, 23, 10, 0, 0);
  await world.sell(day1, till1, 1, [[1000, 1000], [500, 0]]);
  h.nowMs += 60_000;
  const refunded = await world.sell(day1, till1, 2, [[2000, 1500]]);
  h.nowMs += 60_000;
  await world.sell(day1, till2, 1, [[700, 700]]);
  h.nowMs += 60_000;
  await h.ok(
    refundBody(h.common('refund'), { payment: refunded.entryId, payer: member, merchant: shop, tillId: till1, amountCents: 300, reason: 'Produit abîmé' }),
    [tillKeys.get(till1)!],
  );
  refunds.push({ date: day1, tillId: till1, amountCents: 300 });
  // 23:30 UTC on the 23rd is 00:30 on the 24th in Paris: day 2.
  h.nowMs = Date.UTC(2026, 10, 23, 23, 30, 0);
  await world.sell(day2, till1, 3, [[1000, 1000]]);
  h.nowMs = Date.UTC(2026, 10, 24, 10, 0, 0);
  await world.sell(day2, till2, 2, [[800, 400]]);
  return world;
}

export function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
