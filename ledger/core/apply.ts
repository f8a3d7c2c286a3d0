import assert from 'node:assert/strict';
import { keyIdOf } from '../../domain/ed25519.js';
import type { Asset } from '../../domain/money.js';
import type { AccountKind } from '../../domain/ids.js';
import { accountPrefixByKind } from '../../domain/ids.js';
import type { BodyOf, EntryBody, EntryType, KeyRole, Posting, SignedEntry } from '../../domain/entry/schema.js';
import { entrySigningMessage } from '../../domain/entry/sign.js';
import { limits } from '../../domain/limits.js';
import { ledgerError } from '../errors.js';
import { rulesDocumentHash, validateRulesDocument } from '../../domain/rules/compile.js';
import type { KeyState, LedgerState, StateReader } from './state.js';

/**
 * The ledger's state machine: checks one signed entry against the state and, if every check passes,
 * applies it. All checks come first, as a flat run of "if this is wrong, answer that code"; writes come
 * only after the last check, so a refused entry changes nothing.
 */

export interface ApplyContext {
  /** The index the entry will have in the log. */
  readonly index: number;
  readonly ledgerTimeMs: number;
  readonly clockWindowMs: number;
  /** Verifies one signature; the ledger passes a cache of signatures it verified in parallel. */
  readonly verifySignature: (message: Uint8Array, key: KeyState, signatureBase64: string) => boolean;
  /** The entry's signing message, when the caller already built it from the body's JCS bytes. */
  readonly signingMessage?: Uint8Array | undefined;
  /**
   * Checks that need more than the log (a payment's basket against the rules and catalogue), run
   * after the signatures and the signer's authority are known good and before anything is written,
   * so that an unsigned request never makes the ledger evaluate anything.
   */
  readonly checkBeforeWrite?: (body: EntryBody) => void;
}

export interface ApplyResult {
  readonly flags: readonly 'offline'[];
}

/** Who may sign what. A till key is further bound to its merchant and till. */
const signerRoles: { readonly [T in EntryType]: readonly KeyRole[] } = {
  'ledger.genesis': ['ledger'],
  'key.register': ['committee', 'operator'],
  'key.revoke': ['committee', 'operator'],
  'account.open': ['operator', 'committee'],
  'account.close': ['operator', 'committee'],
  'allowance.issue': ['operator'],
  payment: ['till'],
  refund: ['till', 'operator'],
  settlement: ['operator'],
  'moneko.issue': ['moneko'],
  'moneko.redeem': ['moneko'],
  contribution: ['operator'],
  transfer: ['operator'],
  correction: ['operator', 'committee'],
  'rules.publish': ['committee'],
};

/** Which assets each kind of account may hold, and which it issues (and so may hold below zero). */
const heldAssets: { readonly [K in AccountKind]: readonly Asset[] } = {
  household: ['CCA'],
  merchant: ['CCA', 'MNK'],
  fund: ['CCA'],
  reserve: ['MNK'],
  treasury: ['MNK'],
  fees: ['MNK'],
};
const issuedAsset: { readonly [K in AccountKind]?: Asset } = { fund: 'CCA', reserve: 'MNK' };

export function applyEntry(state: LedgerState, entry: SignedEntry, ctx: ApplyContext): ApplyResult {
  const body = entry.body;
  assert.ok(Number.isSafeInteger(ctx.index) && ctx.index >= 0);
  const flags = checkTime(body, ctx);
  const signers = checkSignatures(state, entry, ctx);
  checkAuthorisation(state, body, signers, ctx.index);
  const postings = 'postings' in body ? body.postings : [];
  if (postings.length > 0) {
    checkPostingsShape(state, body);
    checkBalances(state, postings);
  }
  ctx.checkBeforeWrite?.(body);
  write(state, body, ctx.index);
  return { flags };
}

const noFlags: readonly 'offline'[] = Object.freeze([]);
const offlineFlag: readonly 'offline'[] = Object.freeze(['offline'] as const);

