import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { ledgerError } from '../errors.js';
import type { AccountKind } from '../../domain/ids.js';
import { assets, type Asset } from '../../domain/money.js';
import type { KeyRole, Posting } from '../../domain/entry/schema.js';
import type { AccountState, KeyState, LedgerState, PaymentState } from '../core/state.js';
import { schemaSql, schemaVersion } from './schema.js';

/**
 * The only file that talks to SQLite. WAL with synchronous=FULL, set explicitly: better-sqlite3 is
 * compiled so that WAL defaults to NORMAL, which can lose acknowledged commits on power loss.
 */
export interface AccountRow extends AccountState {
  readonly territory: string | undefined;
  readonly label: string | undefined;
  readonly openedIndex: number;
  readonly closedIndex: number | undefined;
}

export interface LogRow {
  readonly index: number;
  readonly entryId: string;
  readonly bodyHash: Uint8Array;
  readonly type: string;
  readonly ledgerTimeMs: number;
  readonly leaf: Uint8Array;
}

export interface CheckpointRow {
  readonly size: number;
  readonly root: Uint8Array;
  readonly note: string;
  readonly signedAtMs: number;
}

export interface StatementLine {
  readonly index: number;
  readonly asset: Asset;
  readonly amountCents: number;
  readonly type: string;
  readonly ledgerTimeMs: number;
}

type Row = Record<string, unknown>;

