import assert from 'node:assert/strict';
import { CaisseError } from '../../domain/error-spec.js';
import { limits } from '../../domain/limits.js';
import { verifyEntrySignature } from '../../domain/entry/sign.js';
import { applyEntry } from '../core/apply.js';
import type { KeyState } from '../core/state.js';
import type { VerifierPool } from '../crypto/verifier-pool.js';
import { runVerifyTask, taskCheckIs, type VerifyResult } from '../crypto/verify-task.js';
import { decodeLeaf, type SealedEntry } from '../formats/leaf.js';
import type { NoteVerifier } from '../formats/note.js';
import { CompactRange } from '../merkle/compact-range.js';
import { hashesEqual } from '../merkle/rfc6962.js';
import type { VerifiedCheckpoint } from './checkpoints.js';
import { splitStoredCheckpoint, type StoredCheckpointCheck } from './checkpoints.js';
import { EntryIdRuns } from './entry-ids.js';
import { AuditFailure, auditFailure } from './failure.js';
import { auditLimits } from './limits.js';
import { prepareChunk, type KeyResolver, type PreparedChunk, type PreparedEntry } from './prepare.js';
import { ReplayState, type LookedUpEntry } from './replay-state.js';
import type { AuditSource, SourceRow } from './source.js';

/**
 * Streams the log through the audit pipeline and replays it:
 *
 *   read a chunk → prepare it (main thread, in order: find signatures and bodies, resolve keys, pack)
 *     → verifier thread (signatures and leaf hashes) and look-ups of the ids it names
 *     → replay (main thread, in order: decode and validate each leaf, applyEntry with the threads'
 *       answers, Merkle root, checkpoints)
 *
 * At most `chunksInFlightPerThread` chunks per thread are between reading and replay, so memory stays
 * flat however long the log is. The first fault stops the audit with the index where it was found.
 */
export interface AuditorOptions {
  readonly source: AuditSource;
  readonly pool: VerifierPool;
  readonly verifier: NoteVerifier;
  /**
   * The clock window to replay with, when the auditor pins one (`--clock-window-ms`); otherwise the one
   * the genesis entry states, or limits.clockWindowMsDefault when it states none.
   */
  readonly clockWindowMs: number | undefined;
  /** Roots that must be found at given tree sizes (an earlier checkpoint saved by a previous run). */
  readonly expectedRoots: ReadonlyMap<number, { root: Uint8Array; what: string }>;
  /** Where the sorted runs of entry ids go (see EntryIdRuns); the system's temporary directory by default. */
  readonly tempDir?: string;
  readonly onProgress?: (done: number, total: number) => void;
}

interface ReadyChunk {
  readonly chunk: PreparedChunk;
  readonly result: VerifyResult;
  readonly found: Map<string, LookedUpEntry>;
  readonly checkpoints: ReadonlyMap<number, StoredCheckpointCheck | AuditFailure>;
}

export class LogAuditor {
  readonly state: ReplayState;
  private readonly compact = new CompactRange();
  private readonly resolver: KeyResolver = new Map();
  private found = new Map<string, LookedUpEntry>();
  /** Per level, the stored nodes the chunk being replayed completes, from index storedFrom[level] on (see prefetchNodes). */
  private storedNodes: (readonly (Uint8Array | undefined)[])[] = [];
  private storedFrom: number[] = [];
  /** The chunk being replayed and its entry being applied (one object per chunk, its entry updated). */
  private current: { entry: PreparedEntry | undefined; readonly chunk: PreparedChunk; readonly result: VerifyResult } | undefined;
  /** Stored checkpoints whose signature and root were checked. */
  checkpointsVerified = 0;
  /** The origin the genesis entry set, once replayed. */
  genesisOrigin: string | undefined;
  /** The clock window the replay applies (see AuditorOptions.clockWindowMs). */
  clockWindowMs: number;
  private closed = false;
  /** Every entry id replayed, for the check that none appears twice (`checkEntryIdsUnique`). */
  private readonly entryIds: EntryIdRuns;