function checkTime(body: EntryBody, ctx: ApplyContext): readonly 'offline'[] {
  const skewMs = ctx.ledgerTimeMs - body.createdAtMs;
  if (Math.abs(skewMs) <= ctx.clockWindowMs) return noFlags;
  const offline = (body.type === 'payment' || body.type === 'refund') && body.offline === true;
  // Offline till entries may arrive late, never early: a clock in the future is a broken clock.
  if (offline && skewMs > 0 && skewMs <= limits.offlineAgeMsMax) return offlineFlag;
  throw ledgerError('LEDGER_CLOCK_SKEW', `createdAtMs ${body.createdAtMs} is ${Math.round(skewMs / 1000)} s from ledger time`);
}

function checkSignatures(state: StateReader, entry: SignedEntry, ctx: ApplyContext): KeyState[] {
  const message = ctx.signingMessage ?? entrySigningMessage(entry.body);
  const signers: KeyState[] = [];
  const signatures = entry.signatures;
  // At most limits.signaturesMax signatures: compared pairwise rather than through a set.
  for (let i = 0; i < signatures.length; i++) {
    const sig = signatures[i];
    assert.ok(sig !== undefined);
    for (let j = 0; j < i; j++) if (signatures[j]?.keyId === sig.keyId) throw ledgerError('LEDGER_INVALID_ENTRY', `key ${sig.keyId} signs twice`);
    const key = state.key(sig.keyId) ?? genesisKey(entry.body, sig.keyId, ctx.index);
    if (key === undefined) throw ledgerError('LEDGER_UNKNOWN_KEY', sig.keyId);
    if (key.revokedIndex !== undefined && key.revokedIndex < ctx.index) throw ledgerError('LEDGER_KEY_REVOKED', sig.keyId);
    if (!ctx.verifySignature(message, key, sig.signature)) throw ledgerError('LEDGER_BAD_SIGNATURE', `key ${sig.keyId}`);
    signers.push(key);
  }
  return signers;
}

/** The genesis entry is signed by the ledger key it registers itself. */
function genesisKey(body: EntryBody, keyId: string, index: number): KeyState | undefined {
  if (body.type !== 'ledger.genesis' || index !== 0) return undefined;
  const reg = body.keys.find((k) => k.keyId === keyId && k.role === 'ledger');
  if (reg === undefined) return undefined;
  return toKeyState(reg, index);
}

function toKeyState(reg: BodyOf<'key.register'>['key'], index: number): KeyState {
  return {
    keyId: reg.keyId,
    publicKey: new Uint8Array(Buffer.from(reg.publicKey, 'base64')),
    role: reg.role,
    merchant: reg.merchant,
    tillId: reg.tillId,
    registeredIndex: index,
    revokedIndex: undefined,
  };
}

