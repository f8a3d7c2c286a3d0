import { cpus } from 'node:os';
import { CaisseError } from '../../domain/error-spec.js';
import { streamingTasksPerThread, VerifierPool } from '../crypto/verifier-pool.js';
import { parseVkey, type NoteVerifier } from '../formats/note.js';
import { verifyConsistency } from '../merkle/consistency.js';
import { emptyRoot, hashesEqual } from '../merkle/rfc6962.js';
import { rootAt } from '../merkle/subtree-root.js';
import { LogAuditor } from './auditor.js';
import { openAuditedCheckpoint, type VerifiedCheckpoint } from './checkpoints.js';
import { compareState } from './compare-state.js';
import { AuditFailure, auditFailure } from './failure.js';
import { openHttpSource } from './http-source.js';
import { auditLimits } from './limits.js';
import { openLocalSource } from './local-source.js';
import type { AuditSource, ReplayedCounts } from './source.js';

/**
 * `caisse ledger verify`: audits a ledger from its log alone. Every leaf is decoded and replayed
 * through the ledger's own applyEntry (every signature, each key's validity at that index, who may
 * sign what, postings, double entry, overdrafts); the Merkle root of the leaves must be the one of the
 * latest signed checkpoint, and of an earlier saved checkpoint at its size; the stored tree nodes and
 * checkpoints must match the leaves; the replayed balances, accounts and keys must be the stored ones.
 * See docs/AUDIT.md.
 */
export type AuditTarget = { readonly data: string } | { readonly url: string };