function u8(value: unknown): Uint8Array {
  assert.ok(value instanceof Uint8Array);
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}
function optString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
function optInt(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/**
 * Bounds of the in-memory caches in front of SQLite (a cache that reaches its bound is emptied and
 * refills from the database). Accounts and balances are read several times per entry; tree nodes by
 * every receipt's inclusion proof, and mostly the same few: the ones just written and the left border.
 */
export const storeCacheLimits = {
  accountsMax: 200_000,
  balancesMax: 400_000,
  nodesMax: 1 << 16,
  /** Territories whose latest rules are cached, misses included (GET /v1/rules/:territory asks for any name). */
  territoriesMax: 1024,
} as const;

/**
 * Opens the file and checks its schema version before the schema is created or any statement prepared:
 * the tables of another version would make either fail with SQLite's own words (a column not found).
 * A file SQLite cannot open or read (not a database, damaged, no permission) is named as such, and so
 * is a missing or empty one unless `create` says a new ledger is being made: SQLite would otherwise
 * make a new, empty database in place of a lost one, and a server would serve it.
 */
function openDatabase(path: string, readonly: boolean, create: boolean): Database.Database {
  if (!create && !existsSync(path)) throw ledgerError('LEDGER_DATABASE_UNREADABLE', `${path}: the file is missing`);
  let db: Database.Database | undefined;
  let version: string | undefined;
  try {
    db = new Database(path, { readonly, fileMustExist: !create });
    version = storedSchemaVersion(db);
  } catch (e) {
    db?.close();
    if (e instanceof Database.SqliteError || (e as NodeJS.ErrnoException).code === 'SQLITE_CANTOPEN') throw ledgerError('LEDGER_DATABASE_UNREADABLE', `${path}: ${(e as Error).message}`);
    throw e;
  }
  if (version === undefined && !create) {
    db.close();
    throw ledgerError('LEDGER_DATABASE_UNREADABLE', `${path}: no ledger in it (an empty or new file)`);
  }
  if (version !== undefined && version !== String(schemaVersion)) {
    db.close();
    throw ledgerError('LEDGER_SCHEMA_MISMATCH', `database schema ${version}, this program reads ${schemaVersion}`);
  }
  return db;
}

/** The schema version a database was written with; undefined for a new one (no meta table or no row yet). */
function storedSchemaVersion(db: Database.Database): string | undefined {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get() !== undefined;
  if (!hasMeta) return undefined;
  const value: unknown = db.prepare("SELECT value FROM meta WHERE name = 'schemaVersion'").pluck().get();
  return typeof value === 'string' ? value : undefined;
}

export class SqliteStore implements LedgerState {
  readonly db: Database.Database;
  readonly path: string;
  private readonly keyCache = new Map<string, KeyState>();
  /**
   * Write-through caches of the state, for the writer only (a read-only store may be reading a
   * database that another process writes). Dropped with the key cache whenever SQLite may hold
   * something else: after a rollback, or when another process has appended (reloadKeys).
   */
  private readonly stateCached: boolean;
  private readonly accountCache = new Map<string, AccountRow>();
  private readonly balanceCache = new Map<string, number>();
  private readonly rulesCache = new Map<string, { version: string; documentHash: string; index: number } | null>();
  /** Tree nodes never change once written; a rolled-back insert is dropped with the other caches. */
  private readonly nodeCache = new Map<string, Uint8Array>();
  /**
   * Counts every write since the store was opened: the ledger checks that a refused entry wrote
   * nothing (apply.ts checks everything before its first write), which is what lets a group commit do
   * without a savepoint per entry (they doubled the cost of the rows).
   */
  private writes = 0;
  private readonly s;

  private constructor(path: string, readonly: boolean, create: boolean) {
    this.path = path;
    this.stateCached = !readonly;
    this.db = openDatabase(path, readonly, create);
    if (!readonly) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('foreign_keys = ON');
      // 64 MiB of page cache instead of 2 MiB: the indexes of a million-entry log stay in memory.
      this.db.pragma('cache_size = -65536');
      this.db.exec(schemaSql);
    }
    assert.equal(this.db.pragma('synchronous', { simple: true }), readonly ? this.db.pragma('synchronous', { simple: true }) : 2);
    this.db.pragma('busy_timeout = 5000');
    const db = this.db;
    this.s = {
      metaGet: db.prepare('SELECT value FROM meta WHERE name = ?').pluck(),
      metaSet: db.prepare('INSERT INTO meta (name, value) VALUES (?, ?)'),
      size: db.prepare('SELECT COALESCE(MAX(idx) + 1, 0) FROM log').pluck(),
      logInsert: db.prepare('INSERT INTO log (idx, entry_id, body_hash, type, ledger_time_ms, leaf) VALUES (?, ?, ?, ?, ?, ?)'),
      logByIndex: db.prepare(`SELECT ${logColumns} FROM log WHERE idx = ?`).raw(),
      logById: db.prepare(`SELECT ${logColumns} FROM log WHERE entry_id = ?`).raw(),
      lastOfType: db.prepare('SELECT idx FROM log WHERE type = ? ORDER BY idx DESC LIMIT ?').pluck(),
      logRange: db.prepare(`SELECT ${logColumns} FROM log WHERE idx >= ? AND idx < ? ORDER BY idx`).raw(),
      nodeGet: db.prepare('SELECT hash FROM nodes WHERE level = ? AND idx = ?').pluck(),
      nodeInsert: db.prepare('INSERT INTO nodes (level, idx, hash) VALUES (?, ?, ?)'),
      nodesRange: db.prepare('SELECT idx, hash FROM nodes WHERE level = ? AND idx >= ? AND idx < ?').raw(),
      nodeHashesRange: db.prepare('SELECT hash FROM nodes WHERE level = ? AND idx >= ? AND idx < ? ORDER BY idx').pluck(),
      checkpointInsert: db.prepare('INSERT INTO checkpoints (size, root, note, signed_at_ms) VALUES (?, ?, ?, ?)'),
      checkpointLatest: db.prepare('SELECT size, root, note, signed_at_ms FROM checkpoints ORDER BY size DESC LIMIT 1'),
      checkpointAt: db.prepare('SELECT size, root, note, signed_at_ms FROM checkpoints WHERE size = ?'),
      checkpointsRange: db.prepare('SELECT size, root, note, signed_at_ms FROM checkpoints WHERE size > ? AND size <= ? ORDER BY size'),
      postingInsert: db.prepare('INSERT INTO postings (entry_idx, account, asset, amount_cents) VALUES (?, ?, ?, ?)'),
      statement: db.prepare(
        `SELECT p.entry_idx AS idx, p.asset, p.amount_cents, l.type, l.ledger_time_ms FROM postings p JOIN log l ON l.idx = p.entry_idx
         WHERE p.account = ? AND p.entry_idx >= ? ORDER BY p.entry_idx LIMIT ?`,
      ),
      accountGet: db.prepare('SELECT id, kind, territory, label, opened_idx, closed_idx FROM accounts WHERE id = ?'),
      accountInsert: db.prepare('INSERT INTO accounts (id, kind, territory, label, opened_idx, closed_idx) VALUES (?, ?, ?, ?, ?, NULL)'),
      accountClose: db.prepare('UPDATE accounts SET closed_idx = ? WHERE id = ? AND closed_idx IS NULL'),
      accountsAll: db.prepare('SELECT id, kind, territory, label, opened_idx, closed_idx FROM accounts ORDER BY id'),
      accountsPage: db.prepare('SELECT id, kind, territory, label, opened_idx, closed_idx FROM accounts WHERE id > ? ORDER BY id LIMIT ?'),
      balanceGet: db.prepare('SELECT balance_cents FROM balances WHERE account = ? AND asset = ?').pluck(),
      balanceAdd: db.prepare(
        `INSERT INTO balances (account, asset, balance_cents) VALUES (?, ?, ?)
         ON CONFLICT (account, asset) DO UPDATE SET balance_cents = balance_cents + excluded.balance_cents`,
      ),
      balancesAll: db.prepare('SELECT account, asset, balance_cents FROM balances ORDER BY account, asset'),
      keyInsert: db.prepare('INSERT INTO keys (key_id, public_key, role, merchant, till_id, registered_idx, revoked_idx) VALUES (?, ?, ?, ?, ?, ?, NULL)'),
      keyRevoke: db.prepare('UPDATE keys SET revoked_idx = ? WHERE key_id = ? AND revoked_idx IS NULL'),
      keysAll: db.prepare('SELECT key_id, public_key, role, merchant, till_id, registered_idx, revoked_idx FROM keys'),
      keysPage: db.prepare('SELECT key_id, public_key, role, merchant, till_id, registered_idx, revoked_idx FROM keys WHERE key_id > ? ORDER BY key_id LIMIT ?'),
      paymentGet: db.prepare('SELECT entry_id, payer, merchant, amount_cents, refunded_cents FROM payments WHERE idx = (SELECT idx FROM log WHERE entry_id = ?)'),
      paymentInsert: db.prepare('INSERT INTO payments (idx, entry_id, payer, merchant, amount_cents, refunded_cents) VALUES (?, ?, ?, ?, ?, 0)'),
      paymentRefund: db.prepare('UPDATE payments SET refunded_cents = refunded_cents + ? WHERE idx = (SELECT idx FROM log WHERE entry_id = ?)'),
      paymentsRefunded: db.prepare('SELECT entry_id, refunded_cents FROM payments WHERE refunded_cents <> 0').raw(),
      entryExists: db.prepare('SELECT 1 FROM log WHERE entry_id = ?').pluck(),
      allowanceGet: db.prepare('SELECT 1 FROM allowances WHERE period = ? AND account = ?').pluck(),
      allowanceInsert: db.prepare('INSERT INTO allowances (period, account, idx) VALUES (?, ?, ?)'),
      rulesInsert: db.prepare('INSERT INTO rules (territory, version, document_hash, idx) VALUES (?, ?, ?, ?)'),
      rulesAt: db.prepare('SELECT idx FROM rules WHERE territory = ? AND version = ?').pluck(),
      rulesLatest: db.prepare('SELECT territory, version, document_hash, idx FROM rules WHERE territory = ? ORDER BY idx DESC LIMIT 1'),
      basketInsert: db.prepare('INSERT INTO baskets (entry_idx, entry_id, salt, content, erased_at_ms) VALUES (?, ?, ?, ?, NULL)'),
      basketGet: db.prepare('SELECT entry_id, salt, content, erased_at_ms FROM baskets WHERE entry_idx = (SELECT idx FROM log WHERE entry_id = ?)'),
      basketErase: db.prepare('UPDATE baskets SET salt = NULL, content = NULL, erased_at_ms = ? WHERE entry_idx = (SELECT idx FROM log WHERE entry_id = ?) AND erased_at_ms IS NULL'),
    };
    this.reloadKeys();
  }

  /**
   * Opens a ledger's database. `create`: the file may be missing or empty, and gets this program's
   * schema (`ledger init`, tests, the bench's scratch files); otherwise it must already hold a ledger.
   */
  static open(path: string, options: { readonly?: boolean; create?: boolean } = {}): SqliteStore {
    assert.ok(!(options.readonly === true && options.create === true), 'a read-only store creates nothing');
    const store = new SqliteStore(path, options.readonly === true, options.create === true);
    // A new database (the constructor refused any other version) is marked with this program's.
    if (!options.readonly && store.meta('schemaVersion') === undefined) store.db.transaction(() => store.setMeta('schemaVersion', String(schemaVersion)))();
    return store;
  }

  close(): void {
    this.db.close();
  }

  /** Runs `fn` in one IMMEDIATE transaction. On failure the key cache is rebuilt from what was committed. */
  transaction<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).immediate();
    } catch (e) {
      this.reloadKeys();
      throw e;
    }
  }

  /** How many writes this store has made: see `writes`. */
  writeCount(): number {
    return this.writes;
  }

  /**
   * Rebuilds the key cache from what is committed and drops the cached state (after a rollback, or
   * another process's append).
   */
  reloadKeys(): void {
    this.accountCache.clear();
    this.balanceCache.clear();
    this.rulesCache.clear();
    this.nodeCache.clear();
    this.keyCache.clear();
    for (const row of this.s.keysAll.all() as Row[]) {
      const key = toKey(row);
      this.keyCache.set(key.keyId, key);
    }
  }

  meta(name: string): string | undefined {
    return optString(this.s.metaGet.get(name));
  }
  setMeta(name: string, value: string): void {
    this.s.metaSet.run(name, value);
    this.writes += 1;
  }

  size(): number {
    return this.s.size.get() as number;
  }

  // ---- the log ----
  appendLeaf(row: LogRow): void {
    this.s.logInsert.run(row.index, row.entryId, row.bodyHash, row.type, row.ledgerTimeMs, row.leaf);
    this.writes += 1;
  }
  logAt(index: number): LogRow | undefined {
    const row = this.s.logByIndex.get(index) as unknown[] | undefined;
    return row === undefined ? undefined : toLog(row);
  }
  logById(entryId: string): LogRow | undefined {
    const row = this.s.logById.get(entryId) as unknown[] | undefined;
    return row === undefined ? undefined : toLog(row);
  }
  logRange(start: number, end: number): LogRow[] {
    return (this.s.logRange.all(start, end) as unknown[][]).map(toLog);
  }
  /** Indices of the last `count` entries of a type, newest first. */
  lastOfType(type: string, count: number): number[] {
    return this.s.lastOfType.all(type, count) as number[];
  }
  /** Streams leaves in order without holding them all (the audit reads bounded chunks with logRange). */
  *iterateLog(start: number, end: number): Generator<LogRow> {
    for (const row of this.s.logRange.iterate(start, end) as IterableIterator<unknown[]>) yield toLog(row);
  }
  node(level: number, index: number): Uint8Array | undefined {
    const id = `${level}/${index}`;
    const cached = this.nodeCache.get(id);
    if (cached !== undefined) return cached;
    const hash = this.s.nodeGet.get(level, index);
    if (hash === undefined) return undefined;
    const bytes = u8(hash);
    this.cacheNode(id, bytes);
    return bytes;
  }
  /**
   * The stored nodes of one level with index in [fromIndex, toIndex), at [index - fromIndex] (undefined
   * where a tampered table lacks one): one range read where the audit would otherwise make a point read
   * per node.
   */
  nodesRange(level: number, fromIndex: number, toIndex: number): (Uint8Array | undefined)[] {
    // all() rather than iterate(): one call into SQLite per range, not one per row (a third cheaper).
    // Indices are unique, so as many hashes as indices in the range are one per index, in order; only
    // a table that lacks some needs their indices read.
    const hashes = this.s.nodeHashesRange.all(level, fromIndex, toIndex) as Uint8Array[];
    if (hashes.length === toIndex - fromIndex) return hashes;
    const found = new Array<Uint8Array | undefined>(toIndex - fromIndex).fill(undefined);
    for (const row of this.s.nodesRange.all(level, fromIndex, toIndex) as unknown[][]) found[(row[0] as number) - fromIndex] = u8(row[1]);
    return found;
  }
  insertNode(level: number, index: number, hash: Uint8Array): void {
    this.s.nodeInsert.run(level, index, hash);
    this.writes += 1;
    this.cacheNode(`${level}/${index}`, new Uint8Array(hash));
  }
  private cacheNode(id: string, hash: Uint8Array): void {
    if (this.nodeCache.size >= storeCacheLimits.nodesMax) this.nodeCache.clear();
    this.nodeCache.set(id, hash);
  }
  insertPostings(index: number, postings: readonly Posting[]): void {
    for (const p of postings) this.s.postingInsert.run(index, p.account, p.asset, p.amountCents);
    this.writes += postings.length;
  }
  insertCheckpoint(row: CheckpointRow): void {
    this.s.checkpointInsert.run(row.size, row.root, row.note, row.signedAtMs);
    this.writes += 1;
  }
  latestCheckpoint(): CheckpointRow | undefined {
    const row = this.s.checkpointLatest.get() as Row | undefined;
    return row === undefined ? undefined : toCheckpoint(row);
  }
  checkpointAt(size: number): CheckpointRow | undefined {
    const row = this.s.checkpointAt.get(size) as Row | undefined;
    return row === undefined ? undefined : toCheckpoint(row);
  }
  /** The stored checkpoints of sizes in (afterSize, upToSize], by size: the audit reads them per chunk. */
  checkpointsBetween(afterSize: number, upToSize: number): CheckpointRow[] {
    return (this.s.checkpointsRange.all(afterSize, upToSize) as Row[]).map(toCheckpoint);
  }
  /**
   * One page of an account's postings from entry `fromIndex` on, never splitting an entry: a settlement
   * posts a merchant's CCA and its MNK under one index, and a page that ended between them would lose or
   * repeat one. So a page ends before a split entry (or, were that entry all of a one-line page, holds
   * it whole, one line over the limit), and `next` is the `fromIndex` of the following page.
   */
  statement(account: string, fromIndex: number, limit: number): { lines: StatementLine[]; next: number | undefined } {
    assert.ok(Number.isSafeInteger(limit) && limit >= 1);
    const read = (from: number, count: number): StatementLine[] =>
      (this.s.statement.all(account, from, count) as Row[]).map((r) => ({
        index: r.idx as number,
        asset: r.asset as Asset,
        amountCents: r.amount_cents as number,
        type: r.type as string,
        ledgerTimeMs: r.ledger_time_ms as number,
      }));
    const rows = read(fromIndex, limit + 1);
    const following = rows[limit];
    if (following === undefined) return { lines: rows, next: undefined };
    const lines = rows.slice(0, limit).filter((line) => line.index !== following.index);
    if (lines.length > 0) return { lines, next: following.index };
    // One entry's lines (at most one per asset) are more than the limit: that entry whole.
    const whole = read(following.index, assets.length + 1);
    const entry = whole.filter((line) => line.index === following.index);
    return { lines: entry, next: whole.find((line) => line.index !== following.index)?.index };
  }

  // ---- baskets, beside the log ----
  /** `contentJson`: the JCS of `{tier, lines}`. */
  insertBasket(index: number, entryId: string, saltBase64: string, contentJson: string): void {
    this.s.basketInsert.run(index, entryId, saltBase64, contentJson);
    this.writes += 1;
  }
  basket(entryId: string): { salt: string | undefined; content: string | undefined; erasedAtMs: number | undefined } | undefined {
    const row = this.s.basketGet.get(entryId) as Row | undefined;
    if (row === undefined) return undefined;
    return { salt: optString(row.salt), content: optString(row.content), erasedAtMs: optInt(row.erased_at_ms) };
  }
  eraseBasket(entryId: string, atMs: number): boolean {
    this.writes += 1;
    return this.s.basketErase.run(atMs, entryId).changes === 1;
  }

  // ---- state (LedgerState) ----
  account(id: string): AccountRow | undefined {
    const cached = this.accountCache.get(id);
    if (cached !== undefined) return cached;
    const row = this.s.accountGet.get(id) as Row | undefined;
    if (row === undefined) return undefined;
    const account = toAccount(row);
    if (this.stateCached) {
      if (this.accountCache.size >= storeCacheLimits.accountsMax) this.accountCache.clear();
      this.accountCache.set(id, account);
    }
    return account;
  }
  accounts(): AccountRow[] {
    return (this.s.accountsAll.all() as Row[]).map(toAccount);
  }
  /** Accounts in id order after `afterId` (exclusive), at most `limit`: the bounded listing of the API. */
  accountsPage(afterId: string, limit: number): AccountRow[] {
    return (this.s.accountsPage.all(afterId, limit) as Row[]).map(toAccount);
  }
  balanceCents(account: string, asset: Asset): number {
    const id = `${account}|${asset}`;
    const cached = this.balanceCache.get(id);
    if (cached !== undefined) return cached;
    const v = this.s.balanceGet.get(account, asset);
    const cents = typeof v === 'number' ? v : 0;
    if (this.stateCached) {
      if (this.balanceCache.size >= storeCacheLimits.balancesMax) this.balanceCache.clear();
      this.balanceCache.set(id, cents);
    }
    return cents;
  }
  balances(): { account: string; asset: Asset; balanceCents: number }[] {
    return (this.s.balancesAll.all() as Row[]).map((r) => ({ account: r.account as string, asset: r.asset as Asset, balanceCents: r.balance_cents as number }));
  }
  key(keyId: string): KeyState | undefined {
    return this.keyCache.get(keyId);
  }
  /** Keys in id order after `afterKeyId` (exclusive), at most `limit`: the bounded listing of the API. */
  keysPage(afterKeyId: string, limit: number): KeyState[] {
    return (this.s.keysPage.all(afterKeyId, limit) as Row[]).map(toKey);
  }
  keys(): KeyState[] {
    return [...this.keyCache.values()];
  }
  payment(entryId: string): PaymentState | undefined {
    const r = this.s.paymentGet.get(entryId) as Row | undefined;
    if (r === undefined) return undefined;
    return { id: r.entry_id as string, payer: r.payer as string, merchant: r.merchant as string, amountCents: r.amount_cents as number, refundedCents: r.refunded_cents as number };
  }
  /** Every payment with a refunded amount, and that amount (the audit compares them with its replay). */
  refundedPayments(): Map<string, number> {
    const found = new Map<string, number>();
    for (const row of this.s.paymentsRefunded.iterate() as IterableIterator<unknown[]>) found.set(row[0] as string, row[1] as number);
    return found;
  }
  entryExists(entryId: string): boolean {
    return this.s.entryExists.get(entryId) !== undefined;
  }
  allowanceIssued(period: string, account: string): boolean {
    return this.s.allowanceGet.get(period, account) !== undefined;
  }
  /** The log index of a published rules version, if it was published. */
  rulesIndex(territory: string, version: string): number | undefined {
    return optInt(this.s.rulesAt.get(territory, version));
  }
  latestRules(territory: string): { version: string; documentHash: string; index: number } | undefined {
    const cached = this.rulesCache.get(territory);
    if (cached !== undefined) return cached ?? undefined;
    const r = this.s.rulesLatest.get(territory) as Row | undefined;
    const latest = r === undefined ? undefined : { version: r.version as string, documentHash: r.document_hash as string, index: r.idx as number };
    if (this.stateCached) {
      if (this.rulesCache.size >= storeCacheLimits.territoriesMax) this.rulesCache.clear();
      this.rulesCache.set(territory, latest ?? null);
    }
    return latest;
  }

  openAccount(a: { id: string; kind: AccountKind; territory: string | undefined; label: string | undefined }, index: number): void {
    this.s.accountInsert.run(a.id, a.kind, a.territory ?? null, a.label ?? null, index);
    this.writes += 1;
    this.accountCache.delete(a.id);
  }
  closeAccount(id: string, index: number): void {
    assert.equal(this.s.accountClose.run(index, id).changes, 1);
    this.writes += 1;
    this.accountCache.delete(id);
  }
  addBalance(account: string, asset: Asset, deltaCents: number): void {
    this.s.balanceAdd.run(account, asset, deltaCents);
    this.writes += 1;
    const id = `${account}|${asset}`;
    const cached = this.balanceCache.get(id);
    if (cached !== undefined) this.balanceCache.set(id, cached + deltaCents);
  }
  registerKey(key: KeyState): void {
    this.s.keyInsert.run(key.keyId, key.publicKey, key.role, key.merchant ?? null, key.tillId ?? null, key.registeredIndex);
    this.writes += 1;
    this.keyCache.set(key.keyId, key);
  }
  revokeKey(keyId: string, index: number): void {
    assert.equal(this.s.keyRevoke.run(index, keyId).changes, 1);
    this.writes += 1;
    const key = this.keyCache.get(keyId);
    assert.ok(key !== undefined);
    this.keyCache.set(keyId, { ...key, revokedIndex: index });
  }
  recordAllowance(period: string, account: string, index: number): void {
    this.s.allowanceInsert.run(period, account, index);
    this.writes += 1;
  }
  recordPayment(p: PaymentState, index: number): void {
    this.s.paymentInsert.run(index, p.id, p.payer, p.merchant, p.amountCents);
    this.writes += 1;
  }
  recordRefund(paymentId: string, amountCents: number): void {
    assert.equal(this.s.paymentRefund.run(amountCents, paymentId).changes, 1);
    this.writes += 1;
  }
  recordRules(territory: string, version: string, documentHash: string, index: number): void {
    this.s.rulesInsert.run(territory, version, documentHash, index);
    this.writes += 1;
    this.rulesCache.delete(territory);
  }

  // ---- reads for the reports (ledger/reports) ----
  private accountEntriesStatement: Database.Statement | undefined;
  /**
   * Streams the entries of the given types that post to `account`, in log order, recorded before
   * `before.timeMs` (ledger time) and before log index `before.index`: a shop's sales, refunds and
   * settlements for its closures and statements. Reads through the postings' primary key (account,
   * entry_idx), so the cost follows the account's history, not the log's size. Do not run other
   * statements on this store while iterating.
   */
  *iterateAccountEntries(account: string, types: readonly string[], before: { readonly timeMs: number; readonly index: number }): Generator<LogRow> {
    this.accountEntriesStatement ??= this.db.prepare(
      `SELECT ${logColumns} FROM log
       WHERE idx IN (SELECT entry_idx FROM postings WHERE account = ? AND entry_idx < ?)
         AND type IN (SELECT value FROM json_each(?)) AND ledger_time_ms < ?
       ORDER BY idx`,
    );
    const rows = this.accountEntriesStatement.raw().iterate(account, before.index, JSON.stringify(types), before.timeMs) as IterableIterator<unknown[]>;
    for (const row of rows) yield toLog(row);
  }
}

