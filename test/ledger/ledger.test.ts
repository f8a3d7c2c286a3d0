import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../domain/ed25519.js';
import {
  accountCloseBody,
  allowanceIssueBody,
  accountOpenBody,
  contributionBody,
  correctionBody,
  keyRegisterBody,
  keyRegistration,
  keyRevokeBody,
  monekoRedeemBody,
  refundBody,
  settlementBody,
  transferBody,
} from '../../domain/entry/build.js';
import { signEntry } from '../../domain/entry/sign.js';
import { entryFormatVersion, type EntryBody } from '../../domain/entry/schema.js';
import { Ledger } from '../../ledger/core/ledger.js';
import { SqliteStore, storeCacheLimits } from '../../ledger/store/sqlite-store.js';
import { schemaVersion } from '../../ledger/store/schema.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openLedger, standardAccounts } from '../../ledger/home.js';
import { VerifierPool } from '../../ledger/crypto/verifier-pool.js';
import { createApp } from '../../ledger/http/app.js';
import { decodeLeaf } from '../../ledger/formats/leaf.js';
import { verifyInclusion } from '../../ledger/merkle/inclusion.js';
import { openCheckpoint } from '../../ledger/formats/checkpoint.js';
import { ledgerError } from '../../ledger/errors.js';
import { CaisseError } from '../../domain/error-spec.js';
import { basketHashOfJson } from '../../domain/entry/basket.js';
import { canonicalJson } from '../../domain/jcs.js';
import { LedgerHarness, line } from './harness.js';

let h: LedgerHarness;
beforeEach(() => {
  h = new LedgerHarness();
});
afterEach(() => h.close());

