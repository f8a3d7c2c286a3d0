import type { AccountKind } from '../../domain/ids.js';
import type { Asset } from '../../domain/money.js';
import type { KeyRole } from '../../domain/entry/schema.js';

/**
 * What the state machine reads and writes. Two implementations: the SQLite store (the ledger itself,
 * inside one transaction per group commit) and an in-memory replay (the audit), so that the audit checks
 * the log with exactly the rules the ledger applied.
 */
export interface AccountState {
  readonly id: string;
  readonly kind: AccountKind;
  readonly closed: boolean;
}

export interface KeyState {
  readonly keyId: string;
  readonly publicKey: Uint8Array;
  readonly role: KeyRole;
  readonly merchant: string | undefined;
  readonly tillId: string | undefined;
  readonly registeredIndex: number;
  readonly revokedIndex: number | undefined;
}

export interface PaymentState {
  readonly id: string;
  readonly payer: string;
  readonly merchant: string;
  readonly amountCents: number;
  readonly refundedCents: number;
}

export interface StateReader {
  account(id: string): AccountState | undefined;
  balanceCents(account: string, asset: Asset): number;
  key(keyId: string): KeyState | undefined;
  payment(entryId: string): PaymentState | undefined;
  entryExists(entryId: string): boolean;
  allowanceIssued(period: string, account: string): boolean;
  /** The last rules version published for a territory. */
  latestRules(territory: string): { version: string; documentHash: string; index: number } | undefined;
}

export interface StateWriter {
  openAccount(account: { id: string; kind: AccountKind; territory: string | undefined; label: string | undefined }, index: number): void;
  closeAccount(id: string, index: number): void;
  addBalance(account: string, asset: Asset, deltaCents: number): void;
  registerKey(key: KeyState): void;
  revokeKey(keyId: string, index: number): void;
  recordAllowance(period: string, account: string, index: number): void;
  recordPayment(payment: PaymentState, index: number): void;
  recordRefund(paymentId: string, amountCents: number): void;
  recordRules(territory: string, version: string, documentHash: string, index: number): void;
}

export type LedgerState = StateReader & StateWriter;