export interface AuditOptions {
  /** Verifier threads; default one per core; 0 verifies on the main thread. */
  readonly threads?: number;
  /** Pins the log's key (`name+keyid+key`); by default keys/ledger.key locally, /v1/log/key over HTTP. */
  readonly vkey?: string;
  /** A checkpoint note saved by an earlier audit: the log must extend it. */
  readonly savedCheckpoint?: string;
  /**
   * The clock window to replay with; by default the one the log's genesis entry states (signed, so
   * whoever serves the log cannot change it), or limits.clockWindowMsDefault when it states none.
   */
  readonly clockWindowMs?: number;
  /**
   * Where the sorted runs of entry ids go (about 45 bytes an entry; unlinked at once): the system's
   * temporary directory by default. Where /tmp is a tmpfs (Debian 13, Raspberry Pi OS) that is RAM.
   */
  readonly tempDir?: string;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface AuditReport {
  readonly source: string;
  readonly mode: 'local' | 'url';
  readonly entries: number;
  readonly accounts: number;
  readonly keys: number;
  readonly checkpoint: { readonly origin: string; readonly size: number; readonly rootBase64: string; readonly note: string };
  /** Stored checkpoints whose signature and root were checked (local); 0 over HTTP. */
  readonly storedCheckpointsVerified: number;
  /** The saved checkpoint the log was found to extend, if one was given. */
  readonly savedCheckpointSize: number | undefined;
  readonly threads: number;
  readonly seconds: number;
  readonly entriesPerSecond: number;
}

export async function audit(target: AuditTarget, options: AuditOptions = {}): Promise<AuditReport> {
  const startedMs = performance.now();
  const pinned: NoteVerifier | undefined = options.vkey === undefined ? undefined : parseVkeyOption(options.vkey);
  const source: AuditSource = 'data' in target ? openLocalSource(target.data, { ...(pinned ? { verifier: pinned } : {}), ...(options.tempDir !== undefined ? { tempDir: options.tempDir } : {}) }) : openHttpSource(target.url, options.vkey ? { vkey: options.vkey } : {});
  const threads = Math.min(options.threads ?? cpus().length, auditLimits.threadsMax);
  const pool = new VerifierPool(threads, undefined, streamingTasksPerThread);
  // The pool's threads do not keep the process alive (they are unref'd): while the main thread only
  // waits for them, this timer does, or Node would exit mid-audit with nothing left to run.
  const keepAlive = setInterval(() => undefined, 60_000);
  let auditor: LogAuditor | undefined;
  try {
    const verifier = await source.verifier();
    let latest = await latestCheckpoint(source, verifier);
    const expectedRoots = new Map<number, { root: Uint8Array; what: string }>();
    const saved = options.savedCheckpoint === undefined ? undefined : openAuditedCheckpoint(options.savedCheckpoint, verifier, 'saved checkpoint');
    if (saved !== undefined) {
      await checkSavedAgainstLatest(source, saved, latest);
      expectedRoots.set(saved.checkpoint.size, { root: saved.checkpoint.rootHash, what: `saved checkpoint of size ${saved.checkpoint.size}` });
    }

    auditor = new LogAuditor({
      source,
      pool,
      verifier,
      clockWindowMs: options.clockWindowMs,
      expectedRoots,
      ...(options.tempDir !== undefined ? { tempDir: options.tempDir } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    auditor.checkTempWritable();
    await auditor.advanceTo(latest);
    auditor.checkEntryIdsUnique();

    if (source.mode === 'local') {
      checkLocalTree(source, latest);
      compareState(auditor.state, await source.storedState(replayedCounts(auditor)));
    } else {
      const audited = latest.checkpoint.size;
      latest = await compareServedState(source, verifier, auditor, latest);
      // The log grew while balances were read, and the audit followed it.
      if (latest.checkpoint.size > audited) auditor.checkEntryIdsUnique();
    }
    checkLogKeyRegistered(auditor, verifier);

    const seconds = (performance.now() - startedMs) / 1000;
    return {
      source: source.label,
      mode: source.mode,
      entries: auditor.size,
      accounts: auditor.state.accounts().length,
      keys: auditor.state.keys().length,
      checkpoint: {
        origin: latest.checkpoint.origin,
        size: latest.checkpoint.size,
        rootBase64: Buffer.from(latest.checkpoint.rootHash).toString('base64'),
        note: latest.note,
      },
      storedCheckpointsVerified: auditor.checkpointsVerified,
      savedCheckpointSize: saved?.checkpoint.size,
      threads: pool.threads,
      seconds,
      entriesPerSecond: seconds > 0 ? auditor.size / seconds : 0,
    };
  } finally {
    auditor?.close();
    clearInterval(keepAlive);
    await pool.close();
    await source.close();
  }
}

function parseVkeyOption(vkey: string): NoteVerifier {
  try {
    return parseVkey(vkey);
  } catch (e) {
    if (e instanceof CaisseError) throw auditFailure('AUDIT_CHECKPOINT_INVALID', {}, `--vkey: ${e.detail}`);
    throw e;
  }
}

async function latestCheckpoint(source: AuditSource, verifier: NoteVerifier): Promise<VerifiedCheckpoint> {
  const note = await source.latestCheckpoint();
  if (note === undefined) throw auditFailure('AUDIT_CHECKPOINT_MISSING', {}, source.label);
  return openAuditedCheckpoint(note, verifier, 'latest checkpoint');
}

/**
 * The saved checkpoint must be a prefix of the latest: no larger (a log cannot shrink) and, over HTTP,
 * proved consistent by the server's proof. The streaming replay then finds its root at its size.
 */
async function checkSavedAgainstLatest(source: AuditSource, saved: VerifiedCheckpoint, latest: VerifiedCheckpoint): Promise<void> {
  const from = saved.checkpoint.size;
  const to = latest.checkpoint.size;
  if (from > to) throw auditFailure('AUDIT_INCONSISTENT_CHECKPOINT', { size: from }, `the saved checkpoint has ${from} leaves, the log now ${to}: it was cut back`);
  if (from === 0) {
    if (!hashesEqual(saved.checkpoint.rootHash, emptyRoot())) throw auditFailure('AUDIT_INCONSISTENT_CHECKPOINT', { size: 0 }, 'saved checkpoint of the empty tree with another root');
    return;
  }
  if (source.consistencyProof === undefined) return;
  try {
    const proof = await source.consistencyProof(from, to);
    verifyConsistency(from, to, proof, saved.checkpoint.rootHash, latest.checkpoint.rootHash);
  } catch (e) {
    if (e instanceof CaisseError && !(e instanceof AuditFailure)) {
      throw auditFailure('AUDIT_INCONSISTENT_CHECKPOINT', { size: from }, `consistency proof ${from} → ${to}: ${e.code} ${e.detail}`);
    }
    throw e;
  }
}

/** Locally: no leaves beyond the latest checkpoint, and the stored tree gives the same root. */
function checkLocalTree(source: AuditSource, latest: VerifiedCheckpoint): void {
  const size = latest.checkpoint.size;
  const stored = source.storedSize?.() ?? size;
  if (stored > size) throw auditFailure('AUDIT_ROOT_MISMATCH', { index: size }, `${stored - size} leaves stored beyond the latest signed checkpoint (size ${size})`);
  const node = source.node;
  if (node === undefined) return;
  let root: Uint8Array;
  try {
    root = rootAt(size, node);
  } catch (e) {
    if (e instanceof CaisseError) throw auditFailure('AUDIT_NODE_MISMATCH', { size }, `${e.code} ${e.detail}`);
    throw e;
  }
  if (!hashesEqual(root, latest.checkpoint.rootHash)) throw auditFailure('AUDIT_NODE_MISMATCH', { size }, 'the stored tree nodes give another root');
}

/**
 * Over HTTP the ledger may keep appending while the audit reads balances. Balances read between two
 * reads of the same checkpoint belong to that tree; when the checkpoint moved, the audit follows the
 * log to the new one (its root checked like the first) and reads again, a bounded number of times.
 */
async function compareServedState(source: AuditSource, verifier: NoteVerifier, auditor: LogAuditor, start: VerifiedCheckpoint): Promise<VerifiedCheckpoint> {
  let latest = start;
  for (let round = 0; round < auditLimits.balanceRoundsMax; round++) {
    const stored = await source.storedState(replayedCounts(auditor));
    const again = await latestCheckpoint(source, verifier);
    const size = latest.checkpoint.size;
    if (again.checkpoint.size < size || (again.checkpoint.size === size && !hashesEqual(again.checkpoint.rootHash, latest.checkpoint.rootHash))) {
      throw auditFailure('AUDIT_INCONSISTENT_CHECKPOINT', { size: again.checkpoint.size }, `the ledger now signs another tree than the one of size ${size} just audited`);
    }
    if (again.checkpoint.size === size) {
      compareState(auditor.state, stored);
      return latest;
    }
    await auditor.advanceTo(again);
    latest = again;
  }
  throw auditFailure('AUDIT_LEDGER_BUSY', { size: latest.checkpoint.size }, `${auditLimits.balanceRoundsMax} rounds`);
}

function replayedCounts(auditor: LogAuditor): ReplayedCounts {
  return { refundedPayments: [...auditor.state.refunds().keys()], accounts: auditor.state.accounts().length, keys: auditor.state.keys().length };
}

/**
 * The key that signs checkpoints must be a ledger key registered in the log itself (at genesis), under
 * the origin the genesis entry set.
 */
function checkLogKeyRegistered(auditor: LogAuditor, verifier: NoteVerifier): void {
  if (auditor.genesisOrigin !== undefined && auditor.genesisOrigin !== verifier.name) {
    throw auditFailure('AUDIT_CHECKPOINT_INVALID', { index: 0 }, `the checkpoints name the log ${verifier.name}, its genesis entry ${auditor.genesisOrigin}`);
  }
  const registered = auditor.state.keys().some((k) => k.role === 'ledger' && hashesEqual(k.publicKey, verifier.publicKey));
  if (!registered) throw auditFailure('AUDIT_CHECKPOINT_INVALID', {}, 'the checkpoints are signed by a key the log never registered as a ledger key');
}