function checkAuthorisation(state: StateReader, body: EntryBody, signers: readonly KeyState[], index: number): void {
  const allowed = signerRoles[body.type];
  const authorising = signers.filter((k) => allowed.includes(k.role));
  if (authorising.length === 0) {
    throw ledgerError('LEDGER_NOT_AUTHORISED', `${body.type} needs a ${allowed.join(' or ')} key, signed by ${signers.map((s) => s.role).join(', ')}`);
  }
  const committee = authorising.some((k) => k.role === 'committee');
  switch (body.type) {
    case 'ledger.genesis':
      if (index !== 0) throw ledgerError('LEDGER_GENESIS', `at index ${index}`);
      return;
    case 'key.register': {
      if (body.key.role === 'ledger' || body.key.role === 'committee' || body.key.role === 'operator' || body.key.role === 'moneko') {
        if (!committee) throw ledgerError('LEDGER_NOT_AUTHORISED', `only the committee registers ${body.key.role} keys`);
      }
      checkKeyRegistration(state, body.key);
      return;
    }
    case 'key.revoke': {
      const target = state.key(body.keyId);
      if (target === undefined) throw ledgerError('LEDGER_UNKNOWN_KEY', body.keyId);
      if (target.revokedIndex !== undefined) throw ledgerError('LEDGER_KEY_REVOKED', `${body.keyId} already revoked`);
      if (target.role !== 'till' && !committee) throw ledgerError('LEDGER_NOT_AUTHORISED', `only the committee revokes ${target.role} keys`);
      return;
    }
    case 'payment': {
      const till = authorising[0];
      assert.ok(till !== undefined);
      if (till.merchant !== body.merchant || till.tillId !== body.tillId) {
        throw ledgerError('LEDGER_TILL_MISMATCH', `key ${till.keyId} is till ${till.tillId ?? '?'} of ${till.merchant ?? '?'}`);
      }
      return;
    }
    case 'refund': {
      const payment = state.payment(body.payment);
      if (payment === undefined) throw ledgerError('LEDGER_UNKNOWN_PAYMENT', body.payment);
      const till = authorising.find((k) => k.role === 'till');
      if (till !== undefined && authorising.every((k) => k.role === 'till')) {
        if (till.merchant !== payment.merchant) throw ledgerError('LEDGER_TILL_MISMATCH', `payment ${body.payment} was made at ${payment.merchant}`);
        if (till.tillId !== body.tillId) throw ledgerError('LEDGER_TILL_MISMATCH', `key ${till.keyId} is till ${till.tillId ?? '?'}, the refund names ${body.tillId}`);
      }
      return;
    }
    case 'rules.publish':
      checkRulesPublication(state, body);
      return;
    default:
      return;
  }
}

/**
 * A rules document enters the log whole, valid, named by its hash, and with a version above the last
 * one of its territory: tills fetch it from the log and payments name the version they applied.
 */
function checkRulesPublication(state: StateReader, body: BodyOf<'rules.publish'>): void {
  const validation = validateRulesDocument(body.document);
  if (!validation.ok) {
    const problem = validation.problems[0];
    throw ledgerError('LEDGER_INVALID_ENTRY', `document: ${problem?.path ?? ''} ${problem?.detail ?? ''} (${validation.problems.length} problem(s))`);
  }
  const doc = validation.document;
  if (rulesDocumentHash(doc) !== body.documentHash) throw ledgerError('LEDGER_INVALID_ENTRY', 'documentHash is not the SHA-256 of the document');
  if (doc.territory !== body.territory || String(doc.version) !== body.version) {
    throw ledgerError('LEDGER_INVALID_ENTRY', `entry says ${body.territory}@${body.version}, document is ${doc.territory}@${doc.version}`);
  }
  const latest = state.latestRules(body.territory);
  if (latest !== undefined && Number(latest.version) >= doc.version) {
    throw ledgerError('LEDGER_INVALID_ENTRY', `version ${doc.version} is not above the published ${latest.version}`);
  }
}

function checkKeyRegistration(state: StateReader, key: BodyOf<'key.register'>['key']): void {
  if (state.key(key.keyId) !== undefined) throw ledgerError('LEDGER_INVALID_ENTRY', `key ${key.keyId} is already registered`);
  const derived = keyIdFromBase64(key.publicKey);
  if (derived !== key.keyId) throw ledgerError('LEDGER_INVALID_ENTRY', `keyId ${key.keyId} does not match the public key (${derived})`);
  if (key.role === 'till') {
    if (key.merchant === undefined || key.tillId === undefined) throw ledgerError('LEDGER_INVALID_ENTRY', 'a till key names its merchant and tillId');
    const merchant = state.account(key.merchant);
    if (merchant === undefined || merchant.kind !== 'merchant') throw ledgerError('LEDGER_UNKNOWN_ACCOUNT', key.merchant);
  } else if (key.merchant !== undefined || key.tillId !== undefined) {
    throw ledgerError('LEDGER_INVALID_ENTRY', 'only till keys name a merchant and tillId');
  }
}

function keyIdFromBase64(publicKeyBase64: string): string {
  return keyIdOf(Buffer.from(publicKeyBase64, 'base64'));
}

