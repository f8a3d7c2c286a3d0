import { AuditFailure } from '../../ledger/audit/failure.js';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { SigningKey } from '../../domain/ed25519.js';
import { correctionBody, refundBody } from '../../domain/entry/build.js';
import { canonicalBytes } from '../../domain/jcs.js';
import { decodeLeaf, type SealedEntry } from '../../ledger/formats/leaf.js';
import { homeFiles } from '../../ledger/home.js';
import { signCheckpoint } from '../../ledger/formats/checkpoint.js';
import { rootAt } from '../../ledger/merkle/subtree-root.js';
import { leafHash } from '../../ledger/merkle/rfc6962.js';
import { SqliteStore } from '../../ledger/store/sqlite-store.js';
import { appendLeafNodes } from '../../ledger/store/tree-nodes.js';
import { LedgerHarness, line } from '../ledger/harness.js';

/**
 * A small real ledger for the audit tests: a shop with a till, two households, payments, a refund and
 * a correction (so that the audit's look-ups by id run), on a temporary SQLite file.
 */
export interface AuditFixture {
  readonly h: LedgerHarness;
  readonly merchant: string;
  readonly household: string;
  readonly tillId: string;
  readonly till: SigningKey;
  /** Index of a payment in the log. */
  readonly paymentIndex: number;
  /** Index of a payment taken offline and accepted late (its leaf carries the offline flag). */
  readonly offlineIndex: number;
}

export async function buildFixture(payments = 6, allowanceCents = 20_000): Promise<AuditFixture> {
  const h = new LedgerHarness();
  const s = await h.shopAndMember(allowanceCents);
  await h.openHousehold('hh:test0000002');
  await h.allowance('2026-12', [{ household: 'hh:test0000002', amountCents: 5_000 }]);
  let paymentIndex = -1;
  let firstPayment = '';
  for (let i = 0; i < payments; i++) {
    const { body, basket } = h.payment(s, [line('3760123450017', 300 + 10 * i), line('3760123450024', 200, 100)], i + 1);
    const receipt = await h.ok(body, [s.till], basket);
    if (i === 0) firstPayment = body.id;
    if (i === 2) paymentIndex = receipt.index;
  }
  await h.ok(refundBody(h.common('refund'), { payment: firstPayment, payer: s.payer, merchant: s.merchant, tillId: s.tillId, amountCents: 100, reason: 'Produit abîmé' }), [s.till]);
  // A payment taken offline an hour ago, arriving now: the ledger flags it.
  const late = h.payment(s, [line('3760123450031', 250)], payments + 1, true);
  h.nowMs += 3600_000;
  const offlineIndex = (await h.ok(late.body, [s.till], late.basket)).index;
  await h.ok(
    correctionBody(h.common('fix'), {
      corrects: firstPayment,
      reason: 'Double passage',
      postings: [
        { account: s.merchant, asset: 'CCA', amountCents: -50 },
        { account: s.household, asset: 'CCA', amountCents: 50 },
      ],
    }),
    [h.operator],
  );
  return { h, merchant: s.merchant, household: s.household, tillId: s.tillId, till: s.till, paymentIndex, offlineIndex };
}

/** The attacker's view: the SQLite file opened directly, the append-only triggers dropped. */
export function tamper<T>(dir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(join(dir, homeFiles.database));
  try {
    for (const table of ['log', 'nodes', 'checkpoints', 'postings']) {
      db.exec(`DROP TRIGGER IF EXISTS ${table}_no_update; DROP TRIGGER IF EXISTS ${table}_no_delete;`);
    }
    return fn(db);
  } finally {
    db.close();
  }
}

/** Rewrites the leaf at `index` with `edit` applied, re-encoded canonically (so it still decodes). */
export function rewriteLeaf(db: Database.Database, index: number, edit: (sealed: SealedEntry) => SealedEntry): void {
  const row = db.prepare('SELECT leaf FROM log WHERE idx = ?').get(index) as { leaf: Buffer };
  const edited = edit(decodeLeaf(row.leaf));
  db.prepare('UPDATE log SET leaf = ? WHERE idx = ?').run(Buffer.from(canonicalBytes(edited)), index);
}

/** The AuditFailure a promise rejects with; anything else (or success) fails the test. */
export async function failure(promise: Promise<unknown>): Promise<AuditFailure> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof AuditFailure) return e;
    throw e;
  }
  throw new Error('expected the audit to fail');
}

/**
 * An insider's rewrite: the signed entry at `index` appended again at the end of the log (the same
 * body and signatures, so they verify), with its postings and balances, its tree nodes and a
 * checkpoint signed with the ledger's key. Everything is consistent but one thing: an entry id now
 * appears twice (for a payment: the household paid twice). The log table is rebuilt without its
 * unique index on the id first, as such an insider would. Returns the new entry's index.
 */
export function appendReplayOf(h: LedgerHarness, index: number): number {
  h.opened.close();
  tamper(h.dir, (db) =>
    db.exec(`CREATE TABLE log_copy (idx INTEGER PRIMARY KEY, entry_id TEXT NOT NULL, body_hash BLOB NOT NULL, type TEXT NOT NULL, ledger_time_ms INTEGER NOT NULL, leaf BLOB NOT NULL) STRICT;
      INSERT INTO log_copy SELECT * FROM log; DROP TABLE log; ALTER TABLE log_copy RENAME TO log;`),
  );
  const store = SqliteStore.open(join(h.dir, homeFiles.database));
  try {
    return store.transaction(() => {
      const row = store.logAt(index);
      if (row === undefined) throw new Error(`no entry at ${index}`);
      const sealed = decodeLeaf(row.leaf);
      const at = store.size();
      const leaf = canonicalBytes({ ...sealed, index: at });
      store.appendLeaf({ ...row, index: at, leaf });
      appendLeafNodes(store, at, leafHash(leaf));
      if ('postings' in sealed.body) {
        store.insertPostings(at, sealed.body.postings);
        for (const p of sealed.body.postings) store.addBalance(p.account, p.asset, p.amountCents);
      }
      const root = rootAt(at + 1, (level, i) => {
        const node = store.node(level, i);
        if (node === undefined) throw new Error(`no node ${level}/${i}`);
        return node;
      });
      const note = signCheckpoint({ origin: h.ledger.origin, size: at + 1, rootHash: root, extensions: [] }, h.ledgerKey);
      store.insertCheckpoint({ size: at + 1, root, note, signedAtMs: sealed.ledgerTimeMs });
      return at;
    });
  } finally {
    store.close();
    h.reopen();
  }
}
