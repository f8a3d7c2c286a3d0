import assert from 'node:assert/strict';
import { CaisseError } from '../../domain/error-spec.js';
import type { SigningKey } from '../../domain/ed25519.js';
import { basketContentJson, basketHashOfJson, basketTotals, type Basket } from '../../domain/entry/basket.js';
import { bodyHashOfBodyBytes, signingMessageOfBodyBytes, verifyEntrySignature } from '../../domain/entry/sign.js';
import type { BodyOf, SignedEntry } from '../../domain/entry/schema.js';
import { limits } from '../../domain/limits.js';
import { canonicalJson } from '../../domain/jcs.js';
import { ledgerError } from '../errors.js';
import { decodeLeaf, encodeLeaf, type SealedEntry } from '../formats/leaf.js';
import { receiptFormatVersion, type Receipt } from '../formats/receipt.js';
import { signCheckpoint } from '../formats/checkpoint.js';
import { inclusionProof, inclusionProofNodes } from '../merkle/inclusion.js';
import { rootAt, subtreeRoot } from '../merkle/subtree-root.js';
import { leafHash } from '../merkle/rfc6962.js';
import type { SqliteStore } from '../store/sqlite-store.js';
import { appendLeafNodes } from '../store/tree-nodes.js';
import { applyEntry } from './apply.js';
import { BasketChecker, type CatalogSource } from './basket-check.js';
import type { KeyState } from './state.js';

export interface LedgerConfig {
  /** The log's origin line: names this log in every checkpoint. */
  readonly origin: string;
  readonly clockWindowMs: number;
  /** The ledger's clock; tests pass a deterministic one. */
  readonly nowMs?: () => number;
  /** Shops' catalogues, for evaluating payments' baskets again (see basket-check.ts). */
  readonly catalogs?: CatalogSource;
}

export interface Submission {
  readonly entry: SignedEntry;
  /** A payment's lines and salt; kept beside the log, never in it. */
  readonly basket?: Basket;
  /**
   * Set by a caller that already verified every signature against the registered key of its key id
   * (the batch endpoint does so in a pool of worker threads, on every core). Key ids are derived from
   * the public keys, so an id never names another key; revocation is still checked at apply time.
   */
  readonly signaturesVerified?: boolean;
  /** The body's JCS, when the caller computed it already (to verify on the pool): not computed twice. */
  readonly bodyJcs?: string;
}

export type Outcome = { readonly ok: true; readonly receipt: Receipt } | { readonly ok: false; readonly error: CaisseError };

interface Pending {
  readonly submission: Submission;
  readonly done: (outcome: Outcome) => void;
}

/**
 * The ledger: applies signed entries to the state and seals them into the Merkle log.
 *
 * Group commit: submissions that arrive together (in the same turn of the event loop, up to
 * `groupEntriesMax`) share one SQLite transaction and one signed checkpoint; none is acknowledged before
 * that transaction has committed (WAL, synchronous=FULL), so an acknowledged entry survives a crash.
 */
export class Ledger {
  readonly store: SqliteStore;
  readonly origin: string;
  private readonly key: SigningKey;
  /** How far an entry's creation time may be from the ledger's clock (offline till entries aside). */
  readonly clockWindowMs: number;
  private readonly nowMs: () => number;
  private readonly queue: Pending[] = [];
  private flushScheduled = false;
  private waitTimer: NodeJS.Timeout | undefined;
  private moreComing: () => boolean = () => false;
  private size: number;
  private readonly baskets: BasketChecker;

  constructor(store: SqliteStore, ledgerKey: SigningKey, config: LedgerConfig) {
    this.store = store;
    this.key = ledgerKey;
    this.origin = config.origin;
    this.clockWindowMs = config.clockWindowMs;
    this.nowMs = config.nowMs ?? Date.now;
    this.size = store.size();
    this.baskets = new BasketChecker(store, config.catalogs ?? new Map());
    this.checkStoredCheckpoint();
    this.checkOrigin();
  }