/**
 * The columns of a LogRow, read raw (arrays, not an object per row: the audit reads every leaf
 * through them), in this order by toLog.
 */
const logColumns = 'idx, entry_id, body_hash, type, ledger_time_ms, leaf';
function toLog(r: unknown[]): LogRow {
  return {
    index: r[0] as number,
    entryId: r[1] as string,
    bodyHash: u8(r[2]),
    type: r[3] as string,
    ledgerTimeMs: r[4] as number,
    leaf: u8(r[5]),
  };
}
function toCheckpoint(r: Row): CheckpointRow {
  return { size: r.size as number, root: u8(r.root), note: r.note as string, signedAtMs: r.signed_at_ms as number };
}
function toAccount(r: Row): AccountRow {
  return {
    id: r.id as string,
    kind: r.kind as AccountKind,
    territory: optString(r.territory),
    label: optString(r.label),
    openedIndex: r.opened_idx as number,
    closedIndex: optInt(r.closed_idx),
    closed: r.closed_idx !== null,
  };
}
function toKey(r: Row): KeyState {
  return {
    keyId: r.key_id as string,
    publicKey: u8(r.public_key),
    role: r.role as KeyRole,
    merchant: optString(r.merchant),
    tillId: optString(r.till_id),
    registeredIndex: r.registered_idx as number,
    revokedIndex: optInt(r.revoked_idx),
  };
}