/** Checks that the postings are the ones this type of operation makes, beyond merely balancing. */
function checkPostingsShape(state: StateReader, body: EntryBody): void {
  switch (body.type) {
    case 'allowance.issue': {
      const debits = body.postings.filter((p) => p.amountCents < 0);
      const debit = debits[0];
      if (debits.length !== 1 || debit === undefined || kindOf(state, debit.account) !== 'fund' || debit.asset !== 'CCA') {
        throw ledgerError('LEDGER_BAD_POSTINGS', 'an allowance is one CCA debit of a fund and credits to households');
      }
      for (const p of body.postings) {
        if (p === debit) continue;
        if (kindOf(state, p.account) !== 'household' || p.asset !== 'CCA') throw ledgerError('LEDGER_BAD_POSTINGS', `allowance credit to ${p.account}`);
        if (state.allowanceIssued(body.period, p.account)) throw ledgerError('LEDGER_ALLOWANCE_ALREADY_ISSUED', `${p.account} for ${body.period}`);
      }
      return;
    }
    case 'payment': {
      expectPostings(body.postings, [
        { account: body.payer, asset: 'CCA', amountCents: -body.amountCents },
        { account: body.merchant, asset: 'CCA', amountCents: body.amountCents },
      ]);
      if (kindOf(state, body.payer) !== 'household') throw ledgerError('LEDGER_BAD_POSTINGS', `payer ${body.payer} is not a household`);
      if (kindOf(state, body.merchant) !== 'merchant') throw ledgerError('LEDGER_BAD_POSTINGS', `${body.merchant} is not a merchant`);
      if (body.basket.totalCents !== body.amountCents + body.basket.otherCents) {
        throw ledgerError('LEDGER_BASKET_MISMATCH', `basket total ${body.basket.totalCents} ≠ amount ${body.amountCents} + other ${body.basket.otherCents}`);
      }
      return;
    }
    case 'refund': {
      const payment = state.payment(body.payment);
      if (payment === undefined) throw ledgerError('LEDGER_UNKNOWN_PAYMENT', body.payment);
      expectPostings(body.postings, [
        { account: payment.merchant, asset: 'CCA', amountCents: -body.amountCents },
        { account: payment.payer, asset: 'CCA', amountCents: body.amountCents },
      ]);
      if (payment.refundedCents + body.amountCents > payment.amountCents) {
        throw ledgerError('LEDGER_REFUND_EXCEEDS_PAYMENT', `${payment.refundedCents} already refunded of ${payment.amountCents}`);
      }
      return;
    }
    case 'settlement': {
      const [fund, treasury] = [findKind(state, body.postings, 'fund'), findKind(state, body.postings, 'treasury')];
      expectPostings(body.postings, [
        { account: body.merchant, asset: 'CCA', amountCents: -body.amountCents },
        { account: fund, asset: 'CCA', amountCents: body.amountCents },
        { account: treasury, asset: 'MNK', amountCents: -body.amountCents },
        { account: body.merchant, asset: 'MNK', amountCents: body.amountCents },
      ]);
      if (kindOf(state, body.merchant) !== 'merchant') throw ledgerError('LEDGER_BAD_POSTINGS', `${body.merchant} is not a merchant`);
      return;
    }
    case 'moneko.issue':
    case 'moneko.redeem': {
      const reserve = findKind(state, body.postings, 'reserve');
      const other = body.postings.find((p) => p.account !== reserve);
      if (other === undefined) throw ledgerError('LEDGER_BAD_POSTINGS', 'no counterpart to the reserve');
      const sign = body.type === 'moneko.issue' ? 1 : -1;
      expectPostings(body.postings, [
        { account: reserve, asset: 'MNK', amountCents: -sign * body.amountCents },
        { account: other.account, asset: 'MNK', amountCents: sign * body.amountCents },
      ]);
      return;
    }
    case 'contribution': {
      if (kindOf(state, body.household) !== 'household') throw ledgerError('LEDGER_BAD_POSTINGS', `${body.household} is not a household`);
      expectPostings(body.postings, [
        { account: findKind(state, body.postings, 'reserve'), asset: 'MNK', amountCents: -body.amountCents },
        { account: findKind(state, body.postings, 'treasury'), asset: 'MNK', amountCents: body.amountCents },
      ]);
      return;
    }
    case 'transfer': {
      const [a, b] = body.postings;
      if (body.postings.length !== 2 || a === undefined || b === undefined || a.asset !== b.asset) {
        throw ledgerError('LEDGER_BAD_POSTINGS', 'a transfer moves one asset between two accounts');
      }
      for (const p of body.postings) {
        if (issuedAsset[kindOf(state, p.account)] !== undefined) throw ledgerError('LEDGER_BAD_POSTINGS', `issuer ${p.account} in a transfer`);
      }
      return;
    }
    case 'correction':
      if (!state.entryExists(body.corrects)) throw ledgerError('LEDGER_UNKNOWN_CORRECTED_ENTRY', body.corrects);
      return;
    default:
      throw ledgerError('LEDGER_BAD_POSTINGS', `${body.type} carries no postings`);
  }
}

