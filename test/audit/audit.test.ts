import { failure } from './fixture.js';
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CaisseError } from '../../domain/error-spec.js';
import { audit } from '../../ledger/audit/audit.js';
import { auditLimits } from '../../ledger/audit/limits.js';
import { leafHash } from '../../ledger/merkle/rfc6962.js';
import { homeFiles, openLedger } from '../../ledger/home.js';
import { signCheckpoint } from '../../ledger/formats/checkpoint.js';
import { vkey } from '../../ledger/formats/note.js';
import { signEntry } from '../../domain/entry/sign.js';
import { paymentBody, transferBody } from '../../domain/entry/build.js';
import { line } from '../ledger/harness.js';
import { appendReplayOf, buildFixture, rewriteLeaf, tamper, type AuditFixture } from './fixture.js';

let fixture: AuditFixture | undefined;
const extraDirs: string[] = [];
afterEach(() => {
  fixture?.h.close();
  fixture = undefined;
  for (const dir of extraDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});


describe('audit of a local ledger', () => {
  it('verifies a clean ledger: every entry, the signed root, the stored state', async () => {
    fixture = await buildFixture();
    const { h } = fixture;
    const report = await audit({ data: h.dir }, { threads: 0 });
    const latest = h.store.latestCheckpoint();
    expect(report.entries).toBe(h.ledger.treeSize());
    expect(report.checkpoint.size).toBe(latest?.size);
    expect(report.checkpoint.rootBase64).toBe(Buffer.from(latest?.root ?? []).toString('base64'));
    expect(report.accounts).toBe(h.store.accounts().length);
    // One group commit per submission here, so one stored checkpoint per entry after genesis' group.
    expect(report.storedCheckpointsVerified).toBeGreaterThan(5);
  });

  it('names the entry whose amount was edited in the SQLite file (bad signature)', async () => {
    fixture = await buildFixture();
    const { h, paymentIndex } = fixture;
    tamper(h.dir, (db) =>
      rewriteLeaf(db, paymentIndex, (sealed) => {
        if (sealed.body.type !== 'payment') throw new Error('fixture: not a payment');
        const body = { ...sealed.body, amountCents: sealed.body.amountCents - 100 };
        return { ...sealed, body };
      }),
    );
    const e = await failure(audit({ data: h.dir }, { threads: 0 }));
    expect(e.code).toBe('AUDIT_BAD_SIGNATURE');
    expect(e.index).toBe(paymentIndex);
    expect(e.localized('fr')).toContain(`index ${paymentIndex}`);
  });

  it('names the entry whose signature was replaced', async () => {
    fixture = await buildFixture();
    const { h, paymentIndex } = fixture;
    tamper(h.dir, (db) =>
      rewriteLeaf(db, paymentIndex, (sealed) => {
        // A real signature by the same till, over another body.
        const other = signEntry({ ...sealed.body, id: 'other-entry-id' }, [h.operator]).signatures[0];
        if (other === undefined) throw new Error('unreachable');
        return { ...sealed, signatures: sealed.signatures.map((s) => ({ ...s, signature: other.signature })) };
      }),
    );
    const e = await failure(audit({ data: h.dir }, { threads: 0 }));
    expect(e.code).toBe('AUDIT_BAD_SIGNATURE');
    expect(e.index).toBe(paymentIndex);
  });

  it('names the account whose stored balance was edited', async () => {
    fixture = await buildFixture();
    const { h, household } = fixture;
    tamper(h.dir, (db) => db.prepare("UPDATE balances SET balance_cents = balance_cents + 500 WHERE account = ? AND asset = 'CCA'").run(household));
    const e = await failure(audit({ data: h.dir }, { threads: 0 }));
    expect(e.code).toBe('AUDIT_BALANCE_MISMATCH');
    expect(e.account).toBe(household);
  });

  it('finds a deleted last leaf: the log is shorter than its signed checkpoint', async () => {
    fixture = await buildFixture();
    const { h } = fixture;
    const last = h.ledger.treeSize() - 1;
    tamper(h.dir, (db) => db.prepare('DELETE FROM log WHERE idx = ?').run(last));
    const e = await failure(audit({ data: h.dir }, { threads: 0 }));
    expect(e.code).toBe('AUDIT_LOG_TRUNCATED');
    expect(e.index).toBe(last);
  });

  it('names a leaf whose index field was edited', async () => {
    fixture = await buildFixture();
    const { h, paymentIndex } = fixture;
    tamper(h.dir, (db) => rewriteLeaf(db, paymentIndex, (sealed) => ({ ...sealed, index: sealed.index + 1 })));
    const e = await failure(audit({ data: h.dir }, { threads: 0 }));
    expect(e.code).toBe('AUDIT_INDEX_MISMATCH');
    expect(e.index).toBe(paymentIndex);
  });

  it('names a late offline payment whose offline flag was removed (the signature does not cover it)', async () => {
    fixture = await buildFixture();
    const { h, offlineIndex } = fixture;
    expect(Buffer.from(h.store.logAt(offlineIndex)?.leaf ?? []).toString()).toContain('"flags":["offline"]');
    tamper(h.dir, (db) =>
      rewriteLeaf(db, offlineIndex, (sealed) => {
        const { flags: _dropped, ...rest } = sealed;
        return rest;
      }),
    );
    const e = await failure(audit({ data: h.dir }, { threads: 0 }));
    expect(e.code).toBe('AUDIT_FLAGS_MISMATCH');
    expect(e.index).toBe(offlineIndex);
  });

  it('names a validly signed entry that breaks a rule, with the ledger code', async () => {
    fixture = await buildFixture();
    const { h, till, tillId, merchant, household } = fixture;
    const last = h.ledger.treeSize() - 1;
    // Someone holding the till key signs a payment larger than the allowance and puts it in the log.
    const { body } = paymentBody(h.common('pay'), { payer: household, merchant, tillId, ticket: 77, rulesVersion: 'nantes-ouest@1', tier: 1, lines: [line('3760123450017', 900_000)] });
    tamper(h.dir, (db) => rewriteLeaf(db, last, (sealed) => ({ ...sealed, ...signEntry(body, [till]) })));
    const e = await failure(audit({ data: h.dir }, { threads: 0 }));
    expect(e.code).toBe('AUDIT_RULE_VIOLATION');
    expect(e.ledgerCode).toBe('LEDGER_OVERDRAFT');
    expect(e.index).toBe(last);
    expect(e.localized('fr')).toContain('enfreint une règle');
  });

  it('names a leaf that is no longer canonical JSON', async () => {
    fixture = await buildFixture();
    const { h, paymentIndex } = fixture;
    tamper(h.dir, (db) => {
      const row = db.prepare('SELECT leaf FROM log WHERE idx = ?').get(paymentIndex) as { leaf: Buffer };
      db.prepare('UPDATE log SET leaf = ? WHERE idx = ?').run(Buffer.from(` ${row.leaf.toString()}`), paymentIndex);
    });
    const e = await failure(audit({ data: h.dir }, { threads: 0 }));
    expect(e.code).toBe('AUDIT_LEAF_MALFORMED');
    expect(e.index).toBe(paymentIndex);
    // Bytes that are not even UTF-8, and JSON nested past what the formats allow.
    tamper(h.dir, (db) => db.prepare('UPDATE log SET leaf = ? WHERE idx = ?').run(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), paymentIndex - 1));
    const garbage = await failure(audit({ data: h.dir }, { threads: 0 }));
    expect(garbage.code).toBe('AUDIT_LEAF_MALFORMED');
    expect(garbage.index).toBe(paymentIndex - 1);
    tamper(h.dir, (db) => db.prepare('UPDATE log SET leaf = ? WHERE idx = ?').run(Buffer.from(`{"body":${'['.repeat(5000)}${']'.repeat(5000)}}`), 1));
    const deep = await failure(audit({ data: h.dir }, { threads: 0 }));
    expect(deep.code).toBe('AUDIT_LEAF_MALFORMED');
    expect(deep.index).toBe(1);
    // A UTF-8 byte-order mark before the JSON: the same text to a lenient decoder, other bytes.
    tamper(h.dir, (db) => {
      const row = db.prepare('SELECT leaf FROM log WHERE idx = 0').get() as { leaf: Buffer };
      db.prepare('UPDATE log SET leaf = ? WHERE idx = 0').run(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), row.leaf]));
    });
    const bom = await failure(audit({ data: h.dir }, { threads: 0 }));
    expect(bom.code).toBe('AUDIT_LEAF_MALFORMED');
    expect(bom.index).toBe(0);
  });

  it('names an entry whose stored id column no longer matches its leaf', async () => {
    fixture = await buildFixture();
    const { h, paymentIndex } = fixture;
    tamper(h.dir, (db) => db.prepare("UPDATE log SET entry_id = 'renamed-entry' WHERE idx = ?").run(paymentIndex));
    const e = await failure(audit({ data: h.dir }, { threads: 0 }));
    expect(e.code).toBe('AUDIT_ROW_MISMATCH');
    expect(e.index).toBe(paymentIndex);
  });

  it('finds an edited node of the stored tree (what inclusion proofs are made of)', async () => {
    fixture = await buildFixture();
    const { h } = fixture;
    tamper(h.dir, (db) => db.prepare('UPDATE nodes SET hash = ? WHERE level = 0 AND idx = 3').run(Buffer.alloc(32, 1)));
    const e = await failure(audit({ data: h.dir }, { threads: 0 }));
    expect(e.code).toBe('AUDIT_NODE_MISMATCH');
    expect(e.index).toBe(3);
    // A node removed higher up (level 1, leaves 4 and 5) is named where it should have been completed.
    tamper(h.dir, (db) => {
      const leaf = db.prepare('SELECT leaf FROM log WHERE idx = 3').pluck().get() as Buffer;
      db.prepare('UPDATE nodes SET hash = ? WHERE level = 0 AND idx = 3').run(Buffer.from(leafHash(leaf)));
      db.prepare('DELETE FROM nodes WHERE level = 1 AND idx = 2').run();
    });
    const missing = await failure(audit({ data: h.dir }, { threads: 0 }));
    expect(missing.code).toBe('AUDIT_NODE_MISMATCH');
    expect(missing.index).toBe(4);
    expect(missing.detail).toContain('missing');
  });

  it('refuses checkpoints that name another log than the genesis entry set, and a ledger.json edited so', async () => {
    fixture = await buildFixture();
    const { h } = fixture;
    const origin = 'autre.example/caisse';
    h.opened.close();
    // Every checkpoint signed again, as a ledger whose configuration was edited would have signed it.
    tamper(h.dir, (db) => {
      const rows = db.prepare('SELECT size, root FROM checkpoints').all() as { size: number; root: Buffer }[];
      for (const row of rows) {
        const note = signCheckpoint({ origin, size: row.size, rootHash: new Uint8Array(row.root), extensions: [] }, h.ledgerKey);
        db.prepare('UPDATE checkpoints SET note = ? WHERE size = ?').run(note, row.size);
      }
    });
    const configPath = join(h.dir, homeFiles.config);
    writeFileSync(configPath, JSON.stringify({ ...JSON.parse(readFileSync(configPath, 'utf8')), origin }));
    // And the verifier key beside it, which names the log too.
    writeFileSync(join(h.dir, homeFiles.verifierKey), `${vkey(origin, h.ledgerKey.publicKey)}\n`);
    const e = await failure(audit({ data: h.dir }, { threads: 0 }));
    expect(e.code).toBe('AUDIT_CHECKPOINT_INVALID');
    expect(e.detail).toContain(origin);
    // The ledger itself refuses to open (and so to sign anything) under that configuration.
    expect(() => openLedger(h.dir)).toThrow(expect.objectContaining({ code: 'LEDGER_CONFIG_MISMATCH' }));
  });

  it('finds a refund the store counts and the log never made', async () => {
    fixture = await buildFixture();
    const { h, paymentIndex } = fixture;
    const id = h.store.logAt(paymentIndex)?.entryId ?? '';
    tamper(h.dir, (db) => db.prepare('UPDATE payments SET refunded_cents = 40 WHERE entry_id = ?').run(id));
    const e = await failure(audit({ data: h.dir }, { threads: 0 }));
    expect(e.code).toBe('AUDIT_STATE_MISMATCH');
    expect(e.detail).toContain(id);
  });

  it('finds a stored checkpoint whose root or signature was edited', async () => {
    fixture = await buildFixture();
    const { h } = fixture;
    tamper(h.dir, (db) => db.prepare('UPDATE checkpoints SET root = ? WHERE size = 8').run(Buffer.alloc(32, 2)));
    const root = await failure(audit({ data: h.dir }, { threads: 0 }));
    expect(root.code).toBe('AUDIT_ROOT_MISMATCH');
    expect(root.size).toBe(8);
    tamper(h.dir, (db) => {
      const row = db.prepare('SELECT note FROM checkpoints WHERE size = 9').get() as { note: string };
      // Another root line under the same signature line.
      const lines = row.note.split('\n');
      lines[2] = Buffer.alloc(32, 3).toString('base64');
      db.prepare('UPDATE checkpoints SET note = ?, root = ? WHERE size = 7').run(lines.join('\n'), Buffer.alloc(32, 3));
    });
    const note = await failure(audit({ data: h.dir }, { threads: 0 }));
    expect(note.code).toBe('AUDIT_CHECKPOINT_INVALID');
    expect(note.size).toBe(7);
  });

  it('checks every stored checkpoint, those at the edges of the chunks it reads included', async () => {
    fixture = await buildFixture(2 * auditLimits.chunkEntries + 20, 10_000_000);
    const { h } = fixture;
    const stored = h.store.checkpointsBetween(0, h.ledger.treeSize());
    expect(stored.length).toBeGreaterThan(2 * auditLimits.chunkEntries);
    expect((await audit({ data: h.dir }, { threads: 0 })).storedCheckpointsVerified).toBe(stored.length);
    const edges = [auditLimits.chunkEntries, auditLimits.chunkEntries + 1, 2 * auditLimits.chunkEntries, 2 * auditLimits.chunkEntries + 1];
    for (const size of edges) {
      const original = stored.find((c) => c.size === size);
      expect(original).toBeDefined();
      tamper(h.dir, (db) => db.prepare('UPDATE checkpoints SET root = ? WHERE size = ?').run(Buffer.alloc(32, 5), size));
      const e = await failure(audit({ data: h.dir }, { threads: 0 }));
      expect([e.code, e.size]).toEqual(['AUDIT_ROOT_MISMATCH', size]);
      tamper(h.dir, (db) => db.prepare('UPDATE checkpoints SET root = ? WHERE size = ?').run(Buffer.from(original?.root ?? []), size));
    }
    expect((await audit({ data: h.dir }, { threads: 0 })).storedCheckpointsVerified).toBe(stored.length);
  }, 60_000);

  it('finds a signed payment appended twice by an insider who kept everything else consistent', async () => {
    fixture = await buildFixture();
    const { h, paymentIndex } = fixture;
    const id = h.store.logAt(paymentIndex)?.entryId ?? '';
    const again = appendReplayOf(h, paymentIndex);
    // Signatures, tree, checkpoints and balances all agree: only the id, seen twice, gives it away.
    expect(h.store.logAt(again)?.entryId).toBe(id);
    const e = await failure(audit({ data: h.dir }, { threads: 0 }));
    expect(e.code).toBe('AUDIT_DUPLICATE_ID');
    expect(e.index).toBe(again);
    expect(e.detail).toContain(`${id} is already at index ${paymentIndex}`);
  });

  it('refuses a log cut back to an earlier state when given the checkpoint saved before', async () => {
    fixture = await buildFixture();
    const { h } = fixture;
    const saved = (await audit({ data: h.dir }, { threads: 0 })).checkpoint.note;
    // The attacker removes the last entry everywhere it shows: leaf, nodes, postings, checkpoint.
    const last = h.ledger.treeSize() - 1;
    tamper(h.dir, (db) => {
      db.prepare('DELETE FROM log WHERE idx = ?').run(last);
      db.prepare('DELETE FROM postings WHERE entry_idx = ?').run(last);
      db.prepare('DELETE FROM checkpoints WHERE size = ?').run(last + 1);
      db.prepare('DELETE FROM nodes WHERE (idx + 1) * (1 << level) = ?').run(last + 1);
    });
    // Without the saved checkpoint the shortened log is self-consistent, but the state is not.
    const alone = await failure(audit({ data: h.dir }, { threads: 0 }));
    expect(alone.code).toBe('AUDIT_BALANCE_MISMATCH');
    const e = await failure(audit({ data: h.dir }, { threads: 0, savedCheckpoint: saved }));
    expect(e.code).toBe('AUDIT_INCONSISTENT_CHECKPOINT');
  });

  it('refuses a saved checkpoint from another history (a rewritten log)', async () => {
    fixture = await buildFixture(3);
    const { h } = fixture;
    // Another history: a copy of the ledger taken now, which then records a different transfer.
    h.opened.close();
    const other = mkdtempSync(join(tmpdir(), 'caisse-audit-fork-'));
    extraDirs.push(other);
    cpSync(h.dir, other, { recursive: true });
    h.reopen();
    const transfer = (amountCents: number) =>
      signEntry(transferBody(h.common('move'), { from: 'hh:test0000001', to: 'hh:test0000002', asset: 'CCA', amountCents, reason: 'Entraide' }), [h.operator]);
    const fork = openLedger(other, { nowMs: () => h.nowMs });
    expect(fork.ledger.appendGroup([{ entry: transfer(100) }]).every((o) => o.ok)).toBe(true);
    fork.close();
    const forkCheckpoint = (await audit({ data: other }, { threads: 0 })).checkpoint;
    expect(h.ledger.appendGroup([{ entry: transfer(200) }]).every((o) => o.ok)).toBe(true);
    await h.ok(transferBody(h.common('move'), { from: 'hh:test0000002', to: 'hh:test0000001', asset: 'CCA', amountCents: 10, reason: 'Retour' }), [h.operator]);
    const e = await failure(audit({ data: h.dir }, { threads: 0, savedCheckpoint: forkCheckpoint.note }));
    expect(e.code).toBe('AUDIT_INCONSISTENT_CHECKPOINT');
    expect(e.size).toBe(forkCheckpoint.size);
    // The ledger's own earlier checkpoint of that size is accepted.
    const own = h.store.checkpointAt(forkCheckpoint.size)?.note ?? '';
    const report = await audit({ data: h.dir }, { threads: 0, savedCheckpoint: own });
    expect(report.savedCheckpointSize).toBe(forkCheckpoint.size);
  });

  it('answers a directory without a ledger, or without its database, with a code', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'caisse-audit-empty-'));
    extraDirs.push(empty);
    // The ledger's own answer for a directory without a ledger.
    await expect(audit({ data: empty }, { threads: 0 })).rejects.toBeInstanceOf(CaisseError);
    fixture = await buildFixture(1);
    const { h } = fixture;
    h.opened.close();
    rmSync(join(h.dir, 'ledger.sqlite'));
    const e = await failure(audit({ data: h.dir }, { threads: 0 }));
    expect(e.code).toBe('AUDIT_SOURCE_UNAVAILABLE');
    // Nor does the ledger make a new, empty database in its place.
    expect(() => h.reopen()).toThrow(/the file is missing/);
    expect(existsSync(join(h.dir, 'ledger.sqlite'))).toBe(false);
  });
});