describe('payments', () => {
  it('moves CCA from the household to the merchant and returns a verifiable receipt', async () => {
    const s = await h.shopAndMember();
    const { body, basket } = h.payment(s, [line('3760123450017', 1250), line('3760123450024', 890, 445)]);
    const receipt = await h.ok(body, [s.till], basket);
    expect(h.store.balanceCents(s.household, 'CCA')).toBe(15_000 - 1695);
    expect(h.store.balanceCents(s.merchant, 'CCA')).toBe(1695);
    expect(h.store.balanceCents(standardAccounts.fund, 'CCA')).toBe(-15_000);
    // The receipt proves inclusion against the signed checkpoint it carries.
    const cp = openCheckpoint(receipt.checkpoint, { name: h.ledger.origin, publicKey: h.ledgerKey.publicKey }).checkpoint;
    expect(cp.size).toBe(receipt.treeSize);
    verifyInclusion(
      Buffer.from(receipt.leafHash, 'base64'),
      receipt.index,
      receipt.treeSize,
      receipt.inclusionProof.map((p) => Buffer.from(p, 'base64')),
      cp.rootHash,
    );
    // The leaf holds the body as signed, and no basket lines: only their salted hash.
    const leaf = h.store.logAt(receipt.index)?.leaf;
    expect(leaf).toBeDefined();
    const sealed = decodeLeaf(leaf as Uint8Array);
    expect(sealed.body).toEqual(body);
    expect(Buffer.from(leaf as Uint8Array).toString()).not.toContain('3760123450024');
    expect(h.store.basket(body.id)?.content).toContain('3760123450024');
  });

  it('refuses an overdraft and changes nothing', async () => {
    const s = await h.shopAndMember(1000);
    const size = h.ledger.treeSize();
    const { body, basket } = h.payment(s, [line('3760123450017', 1001)]);
    expect(await h.code(body, [s.till], basket)).toBe('LEDGER_OVERDRAFT');
    expect(h.ledger.treeSize()).toBe(size);
    expect(h.store.balanceCents(s.household, 'CCA')).toBe(1000);
  });

  it('is idempotent: the same id and body twice returns the first receipt; another body is refused', async () => {
    const s = await h.shopAndMember();
    const { body, basket } = h.payment(s, [line('3760123450017', 500)]);
    const first = await h.ok(body, [s.till], basket);
    const again = await h.ok(body, [s.till], basket);
    expect(again.index).toBe(first.index);
    expect(again.leafHash).toBe(first.leafHash);
    expect(again.replayed).toBe(true);
    expect(h.store.balanceCents(s.household, 'CCA')).toBe(14_500);
    const other = h.payment(s, [line('3760123450017', 600)]);
    expect(await h.code({ ...other.body, id: body.id }, [s.till], other.basket)).toBe('LEDGER_ID_CONFLICT');
  });

  it('keeps beside the log the very text its basket hash covers, whatever order the lines came in', async () => {
    const s = await h.shopAndMember();
    const { body, basket } = h.payment(s, [line('3760123450017', 500), { ...line('3760123450024', 1250, 625), weightGrams: 1250 }]);
    // The same lines with their keys in reverse order, as a client may send them.
    const reversed = basket.lines.map((l) => Object.fromEntries(Object.entries(l).reverse()) as typeof l);
    await h.ok(body, [s.till], { ...basket, lines: reversed });
    const stored = h.store.basket(body.id);
    expect(stored?.content).toBe(canonicalJson({ tier: basket.tier, lines: basket.lines }));
    expect(basketHashOfJson(stored?.salt ?? '', stored?.content ?? '')).toBe(body.basket.hash);
  });

  it('checks the basket against its hash and the amounts', async () => {
    const s = await h.shopAndMember();
    const { body, basket } = h.payment(s, [line('3760123450017', 500)]);
    expect(await h.code(body, [s.till])).toBe('LEDGER_BASKET_MISMATCH');
    expect(await h.code(body, [s.till], { ...basket, lines: [line('3760123450017', 400)] })).toBe('LEDGER_BASKET_MISMATCH');
    const lying = { ...body, amountCents: 400, postings: [
      { account: s.household, asset: 'CCA' as const, amountCents: -400 },
      { account: s.merchant, asset: 'CCA' as const, amountCents: 400 },
    ] };
    expect(await h.code(lying, [s.till], basket)).toBe('LEDGER_BASKET_MISMATCH');
  });

  it('binds a till key to its merchant and till', async () => {
    const s = await h.shopAndMember();
    await h.openMerchant('shop:autre-boutique', 'Autre boutique');
    const { body, basket } = h.payment({ ...s, merchant: 'shop:autre-boutique' }, [line('3760123450017', 500)]);
    expect(await h.code(body, [s.till], basket)).toBe('LEDGER_TILL_MISMATCH');
    const operatorSigned = h.payment(s, [line('3760123450017', 500)]);
    expect(await h.code(operatorSigned.body, [h.operator], operatorSigned.basket)).toBe('LEDGER_NOT_AUTHORISED');
  });

  it('refuses a bad signature, an unknown key and a revoked key', async () => {
    const s = await h.shopAndMember();
    const { body, basket } = h.payment(s, [line('3760123450017', 500)]);
    const signed = signEntry(body, [s.till]);
    const tampered = { ...signed, body: { ...body, ticket: 2 } };
    const bad = await h.ledger.submit({ entry: tampered, basket });
    expect(bad.ok ? 'OK' : bad.error.code).toBe('LEDGER_BAD_SIGNATURE');
    expect(await h.code(body, [generateSigningKey()], basket)).toBe('LEDGER_UNKNOWN_KEY');
    await h.ok(keyRevokeBody(h.common(), signed.signatures[0]?.keyId ?? '', 'caisse volée'), [h.operator]);
    expect(await h.code(body, [s.till], basket)).toBe('LEDGER_KEY_REVOKED');
  });

  it('refuses entries far outside the clock window, but flags late offline till entries', async () => {
    const s = await h.shopAndMember();
    const late = h.payment(s, [line('3760123450017', 500)]);
    const lateBody = { ...late.body, createdAtMs: h.nowMs - 3 * 3600_000 };
    expect(await h.code(lateBody, [s.till], late.basket)).toBe('LEDGER_CLOCK_SKEW');
    const offline = h.payment(s, [line('3760123450017', 500)], 2, true);
    const receipt = await h.ok({ ...offline.body, createdAtMs: h.nowMs - 3 * 3600_000 }, [s.till], offline.basket);
    expect(receipt.flags).toEqual(['offline']);
    const future = h.payment(s, [line('3760123450017', 500)], 3, true);
    expect(await h.code({ ...future.body, createdAtMs: h.nowMs + 3 * 3600_000 }, [s.till], future.basket)).toBe('LEDGER_CLOCK_SKEW');
  });
});