function kindOf(state: StateReader, account: string): AccountKind {
  const found = state.account(account);
  if (found === undefined) throw ledgerError('LEDGER_UNKNOWN_ACCOUNT', account);
  return found.kind;
}

function findKind(state: StateReader, postings: readonly Posting[], kind: AccountKind): string {
  const prefix = `${accountPrefixByKind[kind]}:`;
  const found = postings.find((p) => p.account.startsWith(prefix));
  if (found === undefined) throw ledgerError('LEDGER_BAD_POSTINGS', `no ${kind} account among the postings`);
  kindOf(state, found.account);
  return found.account;
}

function postingKey(p: { account: string; asset: string; amountCents: number }): string {
  return `${p.account}|${p.asset}|${p.amountCents}`;
}

/**
 * The postings must be exactly these, in any order: each expected posting is matched with an equal one
 * not matched yet (an operation expects at most four, so pairwise comparison, no strings built).
 */
function expectPostings(actual: readonly Posting[], expected: readonly Posting[]): void {
  assert.ok(expected.length <= 31, 'matched through the bits of one number');
  let matched = 0;
  let all = actual.length === expected.length;
  for (let e = 0; all && e < expected.length; e++) {
    const want = expected[e];
    let found = -1;
    for (let k = 0; found < 0 && k < actual.length; k++) {
      const p = actual[k];
      if ((matched & (1 << k)) === 0 && p?.account === want?.account && p?.asset === want?.asset && p?.amountCents === want?.amountCents) found = k;
    }
    if (found < 0) all = false;
    else matched |= 1 << found;
  }
  if (!all) throw ledgerError('LEDGER_BAD_POSTINGS', `expected ${expected.map(postingKey).sort().join(', ')}`);
}

/** Up to this many postings, duplicates are found pairwise rather than through a set of keys. */
const pairwisePostingsMax = 8;