  constructor(private readonly options: AuditorOptions) {
    this.clockWindowMs = options.clockWindowMs ?? limits.clockWindowMsDefault;
    this.entryIds = new EntryIdRuns(options.tempDir !== undefined ? { tempRoot: options.tempDir } : {});
    this.state = new ReplayState((id) => this.found.get(id));
  }

  /**
   * Once every leaf is replayed: no entry id may appear twice (the ledger answers a request sent again
   * with its first receipt and never appends it twice). Found by an external sort of the ids, so the
   * answer comes after the replay, at the index where an id first appears again.
   */
  checkEntryIdsUnique(): void {
    const duplicate = this.entryIds.findDuplicate();
    if (duplicate !== undefined) {
      throw auditFailure('AUDIT_DUPLICATE_ID', { index: duplicate.againIndex }, `entry id ${duplicate.id} is already at index ${duplicate.firstIndex}`);
    }
  }

  /** Fails at once if the temporary directory cannot take the sorted runs of entry ids. */
  checkTempWritable(): void {
    this.entryIds.checkWritable();
  }

  /** Removes what the audit kept on disk (the sorted runs of entry ids); chunks still out are dropped. */
  close(): void {
    this.closed = true;
    this.entryIds.close();
  }

  /** Leaves audited so far. */
  get size(): number {
    return this.compact.size;
  }

  root(): Uint8Array {
    return this.compact.root();
  }

  /** Audits the leaves from the current size up to the checkpoint's, and checks its root. */
  async advanceTo(target: VerifiedCheckpoint): Promise<void> {
    const { source, pool } = this.options;
    const total = target.checkpoint.size;
    assert.ok(total >= this.size);
    const inFlightMax = Math.max(1, pool.threads) * auditLimits.chunksInFlightPerThread;
    const pending: Promise<ReadyChunk>[] = [];
    const rows = source.rows(this.size, total)[Symbol.asyncIterator]();
    let position = this.size;
    let reading = true;

    const fill = async () => {
      while (reading && pending.length < inFlightMax) {
        const next = await rows.next();
        if (next.done === true) {
          reading = false;
          break;
        }
        const checkpoints = this.storedCheckpoints(next.value, position);
        const valid = [...checkpoints.values()].filter((c): c is StoredCheckpointCheck => !(c instanceof AuditFailure));
        const chunk = prepareChunk(next.value, position, this.resolver, valid, this.options.verifier.publicKey);
        position += chunk.entries.length;
        // Past a fault nothing more is read: the replay stops there.
        if (chunk.failure !== undefined) reading = false;
        // A thread that dies with the chunk (out of memory…) does not stop the audit: the chunk is
        // checked here instead. Once the audit has stopped (close), its chunks are dropped.
        const checked = pool.run(chunk.task).catch((e: unknown) => {
          if (this.closed) throw e;
          return runVerifyTask(chunk.task);
        });
        const ready = Promise.all([checked, source.lookup(chunk.lookups, total, target.checkpoint.rootHash)]).then(
          ([result, found]): ReadyChunk => ({ chunk, result, found, checkpoints }),
        );
        ready.catch(() => undefined); // awaited in order below
        pending.push(ready);
      }
    };

    try {
      for (;;) {
        await fill();
        const next = pending.shift();
        if (next === undefined) break;
        this.replay(await next, total);
      }
    } finally {
      await rows.return?.();
    }
    if (this.size < total) throw auditFailure('AUDIT_LOG_TRUNCATED', { index: this.size }, `the log ends at ${this.size} leaves, its checkpoint signs ${total}`);
    if (!hashesEqual(this.compact.root(), target.checkpoint.rootHash)) {
      throw auditFailure('AUDIT_ROOT_MISMATCH', { size: total }, 'the root of the leaves is not the signed root');
    }
  }

