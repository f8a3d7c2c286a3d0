import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey, type SigningKey } from '../../domain/ed25519.js';
import type { Basket, BasketLine } from '../../domain/entry/basket.js';
import {
  accountOpenBody,
  allowanceIssueBody,
  keyRegisterBody,
  keyRegistration,
  monekoIssueBody,
  paymentBody,
} from '../../domain/entry/build.js';
import type { EntryBody } from '../../domain/entry/schema.js';
import { signEntry } from '../../domain/entry/sign.js';
import type { Outcome } from '../../ledger/core/ledger.js';
import { initLedger, openLedger, readRoleKey, standardAccounts, type OpenedLedger } from '../../ledger/home.js';

/** A real ledger on a temporary SQLite file, with a clock the test moves, and helpers to feed it. */
export class LedgerHarness {
  readonly dir: string;
  nowMs = Date.UTC(2026, 10, 23, 10, 0, 0);
  opened: OpenedLedger;
  readonly ledgerKey: SigningKey;
  readonly committee: SigningKey;
  readonly operator: SigningKey;
  readonly moneko: SigningKey;
  private seq = 0;

  /** `clockWindowMs`: the ledger's, when a test needs another than the default. */
  constructor(options: { clockWindowMs?: number } = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'caisse-ledger-'));
    initLedger(this.dir, { nowMs: this.nowMs, ...(options.clockWindowMs === undefined ? {} : { clockWindowMs: options.clockWindowMs }) });
    this.opened = openLedger(this.dir, { nowMs: () => this.nowMs });
    this.ledgerKey = readRoleKey(this.dir, 'ledger');
    this.committee = readRoleKey(this.dir, 'committee');
    this.operator = readRoleKey(this.dir, 'operator');
    this.moneko = readRoleKey(this.dir, 'moneko');
  }

  get ledger() {
    return this.opened.ledger;
  }
  get store() {
    return this.opened.store;
  }

  /** Closes and reopens the database, as a restart would. */
  reopen(): void {
    this.opened.close();
    this.opened = openLedger(this.dir, { nowMs: () => this.nowMs });
  }

  close(): void {
    this.opened.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  nextId(prefix = 'e'): string {
    this.seq += 1;
    return `${prefix}-${String(this.seq).padStart(8, '0')}`;
  }

  common(prefix = 'e') {
    return { id: this.nextId(prefix), createdAtMs: this.nowMs };
  }

  async submit(body: EntryBody, keys: readonly SigningKey[], basket?: Basket): Promise<Outcome> {
    return this.ledger.submit({ entry: signEntry(body, keys), ...(basket ? { basket } : {}) });
  }

  async ok(body: EntryBody, keys: readonly SigningKey[], basket?: Basket) {
    const outcome = await this.submit(body, keys, basket);
    if (!outcome.ok) throw new Error(`expected success, got ${outcome.error.code}: ${outcome.error.detail}`);
    return outcome.receipt;
  }

  async code(body: EntryBody, keys: readonly SigningKey[], basket?: Basket): Promise<string> {
    const outcome = await this.submit(body, keys, basket);
    return outcome.ok ? 'OK' : outcome.error.code;
  }

  async openHousehold(id: string): Promise<void> {
    await this.ok(accountOpenBody(this.common('open'), { id, kind: 'household', territory: 'nantes-ouest' }), [this.operator]);
  }

  async openMerchant(id: string, label = 'Épicerie test'): Promise<void> {
    await this.ok(accountOpenBody(this.common('open'), { id, kind: 'merchant', territory: 'nantes-ouest', label }), [this.operator]);
  }

  async registerTill(merchant: string, tillId: string): Promise<SigningKey> {
    const key = generateSigningKey();
    await this.ok(keyRegisterBody(this.common('key'), keyRegistration(key.publicKey, 'till', { merchant, tillId })), [this.operator]);
    return key;
  }

  async allowance(period: string, credits: { household: string; amountCents: number }[]) {
    return this.ok(allowanceIssueBody(this.common('alloc'), standardAccounts.fund, period, credits), [this.operator]);
  }

  async fundTreasury(amountCents: number) {
    return this.ok(monekoIssueBody(this.common('mnk'), { reserve: standardAccounts.reserve, to: standardAccounts.treasury, amountCents, reference: 'virement test' }), [this.moneko]);
  }

  /** A shop with one till and a household with an allowance: the usual starting point. */
  async shopAndMember(allowanceCents = 15_000) {
    await this.openMerchant('shop:epicerie-test');
    const till = await this.registerTill('shop:epicerie-test', 'epicerie-test-1');
    await this.openHousehold('hh:test0000001');
    await this.allowance('2026-11', [{ household: 'hh:test0000001', amountCents: allowanceCents }]);
    return { merchant: 'shop:epicerie-test', tillId: 'epicerie-test-1', till, household: 'hh:test0000001', payer: 'hh:test0000001' };
  }

  payment(p: { payer: string; merchant: string; tillId: string }, lines: BasketLine[], ticket = 1, offline = false) {
    return paymentBody(this.common('pay'), { ...p, ticket, rulesVersion: 'nantes-ouest@1', tier: 1, lines, offline });
  }
}

/** A basket line of one piece, for ledgers without published rules (the basket is then checked for sums only). */
export function line(code: string, priceCents: number, caisseCents = priceCents): BasketLine {
  return {
    code,
    productCode: code,
    quantity: 1,
    unitPriceCents: priceCents,
    priceCents,
    eligible: caisseCents > 0,
    shareBasisPoints: priceCents === 0 ? 0 : Math.round((caisseCents * 10_000) / priceCents),
    caisseCents,
    memberCents: priceCents - caisseCents,
  };
}