describe('an auditor’s copy of a ledger', () => {
  /** Copies what an auditor is given of a served ledger (no keys): the database with its WAL, taken live. */
  function auditorCopy(h: AuditFixture['h'], files: readonly string[]): string {
    const copy = mkdtempSync(join(tmpdir(), 'caisse-audit-copy-'));
    extraDirs.push(copy);
    for (const file of files) cpSync(join(h.dir, file), join(copy, file));
    return copy;
  }

  it('needs no secret key: ledger.vkey, or the key pinned with --vkey; without either, says so', async () => {
    fixture = await buildFixture(2);
    const { h } = fixture;
    const withVkey = auditorCopy(h, [homeFiles.config, homeFiles.database, `${homeFiles.database}-wal`, homeFiles.verifierKey]);
    expect((await audit({ data: withVkey }, { threads: 0 })).entries).toBe(h.ledger.treeSize());
    const bare = auditorCopy(h, [homeFiles.config, homeFiles.database, `${homeFiles.database}-wal`]);
    const e = await failure(audit({ data: bare }, { threads: 0 }));
    expect(e.code).toBe('AUDIT_SOURCE_UNAVAILABLE');
    expect(e.detail).toContain('--vkey');
    const pinned = readFileSync(join(h.dir, homeFiles.verifierKey), 'utf8').trim();
    expect((await audit({ data: bare }, { threads: 0, vkey: pinned })).entries).toBe(h.ledger.treeSize());
  });

  it('reads a copy in a place it cannot write (its WAL and no -shm: SQLite cannot open it there) through a copy of its own', async () => {
    fixture = await buildFixture(3);
    const { h } = fixture;
    const copy = auditorCopy(h, [homeFiles.config, homeFiles.database, `${homeFiles.database}-wal`, homeFiles.verifierKey]);
    // The entries of the last commits are in the WAL only: reading the database file alone would miss them.
    expect(statSync(join(copy, `${homeFiles.database}-wal`)).size).toBeGreaterThan(0);
    const temp = mkdtempSync(join(tmpdir(), 'caisse-audit-temp-'));
    extraDirs.push(temp);
    // What an audit killed during its copy left (its process is gone), and a copy of a live one.
    const leftByDead = join(temp, 'caisse-lecture-4194305-abcdef');
    const live = join(temp, `caisse-lecture-${process.pid}-abcdef`);
    for (const dir of [leftByDead, live]) cpSync(copy, dir, { recursive: true });
    const readOnly = makeReadOnly(copy);
    try {
      const report = await audit({ data: readOnly.dir }, { threads: 0, tempDir: temp });
      expect(report.entries).toBe(h.ledger.treeSize());
      expect(readdirSync(readOnly.dir).sort()).toEqual([homeFiles.config, homeFiles.database, `${homeFiles.database}-wal`, homeFiles.verifierKey].sort());
      // Its private copy is gone with the audit, and so is the dead process's; the live one's stays.
      expect(readdirSync(temp)).toEqual([`caisse-lecture-${process.pid}-abcdef`]);
    } finally {
      readOnly.undo();
    }
  });
});

/**
 * Makes a directory read-only for this process: a read-only bind mount of it when running as root
 * (which file modes do not stop), its modes otherwise.
 */
function makeReadOnly(dir: string): { dir: string; undo(): void } {
  if (process.getuid?.() === 0) {
    const mountPoint = mkdtempSync(join(tmpdir(), 'caisse-audit-ro-'));
    execFileSync('mount', ['--bind', dir, mountPoint]);
    execFileSync('mount', ['-o', 'remount,ro,bind', mountPoint]);
    return {
      dir: mountPoint,
      undo() {
        execFileSync('umount', [mountPoint]);
        rmSync(mountPoint, { recursive: true, force: true });
      },
    };
  }
  for (const file of readdirSync(dir)) chmodSync(join(dir, file), 0o444);
  chmodSync(dir, 0o555);
  return { dir, undo: () => chmodSync(dir, 0o755) };
}