describe('the other operations', () => {
  it('refunds up to the payment and no further', async () => {
    const s = await h.shopAndMember();
    const { body, basket } = h.payment(s, [line('3760123450017', 1000)]);
    await h.ok(body, [s.till], basket);
    const refund = (amountCents: number) =>
      refundBody(h.common('refund'), { payment: body.id, payer: s.household, merchant: s.merchant, tillId: s.tillId, amountCents, reason: 'produit abîmé' });
    await h.ok(refund(600), [s.till]);
    expect(await h.code(refund(401), [s.till])).toBe('LEDGER_REFUND_EXCEEDS_PAYMENT');
    const otherTill = refundBody(h.common('refund'), { payment: body.id, payer: s.household, merchant: s.merchant, tillId: 'epicerie-test-2', amountCents: 1, reason: 'mauvaise caisse' });
    expect(await h.code(otherTill, [s.till])).toBe('LEDGER_TILL_MISMATCH');
    await h.ok(refund(400), [s.till]);
    expect(h.store.balanceCents(s.household, 'CCA')).toBe(15_000);
    expect(await h.code(refundBody(h.common(), { payment: 'pay-unknown-1', payer: s.household, merchant: s.merchant, tillId: s.tillId, amountCents: 1, reason: 'x' }), [s.till])).toBe('LEDGER_UNKNOWN_PAYMENT');
  });

  it('finds a payment by id through the log: refunded in the same group, and never another entry under its id', async () => {
    const s = await h.shopAndMember();
    const { body, basket } = h.payment(s, [line('3760123450017', 1000)]);
    const refund = refundBody(h.common('refund'), { payment: body.id, payer: s.household, merchant: s.merchant, tillId: s.tillId, amountCents: 250, reason: 'produit abîmé' });
    const [paid, refunded] = await Promise.all([h.submit(body, [s.till], basket), h.submit(refund, [s.till])]);
    expect(paid?.ok && refunded?.ok && paid.receipt.treeSize === refunded.receipt.treeSize).toBe(true);
    expect(h.store.payment(body.id)?.refundedCents).toBe(250);
    expect(h.store.refundedPayments()).toEqual(new Map([[body.id, 250]]));
    expect(h.store.basket(body.id)?.content).toContain('3760123450017');
    // The refund's own id, and the allowance that credited the household, are in the log but are no payments.
    const allowance = h.store.logAt(h.ledger.treeSize() - 3);
    expect(allowance?.type).toBe('allowance.issue');
    for (const notAPayment of [refund.id, allowance?.entryId ?? '']) {
      expect(h.store.payment(notAPayment)).toBeUndefined();
      expect(h.store.basket(notAPayment)).toBeUndefined();
      const wrong = refundBody(h.common('refund'), { payment: notAPayment, payer: s.household, merchant: s.merchant, tillId: s.tillId, amountCents: 1, reason: 'x' });
      expect(await h.code(wrong, [s.till])).toBe('LEDGER_UNKNOWN_PAYMENT');
    }
  });

  it('settles a merchant: CCA retired and MNK paid in one entry, never more MNK than the treasury holds', async () => {
    const s = await h.shopAndMember();
    const { body, basket } = h.payment(s, [line('3760123450017', 5000)]);
    await h.ok(body, [s.till], basket);
    const settle = () => settlementBody(h.common('settle'), { merchant: s.merchant, fund: standardAccounts.fund, treasury: standardAccounts.treasury, period: '2026-11', amountCents: 5000 });
    expect(await h.code(settle(), [h.operator])).toBe('LEDGER_OVERDRAFT');
    await h.fundTreasury(3000);
    await h.ok(contributionBody(h.common('contrib'), { household: s.household, period: '2026-11', amountCents: 2000, reference: 'prélèvement', reserve: standardAccounts.reserve, treasury: standardAccounts.treasury }), [h.operator]);
    await h.ok(settle(), [h.operator]);
    expect(h.store.balanceCents(s.merchant, 'CCA')).toBe(0);
    expect(h.store.balanceCents(s.merchant, 'MNK')).toBe(5000);
    expect(h.store.balanceCents(standardAccounts.treasury, 'MNK')).toBe(0);
    await h.ok(monekoRedeemBody(h.common('redeem'), { reserve: standardAccounts.reserve, from: s.merchant, amountCents: 5000, reference: 'conversion en euros' }), [h.moneko]);
    expect(h.store.balanceCents(standardAccounts.reserve, 'MNK')).toBe(0);
    expect(await h.code(monekoRedeemBody(h.common('redeem'), { reserve: standardAccounts.reserve, from: s.merchant, amountCents: 1, reference: 'x' }), [h.operator])).toBe('LEDGER_NOT_AUTHORISED');
  });

  it('pages an account statement without ever splitting an entry', async () => {
    const s = await h.shopAndMember();
    for (const ticket of [1, 2]) {
      const { body, basket } = h.payment(s, [line('3760123450017', 1000 * ticket)], ticket);
      await h.ok(body, [s.till], basket);
    }
    await h.fundTreasury(3000);
    await h.ok(settlementBody(h.common('settle'), { merchant: s.merchant, fund: standardAccounts.fund, treasury: standardAccounts.treasury, period: '2026-11', amountCents: 3000 }), [h.operator]);
    const { body, basket } = h.payment(s, [line('3760123450017', 500)], 3);
    await h.ok(body, [s.till], basket);
    const all = h.store.statement(s.merchant, 0, 1000);
    expect(all.next).toBeUndefined();
    // Payment, payment, settlement (CCA and MNK under one index), payment.
    expect(all.lines.map((l) => l.asset)).toEqual(['CCA', 'CCA', 'CCA', 'MNK', 'CCA']);
    for (let limit = 1; limit <= 6; limit++) {
      const pages: { index: number }[][] = [];
      let from: number | undefined = 0;
      while (from !== undefined) {
        const page = h.store.statement(s.merchant, from, limit);
        expect(page.lines.length).toBeGreaterThan(0);
        expect(page.lines.length).toBeLessThanOrEqual(Math.max(limit, 2));
        pages.push(page.lines);
        from = page.next;
      }
      expect(pages.flat()).toEqual(all.lines);
      const indexes = pages.map((page) => new Set(page.map((l) => l.index)));
      indexes.forEach((mine, i) => indexes.forEach((theirs, j) => i !== j && [...mine].forEach((index) => expect(theirs.has(index)).toBe(false))));
    }
  });

  it('issues an allowance once per household and period', async () => {
    const s = await h.shopAndMember();
    await h.openHousehold('hh:test0000002');
    expect(await h.code((await import('../../domain/entry/build.js')).allowanceIssueBody(h.common(), standardAccounts.fund, '2026-11', [
      { household: 'hh:test0000002', amountCents: 10_000 },
      { household: s.household, amountCents: 5000 },
    ]), [h.operator])).toBe('LEDGER_ALLOWANCE_ALREADY_ISSUED');
    expect(h.store.balanceCents('hh:test0000002', 'CCA')).toBe(0);
    await h.allowance('2026-12', [{ household: 'hh:test0000002', amountCents: 10_000 }, { household: s.household, amountCents: 5000 }]);
    expect(h.store.balanceCents(s.household, 'CCA')).toBe(20_000);
  });

  it('corrects with a compensating entry, and closes only empty accounts', async () => {
    const s = await h.shopAndMember();
    await h.openHousehold('hh:test0000002');
    const wrong = transferBody(h.common('transfer'), { from: s.household, to: 'hh:test0000002', asset: 'CCA', amountCents: 2500, reason: 'erreur de foyer' });
    await h.ok(wrong, [h.operator]);
    expect(await h.code(accountCloseBody(h.common(), 'hh:test0000002', 'départ'), [h.operator])).toBe('LEDGER_ACCOUNT_NOT_EMPTY');
    await h.ok(correctionBody(h.common('fix'), { corrects: wrong.id, reason: 'annule le virement', postings: [
      { account: 'hh:test0000002', asset: 'CCA', amountCents: -2500 },
      { account: s.household, asset: 'CCA', amountCents: 2500 },
    ] }), [h.committee]);
    await h.ok(accountCloseBody(h.common(), 'hh:test0000002', 'départ'), [h.operator]);
    expect(await h.code(transferBody(h.common(), { from: s.household, to: 'hh:test0000002', asset: 'CCA', amountCents: 1, reason: 'x' }), [h.operator])).toBe('LEDGER_ACCOUNT_CLOSED');
  });

  it('refuses unbalanced, duplicated and misplaced postings', async () => {
    const s = await h.shopAndMember();
    await h.openHousehold('hh:test0000002');
    const base = correctionBody(h.common(), { corrects: 'genesis-0000', reason: 'test', postings: [
      { account: s.household, asset: 'CCA', amountCents: -100 },
      { account: 'hh:test0000002', asset: 'CCA', amountCents: 99 },
    ] });
    expect(await h.code(base, [h.operator])).toBe('LEDGER_UNBALANCED');
    expect(await h.code({ ...base, id: h.nextId(), postings: [
      { account: s.household, asset: 'CCA', amountCents: -100 },
      { account: s.household, asset: 'CCA', amountCents: 100 },
    ] }, [h.operator])).toBe('LEDGER_DUPLICATE_POSTING');
    expect(await h.code({ ...base, id: h.nextId(), postings: [
      { account: s.household, asset: 'MNK', amountCents: -100 },
      { account: 'hh:test0000002', asset: 'MNK', amountCents: 100 },
    ] }, [h.operator])).toBe('LEDGER_ASSET_NOT_HELD');
    expect(await h.code({ ...base, id: h.nextId(), postings: [
      { account: 'hh:nobody00000', asset: 'CCA', amountCents: -100 },
      { account: 'hh:test0000002', asset: 'CCA', amountCents: 100 },
    ] }, [h.operator])).toBe('LEDGER_UNKNOWN_ACCOUNT');
    expect(await h.code(transferBody(h.common(), { from: standardAccounts.fund, to: s.household, asset: 'CCA', amountCents: 100, reason: 'x' }), [h.operator])).toBe('LEDGER_BAD_POSTINGS');
    // Both assets off balance: one code, the first asset named.
    expect(await h.code({ ...base, id: h.nextId(), postings: [
      { account: s.household, asset: 'CCA', amountCents: -100 },
      { account: 'hh:test0000002', asset: 'CCA', amountCents: 99 },
      { account: 'shop:epicerie-test', asset: 'MNK', amountCents: 5 },
    ] }, [h.operator])).toBe('LEDGER_UNBALANCED');
  });

  it('finds a duplicated posting among many (an allowance batch past the pairwise comparison)', async () => {
    await h.shopAndMember();
    const households = Array.from({ length: 12 }, (_, i) => `hh:batch${String(i).padStart(6, '0')}`);
    for (const id of households) await h.openHousehold(id);
    const credits = households.map((household) => ({ household, amountCents: 1_000 }));
    const twice = [...credits, { household: households[3] ?? '', amountCents: 1_000 }];
    expect(await h.code(allowanceIssueBody(h.common(), standardAccounts.fund, '2026-12', twice), [h.operator])).toBe('LEDGER_DUPLICATE_POSTING');
    await h.ok(allowanceIssueBody(h.common(), standardAccounts.fund, '2026-12', credits), [h.operator]);
  });

  it('lets only the committee register operator keys, and keeps household accounts anonymous', async () => {
    const k = generateSigningKey();
    expect(await h.code(keyRegisterBody(h.common(), keyRegistration(k.publicKey, 'operator')), [h.operator])).toBe('LEDGER_NOT_AUTHORISED');
    await h.ok(keyRegisterBody(h.common(), keyRegistration(k.publicKey, 'operator')), [h.committee]);
    expect(await h.code(accountOpenBody(h.common(), { id: 'hh:named000001', kind: 'household', label: 'Famille Martin' }), [k])).toBe('LEDGER_INVALID_ENTRY');
    expect(await h.code(accountOpenBody(h.common(), { id: 'shop:wrong-kind', kind: 'household' }), [k])).toBe('LEDGER_INVALID_ENTRY');
  });
});