/** Double entry: sums are zero per asset; every account open, holding that asset, and not overdrawn. */
function checkBalances(state: StateReader, postings: readonly Posting[]): void {
  // Per asset, in locals: a Map per entry cost more than the sums.
  let ccaCents = 0;
  let mnkCents = 0;
  const seen = postings.length > pairwisePostingsMax ? new Set<string>() : undefined;
  for (let i = 0; i < postings.length; i++) {
    const p = postings[i];
    assert.ok(p !== undefined);
    let duplicate = seen?.has(`${p.account}|${p.asset}`) ?? false;
    for (let j = 0; seen === undefined && j < i; j++) if (postings[j]?.account === p.account && postings[j]?.asset === p.asset) duplicate = true;
    if (duplicate) throw ledgerError('LEDGER_DUPLICATE_POSTING', `${p.account}|${p.asset}`);
    seen?.add(`${p.account}|${p.asset}`);
    const asset: Asset = p.asset;
    switch (asset) {
      case 'CCA':
        ccaCents += p.amountCents;
        break;
      case 'MNK':
        mnkCents += p.amountCents;
        break;
      default: {
        const unknown: never = asset;
        throw ledgerError('LEDGER_INVALID_ENTRY', `asset ${String(unknown)}`);
      }
    }
  }
  if (ccaCents !== 0) throw ledgerError('LEDGER_UNBALANCED', `CCA sums to ${ccaCents}`);
  if (mnkCents !== 0) throw ledgerError('LEDGER_UNBALANCED', `MNK sums to ${mnkCents}`);
  for (const p of postings) {
    const account = state.account(p.account);
    if (account === undefined) throw ledgerError('LEDGER_UNKNOWN_ACCOUNT', p.account);
    if (account.closed) throw ledgerError('LEDGER_ACCOUNT_CLOSED', p.account);
    if (!heldAssets[account.kind].includes(p.asset)) throw ledgerError('LEDGER_ASSET_NOT_HELD', `${p.account} (${account.kind}) and ${p.asset}`);
    const after = state.balanceCents(p.account, p.asset) + p.amountCents;
    if (!Number.isSafeInteger(after)) throw ledgerError('LEDGER_AMOUNT_OUT_OF_RANGE', `${p.account} balance overflows`);
    if (after < 0 && issuedAsset[account.kind] !== p.asset) {
      throw ledgerError('LEDGER_OVERDRAFT', `${p.account}: ${state.balanceCents(p.account, p.asset)} ${p.asset} cents, needs ${-p.amountCents}`);
    }
  }
}

function write(state: LedgerState, body: EntryBody, index: number): void {
  // Checks that depend on no posting come first, then every write: nothing below may throw a result code.
  switch (body.type) {
    case 'ledger.genesis':
      if (new Set(body.keys.map((k) => k.keyId)).size !== body.keys.length) throw ledgerError('LEDGER_INVALID_ENTRY', 'the genesis registers a key twice');
      for (const key of body.keys) checkKeyRegistration(state, key);
      for (const key of body.keys) state.registerKey(toKeyState(key, index));
      return;
    case 'key.register':
      state.registerKey(toKeyState(body.key, index));
      return;
    case 'key.revoke':
      state.revokeKey(body.keyId, index);
      return;
    case 'account.open': {
      const a = body.account;
      if (state.account(a.id) !== undefined) throw ledgerError('LEDGER_ACCOUNT_EXISTS', a.id);
      if (!a.id.startsWith(`${accountPrefixByKind[a.kind]}:`)) throw ledgerError('LEDGER_INVALID_ENTRY', `a ${a.kind} account id starts with ${accountPrefixByKind[a.kind]}:`);
      if (a.kind === 'household' && a.label !== undefined) throw ledgerError('LEDGER_INVALID_ENTRY', 'household accounts carry no label: they are pseudonymous');
      state.openAccount({ id: a.id, kind: a.kind, territory: a.territory, label: a.label }, index);
      return;
    }
    case 'account.close': {
      const a = state.account(body.accountId);
      if (a === undefined) throw ledgerError('LEDGER_UNKNOWN_ACCOUNT', body.accountId);
      if (a.closed) throw ledgerError('LEDGER_ACCOUNT_CLOSED', body.accountId);
      for (const asset of heldAssets[a.kind]) {
        if (state.balanceCents(a.id, asset) !== 0) throw ledgerError('LEDGER_ACCOUNT_NOT_EMPTY', `${a.id} ${asset}`);
      }
      state.closeAccount(a.id, index);
      return;
    }
    case 'rules.publish':
      state.recordRules(body.territory, body.version, body.documentHash, index);
      return;
    default:
      break;
  }
  for (const p of body.postings) state.addBalance(p.account, p.asset, p.amountCents);
  if (body.type === 'allowance.issue') {
    for (const p of body.postings) if (p.amountCents > 0) state.recordAllowance(body.period, p.account, index);
  } else if (body.type === 'payment') {
    state.recordPayment({ id: body.id, payer: body.payer, merchant: body.merchant, amountCents: body.amountCents, refundedCents: 0 }, index);
  } else if (body.type === 'refund') {
    state.recordRefund(body.payment, body.amountCents);
  }
}
