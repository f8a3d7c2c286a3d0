import { readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { join } from 'node:path';
import { failure } from './fixture.js';
import { afterEach, describe, expect, it } from 'vitest';
import { accountOpenBody, transferBody } from '../../domain/entry/build.js';
import { signEntry } from '../../domain/entry/sign.js';
import { limits } from '../../domain/limits.js';
import { audit } from '../../ledger/audit/audit.js';
import { VerifierPool } from '../../ledger/crypto/verifier-pool.js';
import { vkey } from '../../ledger/formats/note.js';
import { createApp } from '../../ledger/http/app.js';
import { homeFiles, openLedger } from '../../ledger/home.js';
import { generateSigningKey, keyIdOf } from '../../domain/ed25519.js';
import { LedgerHarness, line } from '../ledger/harness.js';
import { appendReplayOf, buildFixture, rewriteLeaf, tamper, type AuditFixture } from './fixture.js';

let fixture: AuditFixture | undefined;
let server: Server | undefined;
afterEach(async () => {
  if (server !== undefined) {
    const s = server;
    await new Promise<void>((done) => s.close(() => done()));
    s.closeAllConnections();
  }
  server = undefined;
  fixture?.h.close();
  fixture = undefined;
});

/** Serves the fixture's ledger on 127.0.0.1 on a free port, in process, as `ledger serve` does. */
/** Serves `front` (a hostile server in front of the real API) and answers the audit's failure against it. */
async function auditThrough(front: express.Express) {
  const s = await new Promise<Server>((done) => {
    const listening = front.listen(0, '127.0.0.1', () => done(listening));
  });
  try {
    return await failure(audit({ url: `http://127.0.0.1:${(s.address() as AddressInfo).port}` }, { threads: 0 }));
  } finally {
    s.closeAllConnections();
    await new Promise<void>((done) => s.close(() => done()));
  }
}

async function serve(f: { readonly h: LedgerHarness }): Promise<string> {
  const app = createApp({ ledger: f.h.ledger, pool: new VerifierPool(0), ledgerPublicKey: f.h.ledgerKey.publicKey });
  const s = await new Promise<Server>((done, fail) => {
    const listening = app.listen(0, '127.0.0.1', (err?: Error) => (err ? fail(err) : done(listening)));
  });
  server = s;
  const address = s.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}


describe('audit over HTTP (--url)', () => {
  it('finds a signed payment the server appended twice, from the served log alone', async () => {
    fixture = await buildFixture();
    const again = appendReplayOf(fixture.h, fixture.paymentIndex);
    const url = await serve(fixture);
    const e = await failure(audit({ url }, { threads: 0 }));
    expect(e.code).toBe('AUDIT_DUPLICATE_ID');
    expect(e.index).toBe(again);
    expect(e.detail).toContain(`is already at index ${fixture.paymentIndex}`);
  });

  it('reads every page of the accounts list', async () => {
    const h = new LedgerHarness();
    try {
      const opened = h.ledger.appendGroup(
        Array.from({ length: limits.accountsPageMax + 50 }, (_, i) => ({
          entry: signEntry(accountOpenBody(h.common('open'), { id: `hh:page${String(i).padStart(6, '0')}`, kind: 'household', territory: 'nantes-ouest' }), [h.operator]),
        })),
      );
      expect(opened.every((o) => o.ok)).toBe(true);
      const url = await serve({ h });
      const report = await audit({ url }, { threads: 0 });
      expect(report.accounts).toBe(h.store.accounts().length);
      expect(report.accounts).toBeGreaterThan(limits.accountsPageMax);
    } finally {
      h.close();
    }
  });

  it('replays the clock window the genesis entry states, unless one is pinned', async () => {
    const h = new LedgerHarness({ clockWindowMs: 60_000 });
    const s = await h.shopAndMember();
    // Taken offline two minutes ago: outside this ledger's one-minute window, so flagged offline.
    const late = h.payment(s, [line('3760123450031', 250)], 1, true);
    h.nowMs += 120_000;
    expect((await h.ok(late.body, [s.till], late.basket)).flags).toEqual(['offline']);
    try {
      const url = await serve({ h });
      const report = await audit({ url }, { threads: 0 });
      expect(report.entries).toBe(h.ledger.treeSize());
      expect((await audit({ data: h.dir }, { threads: 0 })).entries).toBe(h.ledger.treeSize());
      // The window is signed into the log; ledger.json cannot drift from it.
      const configPath = join(h.dir, homeFiles.config);
      const config = readFileSync(configPath, 'utf8');
      writeFileSync(configPath, JSON.stringify({ ...(JSON.parse(config) as object), clockWindowMs: 300_000 }));
      expect(() => openLedger(h.dir)).toThrow(expect.objectContaining({ code: 'LEDGER_CONFIG_MISMATCH' }));
      writeFileSync(configPath, config);
      // With the default five minutes pinned, the same entry should not have been flagged.
      const pinned = await failure(audit({ url }, { threads: 0, clockWindowMs: 300_000 }));
      expect(pinned.code).toBe('AUDIT_FLAGS_MISMATCH');
    } finally {
      h.close();
    }
  });

  it('verifies a served ledger, with refunds looked up by id and proved by inclusion', async () => {
    fixture = await buildFixture();
    const url = await serve(fixture);
    const report = await audit({ url }, { threads: 0 });
    expect(report.mode).toBe('url');
    expect(report.entries).toBe(fixture.h.ledger.treeSize());
    expect(report.accounts).toBe(fixture.h.store.accounts().length);
  });

  it('checks a saved checkpoint with the server consistency proof, and pins the key with --vkey', async () => {
    fixture = await buildFixture(3);
    const { h } = fixture;
    const url = await serve(fixture);
    const pinned = vkey(h.ledger.origin, h.ledgerKey.publicKey);
    const first = await audit({ url }, { threads: 0, vkey: pinned });
    await h.ok(transferBody(h.common('move'), { from: 'hh:test0000001', to: 'hh:test0000002', asset: 'CCA', amountCents: 25, reason: 'Entraide' }), [h.operator]);
    const second = await audit({ url }, { threads: 0, vkey: pinned, savedCheckpoint: first.checkpoint.note });
    expect(second.savedCheckpointSize).toBe(first.checkpoint.size);
    expect(second.checkpoint.size).toBe(first.checkpoint.size + 1);
  });

  it('compares the served key registry and refunds with its replay', async () => {
    fixture = await buildFixture();
    const { h } = fixture;
    const url = await serve(fixture);
    const refunded = h.store.db.prepare('SELECT entry_id FROM payments WHERE refunded_cents > 0').pluck().get() as string;
    tamper(h.dir, (db) => db.prepare('UPDATE payments SET refunded_cents = 0 WHERE entry_id = ?').run(refunded));
    const refunds = await failure(audit({ url }, { threads: 0 }));
    expect(refunds.code).toBe('AUDIT_STATE_MISMATCH');
    expect(refunds.detail).toContain(refunded);
    tamper(h.dir, (db) => db.prepare('UPDATE payments SET refunded_cents = 100 WHERE entry_id = ?').run(refunded));
    await audit({ url }, { threads: 0 });
    // A key stored with another role than the log registered it with.
    const till = keyIdOf(fixture.till.publicKey);
    tamper(h.dir, (db) => db.prepare("UPDATE keys SET role = 'operator' WHERE key_id = ?").run(till));
    const keys = await failure(audit({ url }, { threads: 0 }));
    expect(keys.code).toBe('AUDIT_STATE_MISMATCH');
  });

  it('holds a server to its listing format: no endless pages, no more accounts than the log opened', async () => {
    fixture = await buildFixture();
    const f = fixture;
    const real = createApp({ ledger: f.h.ledger, pool: new VerifierPool(0), ledgerPublicKey: f.h.ledgerKey.publicKey });
    const hostile = async (listing: (after: string) => unknown) => {
      const front = express();
      front.get('/v1/accounts', (req, res) => {
        res.json(listing(String(req.query.after ?? '')));
      });
      front.use(real);
      return auditThrough(front);
    };
    // Empty pages that always promise another.
    let n = 0;
    const empty = await hostile(() => ({ accounts: [], next: `hh:z${String((n += 1)).padStart(8, '0')}` }));
    expect(empty.code).toBe('AUDIT_SOURCE_UNAVAILABLE');
    // Full pages of made-up accounts, for ever.
    const endless = await hostile((after) => {
      const start = after === '' ? 0 : Number(after.slice(4)) + 1;
      const accounts = Array.from({ length: 10 }, (_, i) => ({ id: `hh:x${String(start + i).padStart(8, '0')}`, kind: 'household', closed: false }));
      return { accounts, next: accounts[accounts.length - 1]?.id };
    });
    expect(endless.code).toBe('AUDIT_STATE_MISMATCH');
    expect(endless.detail).toContain('more accounts');
  });

  it('names a served log whose leaves come out of order, twice, or with one missing', async () => {
    fixture = await buildFixture();
    const f = fixture;
    const real = createApp({ ledger: f.h.ledger, pool: new VerifierPool(0), ledgerPublicKey: f.h.ledgerKey.publicKey });
    const serving = async (reorder: (rows: { index: number; entryId: string; leaf: string }[]) => unknown[]) => {
      const front = express();
      front.get('/v1/log/entries', (req, res) => {
        const rows = f.h.store.logRange(Number(req.query.start), Number(req.query.end)).map((r) => ({ index: r.index, entryId: r.entryId, leaf: Buffer.from(r.leaf).toString('base64') }));
        res.json({ entries: reorder(rows) });
      });
      front.use(real);
      return auditThrough(front);
    };
    const swapped = await serving((rows) => [rows[1], rows[0], ...rows.slice(2)]);
    expect(swapped.code).toBe('AUDIT_INDEX_MISMATCH');
    expect(swapped.index).toBe(0);
    const twice = await serving((rows) => [rows[0], rows[1], rows[1], ...rows.slice(2)]);
    expect(twice.code).toBe('AUDIT_INDEX_MISMATCH');
    expect(twice.index).toBe(2);
    const missing = await serving((rows) => [...rows.slice(0, 3), ...rows.slice(4)]);
    expect(missing.code).toBe('AUDIT_LOG_TRUNCATED');
    expect(missing.index).toBe(3);
  });

  it('refuses a server whose checkpoints another key signs than the pinned one', async () => {
    fixture = await buildFixture(1);
    const url = await serve(fixture);
    const e = await failure(audit({ url }, { threads: 0, vkey: vkey(fixture.h.ledger.origin, generateSigningKey().publicKey) }));
    expect(e.code).toBe('AUDIT_CHECKPOINT_INVALID');
  });

  it('refuses a served log cut back behind a checkpoint saved earlier', async () => {
    fixture = await buildFixture(2);
    const { h } = fixture;
    const url = await serve(fixture);
    const saved = (await audit({ url }, { threads: 0 })).checkpoint;
    const last = saved.size - 1;
    // The operator removes the last entry behind the server's back, everywhere it shows.
    tamper(h.dir, (db) => {
      db.prepare('DELETE FROM log WHERE idx = ?').run(last);
      db.prepare('DELETE FROM checkpoints WHERE size = ?').run(saved.size);
      db.prepare('DELETE FROM nodes WHERE (idx + 1) * (1 << level) = ?').run(saved.size);
    });
    const e = await failure(audit({ url }, { threads: 0, savedCheckpoint: saved.note }));
    expect(e.code).toBe('AUDIT_INCONSISTENT_CHECKPOINT');
    expect(e.size).toBe(saved.size);
  });

  it('names the entry whose amount was edited behind the server', async () => {
    fixture = await buildFixture();
    const { h, paymentIndex } = fixture;
    const url = await serve(fixture);
    tamper(h.dir, (db) =>
      rewriteLeaf(db, paymentIndex, (sealed) => (sealed.body.type === 'payment' ? { ...sealed, body: { ...sealed.body, amountCents: 1 } } : sealed)),
    );
    const e = await failure(audit({ url }, { threads: 0 }));
    expect(e.code).toBe('AUDIT_BAD_SIGNATURE');
    expect(e.index).toBe(paymentIndex);
  });

  it('follows a ledger that keeps appending while it is audited, and compares balances at a stable tree', async () => {
    fixture = await buildFixture(2);
    const { h } = fixture;
    const url = await serve(fixture);
    const sizeBefore = h.ledger.treeSize();
    let appended: Promise<unknown> | undefined;
    const report = await audit({ url }, {
      threads: 0,
      onProgress() {
        // A payment arrives while the audit is reading the log.
        appended ??= h.ok(transferBody(h.common('move'), { from: 'hh:test0000001', to: 'hh:test0000002', asset: 'CCA', amountCents: 5, reason: 'Entraide' }), [h.operator]);
      },
    });
    await appended;
    expect(h.ledger.treeSize()).toBe(sizeBefore + 1);
    expect(report.checkpoint.size).toBe(sizeBefore + 1);
    expect(report.entries).toBe(sizeBefore + 1);
  });

  it('answers an unreachable or malformed address with a code', async () => {
    const closed = await failure(audit({ url: 'http://127.0.0.1:9' }, { threads: 0 }));
    expect(closed.code).toBe('AUDIT_SOURCE_UNAVAILABLE');
    const https = await failure(audit({ url: 'ftp://127.0.0.1/' }, { threads: 0 }));
    expect(https.code).toBe('AUDIT_SOURCE_UNAVAILABLE');
  });
});