describe('group commit and restart', () => {
  it('seals concurrent submissions under one checkpoint and keeps everything across a reopen', async () => {
    const s = await h.shopAndMember(100_000);
    const before = h.store.latestCheckpoint()?.size ?? 0;
    const payments = Array.from({ length: 50 }, (_, i) => h.payment(s, [line('3760123450017', 100 + i)], i + 1));
    const outcomes = await Promise.all(payments.map((p) => h.submit(p.body, [s.till], p.basket)));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const sizes = new Set(outcomes.map((o) => (o.ok ? o.receipt.treeSize : 0)));
    expect(sizes.size).toBe(1);
    expect([...sizes][0]).toBe(before + 50);
    const balance = h.store.balanceCents(s.household, 'CCA');
    h.reopen();
    expect(h.ledger.treeSize()).toBe(before + 50);
    expect(h.store.balanceCents(s.household, 'CCA')).toBe(balance);
    // Still appends on top after the restart, with a consistent checkpoint.
    const next = h.payment(s, [line('3760123450017', 100)], 51);
    expect((await h.ok(next.body, [s.till], next.basket)).index).toBe(before + 50);
  });

  it('refuses an entry alone when its checks fail, and rolls the whole group back if one ever failed after writing', async () => {
    const s = await h.shopAndMember(1_000);
    const size = h.ledger.treeSize();
    const good = h.payment(s, [line('3760123450017', 100)], 1);
    const overdraft = h.payment(s, [line('3760123450017', 5_000)], 2);
    const outcomes = await Promise.all([h.submit(good.body, [s.till], good.basket), h.submit(overdraft.body, [s.till], overdraft.basket)]);
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual(['ok', 'LEDGER_OVERDRAFT']);
    expect(h.ledger.treeSize()).toBe(size + 1);
    // Every check comes before the first write (apply.ts): simulate a bug that breaks that order.
    const store = h.store;
    const insertPostings = store.insertPostings.bind(store);
    store.insertPostings = (index, postings) => {
      insertPostings(index, postings);
      throw ledgerError('LEDGER_OVERDRAFT', 'refused after writing');
    };
    const next = [h.payment(s, [line('3760123450017', 100)], 3), h.payment(s, [line('3760123450017', 100)], 4)];
    const broken = await Promise.all(next.map((p) => h.submit(p.body, [s.till], p.basket)));
    expect(broken.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual(['LEDGER_INTERNAL', 'LEDGER_INTERNAL']);
    store.insertPostings = insertPostings;
    // Nothing of that group was kept: not its leaves, postings or balances; the ledger goes on.
    expect(h.ledger.treeSize()).toBe(size + 1);
    expect(store.db.prepare('SELECT COUNT(*) FROM log').pluck().get()).toBe(size + 1);
    expect(store.balanceCents(s.household, 'CCA')).toBe(900);
    const again = await Promise.all(next.map((p) => h.submit(p.body, [s.till], p.basket)));
    expect(again.every((o) => o.ok)).toBe(true);
    expect(store.balanceCents(s.household, 'CCA')).toBe(700);
  });

  it('serves what another process appended to the same directory, without waiting for a group of its own', async () => {
    const s = await h.shopAndMember(5_000);
    await h.openHousehold('hh:test0000002');
    const app = createApp({ ledger: h.ledger, pool: new VerifierPool(0), ledgerPublicKey: h.ledgerKey.publicKey });
    const server = await new Promise<Server>((done) => {
      const listening = app.listen(0, '127.0.0.1', () => done(listening));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const other = openLedger(h.dir, { nowMs: () => h.nowMs });
    try {
      const balance = async (id: string) => ((await (await fetch(`${url}/v1/accounts/${id}`)).json()) as { balances: { CCA: number } }).balances.CCA;
      expect(await balance(s.household)).toBe(5_000);
      // An operator's command on the same directory: another ledger object, as another process has.
      const moved = other.ledger.appendGroup([{ entry: signEntry(transferBody(h.common('move'), { from: s.household, to: 'hh:test0000002', asset: 'CCA', amountCents: 1_200, reason: 'Entraide' }), [h.operator]) }]);
      expect(moved[0]?.ok).toBe(true);
      expect(await balance(s.household)).toBe(3_800);
      expect(await balance('hh:test0000002')).toBe(1_200);
      const health = (await (await fetch(`${url}/v1/health`)).json()) as { treeSize: number };
      expect(health.treeSize).toBe(other.ledger.treeSize());
      // And this ledger appends on top of it.
      const { body, basket } = h.payment(s, [line('3760123450017', 300)], 1);
      expect((await h.ok(body, [s.till], basket)).index).toBe(other.ledger.treeSize());
    } finally {
      other.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    }
  });

  it('forbids UPDATE and DELETE on the log tables', async () => {
    await h.shopAndMember();
    expect(() => h.store.db.prepare('UPDATE log SET type = ? WHERE idx = 0').run('x')).toThrow(/append-only/);
    expect(() => h.store.db.prepare('DELETE FROM nodes').run()).toThrow(/append-only/);
    expect(() => h.store.db.prepare('DELETE FROM checkpoints').run()).toThrow(/append-only/);
    expect(() => h.store.db.prepare('UPDATE postings SET amount_cents = 0').run()).toThrow(/append-only/);
    expect(h.store.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(h.store.db.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('refuses a database of another schema version, for reading too, and leaves it as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'caisse-schema-'));
    try {
      const path = join(dir, 'ledger.sqlite');
      SqliteStore.open(path, { create: true }).close();
      const fresh = new Database(path, { readonly: true });
      expect(fresh.prepare("SELECT value FROM meta WHERE name = 'schemaVersion'").pluck().get()).toBe(String(schemaVersion));
      fresh.close();
      // A ledger of schema 1, whose payments and baskets were keyed by entry id: its tables would not
      // even let this version prepare its statements.
      const old = join(dir, 'old.sqlite');
      const db = new Database(old);
      db.exec(`CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
        INSERT INTO meta (name, value) VALUES ('schemaVersion', '1');
        CREATE TABLE payments (entry_id TEXT PRIMARY KEY, idx INTEGER NOT NULL, payer TEXT NOT NULL, merchant TEXT NOT NULL, amount_cents INTEGER NOT NULL, refunded_cents INTEGER NOT NULL) STRICT;
        CREATE TABLE baskets (entry_id TEXT PRIMARY KEY, salt TEXT, content TEXT, erased_at_ms INTEGER) STRICT;`);
      const tables = () => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
      const before = tables();
      for (const readonly of [false, true]) {
        let refused: unknown;
        try {
          SqliteStore.open(old, { readonly }).close();
        } catch (e) {
          refused = e;
        }
        expect(refused).toBeInstanceOf(CaisseError);
        expect(refused instanceof CaisseError ? `${refused.code} ${refused.detail}` : '').toBe(`LEDGER_SCHEMA_MISMATCH database schema 1, this program reads ${schemaVersion}`);
      }
      expect(tables()).toEqual(before);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the genesis entry', () => {
  it('is refused when it registers a key twice, names another origin or another clock window', () => {
    const dir = mkdtempSync(join(tmpdir(), 'caisse-genesis-'));
    const store = SqliteStore.open(join(dir, 'ledger.sqlite'), { create: true });
    try {
      const key = generateSigningKey();
      const ledger = new Ledger(store, key, { origin: 'caisse.example/test', clockWindowMs: 60_000, nowMs: () => 1_795_428_000_000 });
      const genesis = (over: Record<string, unknown>, keys = [keyRegistration(key.publicKey, 'ledger')]) => ({
        entry: signEntry({ v: entryFormatVersion, id: 'genesis-0000', type: 'ledger.genesis', createdAtMs: 1_795_428_000_000, origin: 'caisse.example/test', clockWindowMs: 60_000, keys, ...over } as EntryBody, [key]),
      });
      const codes = (s: ReturnType<typeof genesis>) => ledger.appendGroup([s]).map((o) => (o.ok ? 'ok' : o.error.code));
      expect(codes(genesis({}, [keyRegistration(key.publicKey, 'ledger'), keyRegistration(key.publicKey, 'ledger')]))).toEqual(['LEDGER_INVALID_ENTRY']);
      expect(codes(genesis({ origin: 'autre.example/test' }))).toEqual(['LEDGER_GENESIS']);
      expect(codes(genesis({ clockWindowMs: undefined }))).toEqual(['LEDGER_GENESIS']);
      expect(ledger.treeSize()).toBe(0);
      expect(codes(genesis({}))).toEqual(['ok']);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the store’s caches', () => {
  it('keeps a bounded number of territories, asked for by any name (GET /v1/rules/:territory)', () => {
    for (let i = 0; i < 3 * storeCacheLimits.territoriesMax; i++) expect(h.store.latestRules(`territoire-${i}-${'x'.repeat(200)}`)).toBeUndefined();
    const cached = (h.store as unknown as { rulesCache: Map<string, unknown> }).rulesCache;
    expect(cached.size).toBeLessThanOrEqual(storeCacheLimits.territoriesMax);
  });
});