  /**
   * The genesis entry names the log's origin (every checkpoint repeats it) and its clock window: a
   * ledger.json edited to another would sign checkpoints that no verifier of this log accepts, or flag
   * entries by another window than the one an auditor replays.
   */
  private checkOrigin(): void {
    const genesis = this.size > 0 ? this.store.logAt(0) : undefined;
    if (genesis === undefined) return;
    const body = decodeLeaf(genesis.leaf).body;
    if (body.type !== 'ledger.genesis') throw ledgerError('LEDGER_GENESIS', 'the first entry of the log is not its genesis');
    const mismatch = this.genesisMismatch(body);
    if (mismatch !== undefined) throw ledgerError('LEDGER_CONFIG_MISMATCH', `ledger.json says ${mismatch}`);
  }

  /** What of this ledger's configuration a genesis body contradicts, if anything. */
  private genesisMismatch(body: BodyOf<'ledger.genesis'>): string | undefined {
    if (body.origin !== this.origin) return `origin ${this.origin}, the genesis ${body.origin}`;
    const windowMs = body.clockWindowMs ?? limits.clockWindowMsDefault;
    if (windowMs !== this.clockWindowMs) return `clock window ${this.clockWindowMs} ms, the genesis ${windowMs} ms`;
    return undefined;
  }

  /**
   * Before signing anything new on top of the stored tree, check that the tree still has the root of
   * the last checkpoint signed: the log never signs two checkpoints that are not consistent.
   */
  private checkStoredCheckpoint(): void {
    const latest = this.store.latestCheckpoint();
    if (latest === undefined) {
      assert.equal(this.size, 0, 'a non-empty log without a checkpoint');
      return;
    }
    assert.equal(latest.size, this.size, `the log has ${this.size} leaves, its last checkpoint ${latest.size}`);
    const root = rootAt(this.size, this.getNode);
    assert.ok(Buffer.from(root).equals(Buffer.from(latest.root)), 'stored tree does not match the last signed checkpoint');
  }

  private readonly getNode = (level: number, index: number): Uint8Array => {
    const hash = this.store.node(level, index);
    assert.ok(hash !== undefined, `missing tree node ${level}/${index}`);
    return hash;
  };

  treeSize(): number {
    return this.size;
  }

  /**
   * Another process may have appended since our last group (an operator's command on the same
   * directory, `caisse rules publish`): every state read comes from SQLite or from caches that
   * `reloadKeys` drops, so catching up means only the size and the caches. One read of the log's
   * size; the server calls it before every read request, and each group before it applies anything.
   */
  catchUp(): void {
    const storedSize = this.store.size();
    if (storedSize === this.size) return;
    this.store.reloadKeys();
    this.size = storedSize;
  }

  /** Queues one submission for the next group commit. */
  submit(submission: Submission): Promise<Outcome> {
    if (this.queue.length >= limits.queueEntriesMax) return Promise.resolve({ ok: false, error: ledgerError('LEDGER_OVERLOADED') });
    return new Promise((done) => {
      this.queue.push({ submission, done });
      this.scheduleFlush();
    });
  }

  submitMany(submissions: readonly Submission[]): Promise<Outcome[]> {
    return Promise.all(submissions.map((s) => this.submit(s)));
  }

  /**
   * Tells the group commit that submissions are on their way (signatures being verified on the pool's
   * threads): while `moreComing()` says so, a flush waits for them, at most `groupWaitMsMax`.
   */
  waitWhile(moreComing: () => boolean): void {
    this.moreComing = moreComing;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    if (this.queue.length < limits.groupEntriesMax && this.moreComing()) {
      // The submission that empties the backlog schedules the flush; the timer bounds the wait.
      this.waitTimer ??= setTimeout(() => {
        this.waitTimer = undefined;
        this.flushSoon();
      }, limits.groupWaitMsMax);
      return;
    }
    this.flushSoon();
  }

