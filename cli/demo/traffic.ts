import type { SigningKey } from '../../domain/ed25519.js';
import { basketLinesForHash } from '../../domain/rules/basket-lines.js';
import { allowanceIssueBody, paymentBody } from '../../domain/entry/build.js';
import { signEntry } from '../../domain/entry/sign.js';
import { limits } from '../../domain/limits.js';
import { evaluateBasket, type BasketLineInput } from '../../domain/rules/evaluate.js';
import type { Submission } from '../../ledger/core/ledger.js';
import { standardAccounts } from '../../ledger/home.js';
import { demoAllowanceCents } from './money-policy.js';
import type { Random } from './random.js';
import { nextPeriod } from './scenario.js';
import type { HouseholdFixture, ShopFixture, World } from './world.js';

/**
 * Realistic till traffic: a member household shops at an approved shop of its territory, the basket is
 * evaluated with the territory's rules (what the caisse pays, what the member pays otherwise) and the
 * till signs the payment. When most households have spent their allowance, the operator credits the
 * next month's, as the caisse does on its allowance day.
 */
export const basketLinesDemoMax = 12;
/** Below this, a household is treated as having spent its allowance for the month. */
export const spentBalanceCents = 500;

export class TrafficGenerator {
  private readonly balances = new Map<string, number>();
  private readonly tickets = new Map<string, number>();
  private readonly shopsByTerritory = new Map<string, ShopFixture[]>();
  private spent = 0;
  private period: string;
  private periodsIssued = 0;

  constructor(
    private readonly world: World,
    private readonly tillKeys: ReadonlyMap<string, SigningKey>,
    private readonly operator: SigningKey,
    private readonly random: Random,
    private readonly nowMs: () => number,
    startPeriod: string,
    private readonly runId: string,
  ) {
    this.period = startPeriod;
    for (const hh of world.households) this.balances.set(hh.accountId, 0);
    this.spent = world.households.length;
    for (const shop of world.shops) {
      const list = this.shopsByTerritory.get(shop.territory) ?? [];
      list.push(shop);
      this.shopsByTerritory.set(shop.territory, list);
    }
  }

  /** Keeps the count of households that have spent their allowance in step with their balances. */
  setBalance(household: string, cents: number): void {
    const wasSpent = (this.balances.get(household) ?? 0) < spentBalanceCents;
    const isSpent = cents < spentBalanceCents;
    this.balances.set(household, cents);
    this.spent += (isSpent ? 1 : 0) - (wasSpent ? 1 : 0);
  }

  /** The next submissions: usually one payment; sometimes the next month's allowances first. */
  next(): Submission[] {
    const out: Submission[] = [];
    if (this.spent > this.world.households.length / 2) out.push(...this.allowances());
    for (let attempt = 0; attempt < 20; attempt++) {
      const hh = this.random.pick(this.world.households);
      const balance = this.balances.get(hh.accountId) ?? 0;
      if (balance < spentBalanceCents) continue;
      const payment = this.payment(hh, balance);
      if (payment !== undefined) {
        out.push(payment);
        return out;
      }
    }
    out.push(...this.allowances());
    return out;
  }

  /**
   * The same credits for the month after, when the ledger answered that this month's allowance was
   * already issued (a previous demo run on the same ledger got there first). Local balances were
   * credited already, so they are left alone.
   */
  reissueAllowances(): Submission[] {
    return this.allowances(false);
  }

  private allowances(creditLocal = true): Submission[] {
    this.period = nextPeriod(this.period);
    this.periodsIssued += 1;
    const nowMs = this.nowMs();
    const credits = this.world.households.map((hh) => {
      const rules = this.world.rules.get(hh.territory)?.document;
      return { household: hh.accountId, amountCents: rules ? demoAllowanceCents(rules, hh.tier, hh.size) : 10_000 };
    });
    const out: Submission[] = [];
    for (let i = 0; i < credits.length; i += limits.postingsMax - 1) {
      const chunk = credits.slice(i, i + limits.postingsMax - 1);
      const body = allowanceIssueBody({ id: `alloc-${this.runId}-${this.period}-${i}`, createdAtMs: nowMs }, standardAccounts.fund, this.period, chunk);
      out.push({ entry: signEntry(body, [this.operator]) });
    }
    if (creditLocal) for (const c of credits) this.setBalance(c.household, (this.balances.get(c.household) ?? 0) + c.amountCents);
    return out;
  }

  private payment(hh: HouseholdFixture, balanceCents: number): Submission | undefined {
    const shops = this.shopsByTerritory.get(hh.territory) ?? this.world.shops;
    const shop = this.random.pick(shops.length > 0 ? shops : this.world.shops);
    const catalog = this.world.catalogs.get(shop.accountId);
    const rules = this.world.rules.get(shop.territory);
    if (catalog === undefined || rules === undefined || catalog.products.length === 0) return undefined;
    const lineCount = this.random.int(1, basketLinesDemoMax);
    const lines: BasketLineInput[] = [];
    for (let i = 0; i < lineCount; i++) {
      const product = this.random.pick(catalog.products);
      if (product.unit === 'kg') lines.push({ code: product.code, weightGrams: this.random.int(150, 1500) });
      else lines.push({ code: product.code, quantity: this.random.int(1, 3) });
    }
    const nowMs = this.nowMs();
    const evaluation = evaluateBasket({ rules: rules.compiled, shopId: shop.accountId, catalog, lines, member: { tier: hh.tier, allowanceBalanceCents: balanceCents }, atMs: nowMs });
    if (evaluation.caisseCents <= 0) return undefined;
    const tillId = this.random.pick(shop.tills);
    const till = this.tillKeys.get(tillId);
    if (till === undefined) return undefined;
    const ticket = (this.tickets.get(tillId) ?? 0) + 1;
    this.tickets.set(tillId, ticket);
    const { body, basket } = paymentBody(
      { id: `pay-${this.runId}-${tillId}-${ticket}`, createdAtMs: nowMs },
      {
        payer: hh.accountId,
        merchant: shop.accountId,
        tillId,
        ticket,
        rulesVersion: `${evaluation.territory}@${evaluation.rulesVersion}`,
        tier: hh.tier,
        lines: basketLinesForHash(evaluation),
      },
    );
    this.setBalance(hh.accountId, balanceCents - evaluation.caisseCents);
    return { entry: signEntry(body, [till]), basket };
  }

  get monthsIssued(): number {
    return this.periodsIssued;
  }
}
