import { CaisseError } from '../../domain/error-spec.js';
import type { SigningKey } from '../../domain/ed25519.js';
import { settlementBody } from '../../domain/entry/build.js';
import { signEntry } from '../../domain/entry/sign.js';
import { formatCents } from '../../domain/money.js';
import type { Ledger } from '../core/ledger.js';
import { standardAccounts } from '../home.js';
import { businessDateOf, parsePeriod, reportTimeZone } from './business-day.js';
import { reportError } from './errors.js';
import { merchantAccount } from './merchant-entries.js';
import { findSettlement } from './statement-report.js';
import { settlementEntryId } from './statement.js';

/**
 * The operator settles a merchant: the merchant's whole CCA balance goes back to the caisse's fund
 * (retired) and the treasury pays as much in Moneko, in one signed settlement entry, so the two
 * movements happen together or not at all. The entry id is fixed by the merchant and the period: a
 * second run finds the first settlement and says so instead of paying twice.
 */
export interface SettleRequest {
  readonly merchant: string;
  /** YYYY-MM (REPORT_BAD_PERIOD unless a month already begun). */
  readonly period: string;
  readonly operatorKey: SigningKey;
  readonly nowMs: number;
  readonly fund?: string;
  readonly treasury?: string;
  readonly timeZone?: string;
}

export interface SettleResult {
  /** `already-settled`: this merchant and period were settled before; nothing was written. */
  readonly status: 'settled' | 'already-settled';
  readonly entryId: string;
  readonly index: number;
  readonly amountCents: number;
}

export async function settleMerchant(ledger: Ledger, request: SettleRequest): Promise<SettleResult> {
  const store = ledger.store;
  const timeZone = request.timeZone ?? reportTimeZone;
  const { period, toDate } = parsePeriod(request.period, request.nowMs, timeZone);
  // Nor a month over before the ledger began: its settlement would carry a balance of later months.
  const genesis = store.logAt(0);
  const beganOn = genesis === undefined ? undefined : businessDateOf(genesis.ledgerTimeMs, timeZone);
  if (beganOn !== undefined && toDate < beganOn) throw reportError('REPORT_BAD_PERIOD', `${period}: the ledger began on ${beganOn}`);
  merchantAccount(store, request.merchant);
  const entryId = settlementEntryId(request.merchant, period);
  const already = (): SettleResult | undefined => {
    const existing = findSettlement(store, request.merchant, period);
    return existing === undefined ? undefined : { status: 'already-settled', entryId, index: existing.index, amountCents: existing.amountCents };
  };
  const before = already();
  if (before !== undefined) return before;

  const amountCents = store.balanceCents(request.merchant, 'CCA');
  if (amountCents <= 0) throw reportError('REPORT_NOTHING_TO_SETTLE', `${request.merchant} ${period}`);
  const treasury = request.treasury ?? standardAccounts.treasury;
  const body = settlementBody(
    { id: entryId, createdAtMs: request.nowMs },
    { merchant: request.merchant, fund: request.fund ?? standardAccounts.fund, treasury, period, amountCents },
  );
  const outcome = await ledger.submit({ entry: signEntry(body, [request.operatorKey]) });
  if (outcome.ok) {
    const status = outcome.receipt.replayed === true ? 'already-settled' : 'settled';
    return { status, entryId, index: outcome.receipt.index, amountCents };
  }
  const error = outcome.error;
  // Another operator settled the same merchant and period between our read and our write.
  if (error.code === 'LEDGER_ID_CONFLICT') {
    const after = already();
    if (after !== undefined) return after;
  }
  const availableCents = store.balanceCents(treasury, 'MNK');
  if (error.code === 'LEDGER_OVERDRAFT' && availableCents < amountCents) {
    throw new CaisseError(error.code, error.spec, `${treasury}: ${formatCents(availableCents, 'fr', 'MNK')} < ${formatCents(amountCents, 'fr', 'MNK')} (${request.merchant})`);
  }
  throw error;
}