  private flushSoon(): void {
    if (this.flushScheduled) return;
    if (this.waitTimer !== undefined) {
      clearTimeout(this.waitTimer);
      this.waitTimer = undefined;
    }
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      const group = this.queue.splice(0, limits.groupEntriesMax);
      let outcomes: Outcome[];
      try {
        outcomes = this.appendGroup(group.map((p) => p.submission));
      } catch (e) {
        const error = e instanceof CaisseError ? e : ledgerError('LEDGER_INTERNAL', (e as Error).message);
        outcomes = group.map(() => ({ ok: false, error }));
      }
      group.forEach((p, i) => p.done(outcomes[i] ?? { ok: false, error: ledgerError('LEDGER_INTERNAL') }));
      if (this.queue.length > 0) this.scheduleFlush();
    });
  }

  /**
   * Applies a group of submissions in one transaction and signs one checkpoint for it. Each refused
   * submission wrote nothing (every check comes before the first write) and is answered with its error
   * code; the others go on.
   */
  appendGroup(submissions: readonly Submission[]): Outcome[] {
    assert.ok(submissions.length <= limits.groupEntriesMax);
    const ledgerTimeMs = this.nowMs();
    const results: (Appended | CaisseError)[] = [];
    try {
      this.appendInTransaction(submissions, ledgerTimeMs, results);
    } catch (e) {
      // Nothing of the group was committed: forget the leaves counted in memory.
      this.size = this.store.size();
      throw e;
    }
    const checkpoint = this.store.latestCheckpoint();
    // The group's receipts are proved against one tree size, so their proofs share most hashes (the
    // right border above the group): each subtree is hashed and encoded once per group.
    const proofHashes = new Map<string, string>();
    return results.map((r): Outcome => {
      if (r instanceof CaisseError) return { ok: false, error: r };
      assert.ok(checkpoint !== undefined);
      return { ok: true, receipt: this.receiptOf(r, checkpoint.size, checkpoint.note, proofHashes) };
    });
  }

  private appendInTransaction(
    submissions: readonly Submission[],
    ledgerTimeMs: number,
    results: (Appended | CaisseError)[],
  ): void {
    this.store.transaction(() => {
      this.catchUp();
      const sizeBefore = this.size;
      for (const submission of submissions) {
        const writesBefore = this.store.writeCount();
        try {
          results.push(this.appendOne(submission, ledgerTimeMs));
        } catch (e) {
          if (!(e instanceof CaisseError)) throw e;
          // A refusal must leave nothing behind in the group's transaction. apply.ts makes every check
          // before its first write; were that broken, the whole group is rolled back (LEDGER_INTERNAL)
          // rather than half an entry committed.
          assert.equal(this.store.writeCount(), writesBefore, `entry refused (${e.code}) after it wrote`);
          results.push(e);
        }
      }
      if (this.size > sizeBefore) {
        const root = rootAt(this.size, this.getNode);
        const note = signCheckpoint({ origin: this.origin, size: this.size, rootHash: root, extensions: [] }, this.key);
        this.store.insertCheckpoint({ size: this.size, root, note, signedAtMs: ledgerTimeMs });
      }
    });
  }

  /**
   * The same entry sent again is answered with its first receipt, but only when its signatures are
   * good: every endpoint refuses a bad signature alike, replay or not. The key was valid when the
   * entry was first appended, so a later revocation does not stop a till from fetching its receipt.
   */
  private checkReplaySignatures(entry: SignedEntry, message: Uint8Array): void {
    for (const sig of entry.signatures) {
      const key = this.store.key(sig.keyId);
      if (key === undefined) throw ledgerError('LEDGER_UNKNOWN_KEY', sig.keyId);
      if (!verifyWithKey(message, key, sig.signature)) throw ledgerError('LEDGER_BAD_SIGNATURE', `key ${sig.keyId}`);
    }
  }

  private appendOne(submission: Submission, ledgerTimeMs: number): Appended {
    const { entry, basket } = submission;
    // The body's JCS is computed once and serves the body hash, the signing message and the leaf.
    const bodyJcs = submission.bodyJcs ?? canonicalJson(entry.body);
    const bodyBytes = utf8.encode(bodyJcs);
    const bodyHash = bodyHashOfBodyBytes(bodyBytes);
    const existing = this.store.logById(entry.body.id);
    if (existing !== undefined) {
      if (!Buffer.from(existing.bodyHash).equals(Buffer.from(bodyHash))) throw ledgerError('LEDGER_ID_CONFLICT', entry.body.id);
      if (submission.signaturesVerified !== true) this.checkReplaySignatures(entry, signingMessageOfBodyBytes(bodyBytes));
      const flags = leafFlags(existing.leaf);
      return { index: existing.index, replayed: true, flags, entryId: existing.entryId, ledgerTimeMs: existing.ledgerTimeMs, leafHash: this.getNode(0, existing.index) };
    }
    const index = this.size;
    if (entry.body.type === 'ledger.genesis') {
      const mismatch = this.genesisMismatch(entry.body);
      if (mismatch !== undefined) throw ledgerError('LEDGER_GENESIS', `this ledger has ${mismatch}`);
    }
    let basketJson: string | undefined;
    const { flags } = applyEntry(this.store, entry, {
      index,
      ledgerTimeMs,
      clockWindowMs: this.clockWindowMs,
      verifySignature: submission.signaturesVerified === true ? alreadyVerified : verifyWithKey,
      signingMessage: signingMessageOfBodyBytes(bodyBytes),
      checkBeforeWrite: () => {
        basketJson = checkBasket(submission);
        if (entry.body.type === 'payment' && basket !== undefined) this.baskets.check(entry.body, basket);
      },
    });
    // Exactly the leaf's fields, named one by one: a spread of the submitted object cost 5 µs.
    const sealed: SealedEntry = flags.length > 0 ? { body: entry.body, signatures: entry.signatures, index, ledgerTimeMs, flags } : { body: entry.body, signatures: entry.signatures, index, ledgerTimeMs };
    const leaf = encodeLeaf(sealed, bodyJcs);
    const hash = leafHash(leaf);
    this.store.appendLeaf({ index, entryId: entry.body.id, bodyHash, type: entry.body.type, ledgerTimeMs, leaf });
    appendLeafNodes(this.store, index, hash);
    if ('postings' in entry.body) this.store.insertPostings(index, entry.body.postings);
    // Kept beside the log: the very text the basket hash was computed over (checkBasket wrote it).
    if (basket !== undefined) {
      assert.ok(basketJson !== undefined, 'a basket is checked before anything is written');
      this.store.insertBasket(index, entry.body.id, basket.salt, basketJson);
    }
    this.size = index + 1;
    return { index, replayed: false, flags, entryId: entry.body.id, ledgerTimeMs, leafHash: hash };
  }

  /** A receipt from what appending the entry already knew: no read of the leaf back. */
  private receiptOf(a: Appended, treeSize: number, checkpoint: string, proofHashes: Map<string, string>): Receipt {
    assert.ok(a.index < treeSize);
    const inclusion = inclusionProofNodes(a.index, treeSize).map(({ begin, end }) => {
      const key = `${begin}-${end}`;
      let hash = proofHashes.get(key);
      if (hash === undefined) {
        hash = Buffer.from(subtreeRoot(begin, end, this.getNode)).toString('base64');
        proofHashes.set(key, hash);
      }
      return hash;
    });
    const receipt: Receipt = {
      v: receiptFormatVersion,
      origin: this.origin,
      entryId: a.entryId,
      index: a.index,
      leafHash: Buffer.from(a.leafHash).toString('base64'),
      ledgerTimeMs: a.ledgerTimeMs,
      treeSize,
      inclusionProof: inclusion,
      checkpoint,
    };
    // A literal with spreads in it is built by copying, into an object slower to read and to answer
    // with: the usual receipt (no flag, first answer) is the plain literal.
    if (a.flags.length === 0 && !a.replayed) return receipt;
    return { ...receipt, ...(a.flags.length > 0 ? { flags: [...a.flags] } : {}), ...(a.replayed ? { replayed: true as const } : {}) };
  }

  receiptFor(index: number, treeSize: number, checkpoint: string, replayed: boolean): Receipt {
    const row = this.store.logAt(index);
    assert.ok(row !== undefined && index < treeSize);
    const hash = this.getNode(0, index);
    const proof = inclusionProof(index, treeSize, this.getNode);
    const flags = row.leaf.length > 0 ? leafFlags(row.leaf) : [];
    return {
      v: receiptFormatVersion,
      origin: this.origin,
      entryId: row.entryId,
      index,
      leafHash: Buffer.from(hash).toString('base64'),
      ledgerTimeMs: row.ledgerTimeMs,
      treeSize,
      inclusionProof: proof.map((h) => Buffer.from(h).toString('base64')),
      checkpoint,
      ...(flags.length > 0 ? { flags } : {}),
      ...(replayed ? { replayed: true as const } : {}),
    };
  }

  /** A receipt for an entry already in the log, against the latest checkpoint. */
  receiptForIndex(index: number): Receipt | undefined {
    const checkpoint = this.store.latestCheckpoint();
    if (checkpoint === undefined || index >= checkpoint.size) return undefined;
    return this.receiptFor(index, checkpoint.size, checkpoint.note, false);
  }
}