  /**
   * Stored checkpoints (local source) at the tree sizes this chunk's leaves reach, read by size (one
   * range read per chunk): group commits that share a millisecond share a ledger time, and nothing
   * else tells where a checkpoint was signed.
   */
  private storedCheckpoints(rows: readonly SourceRow[], from: number): Map<number, StoredCheckpointCheck | AuditFailure> {
    const out = new Map<number, StoredCheckpointCheck | AuditFailure>();
    const between = this.options.source.storedCheckpoints;
    if (between === undefined) return out;
    for (const stored of between(from, from + rows.length)) {
      try {
        out.set(stored.size, splitStoredCheckpoint(stored.size, stored.note, stored.root, this.options.verifier));
      } catch (e) {
        if (!(e instanceof AuditFailure)) throw e;
        out.set(stored.size, e);
      }
    }
    return out;
  }

  private replay(ready: ReadyChunk, total: number): void {
    const { chunk, result } = ready;
    this.found = ready.found;
    this.prefetchNodes(this.size, this.size + chunk.entries.length);
    this.current = { entry: undefined, chunk, result };
    const current = this.current;
    chunk.entries.forEach((entry, k) => {
      const index = this.size;
      current.entry = entry;
      this.replayEntry(entry, decodedLeaf(entry.row.leaf, index), index);
      this.compact.append(result.leafHashes.subarray(k * 32, k * 32 + 32), this.checkNode);
      const size = index + 1;
      const stored = ready.checkpoints.get(size);
      if (stored !== undefined) this.checkStoredCheckpoint(stored, chunk, result);
      const expected = this.options.expectedRoots.get(size);
      if (expected !== undefined && !hashesEqual(this.compact.root(), expected.root)) {
        throw auditFailure('AUDIT_INCONSISTENT_CHECKPOINT', { size }, `${expected.what}: the log has another root at that size`);
      }
      this.options.onProgress?.(size, total);
    });
    this.current = undefined;
    if (chunk.failure !== undefined) throw chunk.failure;
  }

  private replayEntry(entry: PreparedEntry, sealed: SealedEntry, index: number): void {
    const { row } = entry;
    this.entryIds.add(sealed.body.id, index);
    if (sealed.index !== index) throw auditFailure('AUDIT_INDEX_MISMATCH', { index }, `the leaf says index ${sealed.index}`);
    if (sealed.body.type === 'ledger.genesis') {
      this.genesisOrigin = sealed.body.origin;
      this.clockWindowMs = this.options.clockWindowMs ?? sealed.body.clockWindowMs ?? limits.clockWindowMsDefault;
    }
    this.state.beginEntry(index);
    let flags: readonly string[];
    try {
      flags = applyEntry(this.state, sealed, {
        index,
        ledgerTimeMs: sealed.ledgerTimeMs,
        clockWindowMs: this.clockWindowMs,
        verifySignature: this.verifySignature,
        // The leaf is canonical (decodedLeaf checked), so the bytes after `{"body":` are exactly the
        // body's JCS: prepare sliced the signing message out of them instead of encoding it again.
        signingMessage: entry.message,
      }).flags;
    } catch (e) {
      if (!(e instanceof CaisseError)) throw e;
      if (e.code === 'LEDGER_BAD_SIGNATURE') throw auditFailure('AUDIT_BAD_SIGNATURE', { index }, `entry ${sealed.body.id}, ${e.detail}`);
      throw auditFailure('AUDIT_RULE_VIOLATION', { index, ledgerCode: e.code }, `entry ${sealed.body.id}: ${e.detail}`);
    }
    if (flags.length !== (sealed.flags?.length ?? 0)) {
      throw auditFailure('AUDIT_FLAGS_MISMATCH', { index }, `the leaf says [${(sealed.flags ?? []).join(',')}], its times say [${flags.join(',')}]`);
    }
    if (row.entryId !== sealed.body.id) throw auditFailure('AUDIT_ROW_MISMATCH', { index }, `stored id ${row.entryId}, the leaf's ${sealed.body.id}`);
    const stored = row.stored;
    if (stored !== undefined) {
      const bodyHash = entry.bodyHash;
      assert.ok(bodyHash !== undefined, 'a valid leaf has its body where prepare looks for it');
      if (stored.type !== sealed.body.type || stored.ledgerTimeMs !== sealed.ledgerTimeMs || !hashesEqual(stored.bodyHash, bodyHash)) {
        throw auditFailure('AUDIT_ROW_MISMATCH', { index }, `stored type, time or body hash of ${sealed.body.id} differ from its leaf`);
      }
    }
  }

