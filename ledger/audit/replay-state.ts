import assert from 'node:assert/strict';
import type { AccountKind } from '../../domain/ids.js';
import type { Asset } from '../../domain/money.js';
import type { AccountState, KeyState, LedgerState, PaymentState } from '../core/state.js';

/**
 * The ledger's state rebuilt in memory by replaying the log through the same applyEntry as the ledger.
 *
 * What it holds is bounded by the number of accounts, keys, allowance periods per household and
 * refunded payments, never by the length of the log: payments and corrected entries are not kept but
 * looked up when a refund or a correction names them (`EntryLookup`, answered from the store or over
 * HTTP and checked against the log), and only the refunded amount of each refunded payment is kept.
 */
export interface ReplayAccount extends AccountState {
  readonly territory: string | undefined;
  readonly label: string | undefined;
  readonly openedIndex: number;
  readonly closedIndex: number | undefined;
}

/** An entry of the log found by its id: what a refund or a correction needs to know of it. */
export interface LookedUpEntry {
  readonly index: number;
  readonly type: string;
  /** Set for payments. */
  readonly payment?: { readonly payer: string; readonly merchant: string; readonly amountCents: number };
}

/**
 * Answers "which entry has this id", synchronously, for ids prefetched before the chunk that needs them
 * is replayed (HTTP is asynchronous, applyEntry is not). Undefined: no such entry in the log.
 */
export type EntryLookup = (entryId: string) => LookedUpEntry | undefined;

export class ReplayState implements LedgerState {
  private readonly accountsById = new Map<string, ReplayAccount>();
  private readonly balancesByAccount = new Map<string, Map<Asset, number>>();
  private readonly keysById = new Map<string, KeyState>();
  private readonly allowancePeriods = new Map<string, Set<string>>();
  private readonly refunded = new Map<string, number>();
  private readonly rulesByTerritory = new Map<string, { version: string; documentHash: string; index: number }>();
  /** The index being replayed: an entry found by id counts only if it comes before it. */
  private currentIndex = 0;

  constructor(private readonly lookup: EntryLookup) {}

  /** Called before each entry is applied. */
  beginEntry(index: number): void {
    assert.ok(index >= this.currentIndex, 'entries are replayed in order');
    this.currentIndex = index;
  }

  private earlier(entryId: string): LookedUpEntry | undefined {
    const found = this.lookup(entryId);
    return found !== undefined && found.index < this.currentIndex ? found : undefined;
  }

  // ---- StateReader ----
  account(id: string): AccountState | undefined {
    return this.accountsById.get(id);
  }
  balanceCents(account: string, asset: Asset): number {
    return this.balancesByAccount.get(account)?.get(asset) ?? 0;
  }
  key(keyId: string): KeyState | undefined {
    return this.keysById.get(keyId);
  }
  payment(entryId: string): PaymentState | undefined {
    const found = this.earlier(entryId);
    if (found?.payment === undefined) return undefined;
    const { payer, merchant, amountCents } = found.payment;
    return { id: entryId, payer, merchant, amountCents, refundedCents: this.refunded.get(entryId) ?? 0 };
  }
  entryExists(entryId: string): boolean {
    return this.earlier(entryId) !== undefined;
  }
  allowanceIssued(period: string, account: string): boolean {
    return this.allowancePeriods.get(account)?.has(period) === true;
  }

  // ---- StateWriter ----
  openAccount(a: { id: string; kind: AccountKind; territory: string | undefined; label: string | undefined }, index: number): void {
    assert.ok(!this.accountsById.has(a.id));
    this.accountsById.set(a.id, { id: a.id, kind: a.kind, territory: a.territory, label: a.label, openedIndex: index, closedIndex: undefined, closed: false });
  }
  closeAccount(id: string, index: number): void {
    const a = this.accountsById.get(id);
    assert.ok(a !== undefined && !a.closed);
    this.accountsById.set(id, { ...a, closed: true, closedIndex: index });
  }
  addBalance(account: string, asset: Asset, deltaCents: number): void {
    let balances = this.balancesByAccount.get(account);
    if (balances === undefined) {
      balances = new Map();
      this.balancesByAccount.set(account, balances);
    }
    const after = (balances.get(asset) ?? 0) + deltaCents;
    assert.ok(Number.isSafeInteger(after), 'applyEntry checks balances stay exact');
    balances.set(asset, after);
  }
  registerKey(key: KeyState): void {
    assert.ok(!this.keysById.has(key.keyId));
    this.keysById.set(key.keyId, key);
  }
  revokeKey(keyId: string, index: number): void {
    const key = this.keysById.get(keyId);
    assert.ok(key !== undefined && key.revokedIndex === undefined);
    this.keysById.set(keyId, { ...key, revokedIndex: index });
  }
  recordAllowance(period: string, account: string): void {
    let periods = this.allowancePeriods.get(account);
    if (periods === undefined) {
      periods = new Set();
      this.allowancePeriods.set(account, periods);
    }
    periods.add(period);
  }
  recordPayment(): void {
    // Payments are not kept: a refund looks its payment up in the log (see EntryLookup).
  }
  recordRefund(paymentId: string, amountCents: number): void {
    this.refunded.set(paymentId, (this.refunded.get(paymentId) ?? 0) + amountCents);
  }
  recordRules(territory: string, version: string, documentHash: string, index: number): void {
    this.rulesByTerritory.set(territory, { version, documentHash, index });
  }

  // ---- what the audit compares with the stored state at the end ----
  accounts(): ReplayAccount[] {
    return [...this.accountsById.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
  /** Every (account, asset) balance the log moved, zero ones included. */
  balances(): { account: string; asset: Asset; balanceCents: number }[] {
    const out: { account: string; asset: Asset; balanceCents: number }[] = [];
    for (const [account, byAsset] of this.balancesByAccount) for (const [asset, balanceCents] of byAsset) out.push({ account, asset, balanceCents });
    return out;
  }
  keys(): KeyState[] {
    return [...this.keysById.values()];
  }
  /** Refunded payments and how much of each was refunded. */
  refunds(): ReadonlyMap<string, number> {
    return this.refunded;
  }
  latestRules(territory: string): { version: string; documentHash: string; index: number } | undefined {
    return this.rulesByTerritory.get(territory);
  }
}
