import type { KeyState } from '../core/state.js';
import { hashesEqual } from '../merkle/rfc6962.js';
import { auditFailure } from './failure.js';
import type { ReplayState } from './replay-state.js';
import type { StoredState } from './source.js';

/**
 * Compares the state the ledger stores (or serves) with the state replayed from the log: balances
 * first (AUDIT_BALANCE_MISMATCH, naming the account), then accounts, keys and refunded amounts
 * (AUDIT_STATE_MISMATCH). A balance the log never moved must be zero or absent.
 */
export function compareState(replayed: ReplayState, stored: StoredState): void {
  const key = (account: string, asset: string) => `${account}\u0000${asset}`;
  const want = new Map<string, { account: string; asset: string; balanceCents: number }>();
  for (const b of replayed.balances()) want.set(key(b.account, b.asset), b);
  const got = new Map<string, { account: string; asset: string; balanceCents: number }>();
  for (const b of stored.balances) got.set(key(b.account, b.asset), b);
  const all = [...new Set([...want.keys(), ...got.keys()])].sort();
  for (const k of all) {
    const w = want.get(k);
    const g = got.get(k);
    const account = (w ?? g)?.account ?? '';
    const asset = (w ?? g)?.asset ?? '';
    const wantCents = w?.balanceCents ?? 0;
    const gotCents = g?.balanceCents ?? 0;
    if (wantCents !== gotCents) {
      throw auditFailure('AUDIT_BALANCE_MISMATCH', { account }, `${asset}: stored ${gotCents} cents, the log gives ${wantCents}`);
    }
  }

  const storedAccounts = new Map(stored.accounts.map((a) => [a.id, a]));
  const replayedAccounts = replayed.accounts();
  for (const a of replayedAccounts) {
    const s = storedAccounts.get(a.id);
    if (s === undefined) throw auditFailure('AUDIT_STATE_MISMATCH', { account: a.id }, 'opened in the log, missing from the store');
    const same =
      s.kind === a.kind &&
      s.closed === a.closed &&
      s.territory === a.territory &&
      s.label === a.label &&
      (s.openedIndex === undefined || s.openedIndex === a.openedIndex) &&
      (!('closedIndex' in s) || s.closedIndex === a.closedIndex);
    if (!same) throw auditFailure('AUDIT_STATE_MISMATCH', { account: a.id }, 'stored kind, territory, label or opening/closing differ from the log');
  }
  if (stored.accounts.length !== replayedAccounts.length) {
    const extra = stored.accounts.find((s) => replayed.account(s.id) === undefined);
    throw auditFailure('AUDIT_STATE_MISMATCH', extra === undefined ? {} : { account: extra.id }, 'an account is stored that the log never opened');
  }

  if (stored.keys !== undefined) compareKeys(replayed.keys(), stored.keys);
  if (stored.refunds !== undefined) {
    // The other way round too: a refund the store counts and the log never made.
    for (const [paymentId, cents] of stored.refunds) {
      if (replayed.refunds().get(paymentId) !== cents) throw auditFailure('AUDIT_STATE_MISMATCH', {}, `payment ${paymentId}: stored refunds ${cents}, the log gives ${replayed.refunds().get(paymentId) ?? 'none'}`);
    }
  }
  if (stored.refundedCents !== undefined) {
    for (const [paymentId, cents] of replayed.refunds()) {
      const storedCents = stored.refundedCents(paymentId);
      if (storedCents !== cents) throw auditFailure('AUDIT_STATE_MISMATCH', {}, `payment ${paymentId}: stored refunds ${storedCents ?? 'none'}, the log gives ${cents}`);
    }
  }
}

function compareKeys(replayed: readonly KeyState[], stored: readonly KeyState[]): void {
  const byId = new Map(stored.map((k) => [k.keyId, k]));
  for (const k of replayed) {
    const s = byId.get(k.keyId);
    const same =
      s !== undefined &&
      hashesEqual(s.publicKey, k.publicKey) &&
      s.role === k.role &&
      s.merchant === k.merchant &&
      s.tillId === k.tillId &&
      s.registeredIndex === k.registeredIndex &&
      s.revokedIndex === k.revokedIndex;
    if (!same) throw auditFailure('AUDIT_STATE_MISMATCH', {}, `key ${k.keyId}: stored registration differs from the log`);
  }
  if (stored.length !== replayed.length) throw auditFailure('AUDIT_STATE_MISMATCH', {}, 'a key is stored that the log never registered');
}