/** What appending one entry (or finding it already appended) tells its receipt. */
interface Appended {
  readonly index: number;
  readonly replayed: boolean;
  readonly flags: readonly 'offline'[];
  readonly entryId: string;
  readonly ledgerTimeMs: number;
  readonly leafHash: Uint8Array;
}

const utf8 = new TextEncoder();
const alreadyVerified = (): boolean => true;
const verifyWithKey = (message: Uint8Array, key: KeyState, signatureBase64: string): boolean =>
  verifyEntrySignature(message, key.publicKey, signatureBase64);

/** The offline flag is rare: a substring test avoids parsing every leaf when building receipts. */
function leafFlags(leaf: Uint8Array): 'offline'[] {
  return Buffer.from(leaf).includes('"flags":["offline"]') ? ['offline'] : [];
}

/**
 * A payment comes with its basket: the lines must hash to the summary the till signed, and add up to
 * the amounts it claims. Other entries carry no basket. Answers the basket's content as hashed (the JCS
 * of its lines and tier), the text the ledger keeps beside the log; undefined when there is none.
 */
function checkBasket(submission: Submission): string | undefined {
  const { entry, basket } = submission;
  const body = entry.body;
  if (body.type !== 'payment') {
    if (basket !== undefined) throw ledgerError('LEDGER_BASKET_MISMATCH', `a ${body.type} carries no basket`);
    return undefined;
  }
  if (basket === undefined) throw ledgerError('LEDGER_BASKET_MISMATCH', 'a payment comes with its basket lines');
  const contentJson = basketContentJson(basket);
  if (basketHashOfJson(basket.salt, contentJson) !== body.basket.hash) throw ledgerError('LEDGER_BASKET_MISMATCH', 'lines and tier do not hash to basket.hash');
  const totals = basketTotals(basket.lines);
  if (basket.lines.length !== body.basket.lineCount) throw ledgerError('LEDGER_BASKET_MISMATCH', `${basket.lines.length} lines, summary says ${body.basket.lineCount}`);
  if (totals.totalCents !== body.basket.totalCents) throw ledgerError('LEDGER_BASKET_MISMATCH', `lines total ${totals.totalCents}, summary ${body.basket.totalCents}`);
  if (totals.caisseCents !== body.amountCents) throw ledgerError('LEDGER_BASKET_MISMATCH', `lines give the caisse ${totals.caisseCents}, payment is ${body.amountCents}`);
  return contentJson;
}