  /**
   * applyEntry's signature check: the thread's answer when it verified exactly this message with
   * exactly this key and signature; otherwise (never expected) a verification right here.
   */
  private readonly verifySignature = (message: Uint8Array, key: KeyState, signatureBase64: string): boolean => {
    const current = this.current;
    assert.ok(current !== undefined && current.entry !== undefined);
    const { entry, chunk, result } = current;
    const signatures = entry.signatures;
    for (let j = 0; j < signatures.length; j++) {
      const at = entry.checkAt[j] ?? -1;
      if (at < 0 || signatures[j]?.signature !== signatureBase64) continue;
      if (taskCheckIs(chunk.task, at, message, key.publicKey)) return result.valid[at] === 1;
    }
    return verifyEntrySignature(message, key.publicKey, signatureBase64);
  };

  /**
   * Reads, one range per level, the stored nodes that appending leaves [start, end) completes: at level
   * L, the nodes whose last leaf, (i + 1) * 2^L - 1, falls in the range. A point read per node cost the
   * main thread a tenth of its time.
   */
  private prefetchNodes(start: number, end: number): void {
    const range = this.options.source.nodesRange;
    this.storedNodes = [];
    this.storedFrom = [];
    if (range === undefined) return;
    for (let level = 0, width = 1; width <= end; level++, width *= 2) {
      const from = Math.floor(start / width);
      const to = Math.floor(end / width);
      this.storedNodes.push(to > from ? range(level, from, to) : []);
      this.storedFrom.push(from);
    }
  }

  /** Each tree node completed while streaming must be the one stored (local source). */
  private readonly checkNode = (level: number, index: number, hash: Uint8Array): void => {
    const read = this.options.source.node;
    if (read === undefined) return;
    const prefetched = this.storedNodes[level];
    const stored = prefetched !== undefined ? prefetched[index - (this.storedFrom[level] ?? 0)] : read(level, index);
    if (stored === undefined || !hashesEqual(stored, hash)) {
      throw auditFailure('AUDIT_NODE_MISMATCH', { index: index * 2 ** level }, `stored node level ${level}, index ${index} ${stored === undefined ? 'is missing' : 'differs'}`);
    }
  };

  private checkStoredCheckpoint(stored: StoredCheckpointCheck | AuditFailure, chunk: PreparedChunk, result: VerifyResult): void {
    if (stored instanceof AuditFailure) throw stored;
    const at = chunk.extraChecks.get(stored.size);
    assert.ok(at !== undefined);
    if (result.valid[at] !== 1) throw auditFailure('AUDIT_CHECKPOINT_INVALID', { size: stored.size }, 'stored checkpoint signature does not verify with the log key');
    const root = this.compact.root();
    if (!hashesEqual(root, stored.checkpoint.rootHash) || !hashesEqual(root, stored.storedRoot)) {
      throw auditFailure('AUDIT_ROOT_MISMATCH', { size: stored.size }, 'a stored checkpoint signs another root than the leaves give');
    }
    this.checkpointsVerified++;
  }
}

/**
 * The leaf parsed and validated (format and canonical form), here rather than on a verifier thread:
 * the replay needs it parsed anyway, and parsing it twice cost more than the threads saved. Parsed
 * only when its turn comes, so that parsed leaves never wait in memory for their chunk's thread.
 */
function decodedLeaf(leaf: Uint8Array, index: number): SealedEntry {
  try {
    return decodeLeaf(leaf);
  } catch (e) {
    // Whatever a leaf makes the decoder refuse (format, canonical form, nesting) makes it malformed.
    if (e instanceof Error) throw auditFailure('AUDIT_LEAF_MALFORMED', { index }, e.message);
    throw e;
  }
}
