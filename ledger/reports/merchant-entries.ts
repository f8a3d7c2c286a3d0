import { shortHash } from '../formats/receipt.js';
import type { AccountRow, SqliteStore } from '../store/sqlite-store.js';
import { reportError } from './errors.js';
import { movementOf, movementTypes, type Movement } from './movements.js';

/**
 * The store reads every report starts with: the merchant's account, its tills, its movements in log
 * order, and the short hash printed for an entry.
 */

/** The merchant's account; REPORT_UNKNOWN_MERCHANT when the ledger has no merchant of that id. */
export function merchantAccount(store: SqliteStore, merchant: string): AccountRow {
  const account = store.account(merchant);
  if (account === undefined || account.kind !== 'merchant') throw reportError('REPORT_UNKNOWN_MERCHANT', merchant);
  return account;
}

/** Every till that ever had a key registered for the merchant (revoked ones too: their sales remain). */
export function merchantTills(store: SqliteStore, merchant: string): string[] {
  const tills = new Set<string>();
  for (const key of store.keys()) if (key.role === 'till' && key.merchant === merchant && key.tillId !== undefined) tills.add(key.tillId);
  return [...tills].sort();
}

/** REPORT_UNKNOWN_TILL unless a till key was registered for this merchant and till. */
export function checkTill(store: SqliteStore, merchant: string, tillId: string): void {
  if (!merchantTills(store, merchant).includes(tillId)) throw reportError('REPORT_UNKNOWN_TILL', `${merchant} ${tillId}`);
}

/**
 * The merchant's sales, refunds and settlements recorded before a ledger time and before a log index
 * (each bound optional), in log order, streamed.
 */
export function* merchantMovements(store: SqliteStore, merchant: string, before: { readonly timeMs?: number; readonly index?: number }): Generator<Movement> {
  const bounds = { timeMs: before.timeMs ?? Number.MAX_SAFE_INTEGER, index: before.index ?? Number.MAX_SAFE_INTEGER };
  for (const row of store.iterateAccountEntries(merchant, movementTypes, bounds)) {
    const movement = movementOf(row);
    if (movement !== undefined) yield movement;
  }
}

/** The short hash of an entry's leaf, as printed on receipts (ledger/formats/receipt.ts). */
export function entryShortHash(store: SqliteStore, index: number): string {
  const hash = store.node(0, index);
  if (hash === undefined) throw new Error(`no leaf hash stored for index ${index}`);
  return shortHash(Buffer.from(hash).toString('base64'));
}
