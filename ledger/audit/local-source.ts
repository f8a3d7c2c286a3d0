import { join } from 'node:path';
import { homeFiles, readConfig, readVerifierKey } from '../home.js';
import type { NoteVerifier } from '../formats/note.js';
import { openReadOnlyStore, type ReadOnlyStore } from '../store/read-only-open.js';
import { auditFailure } from './failure.js';
import { auditLimits } from './limits.js';
import { lookedUpFromLeaf } from './lookup.js';
import type { LookedUpEntry } from './replay-state.js';
import type { AuditSource, SourceRow, StoredState } from './source.js';

/**
 * A ledger's data directory, read through a read-only SQLite connection inside one read transaction:
 * the audit sees one snapshot (leaves, checkpoints, nodes and balances at the same tree size) even
 * while the ledger keeps serving and appending.
 */
export function openLocalSource(dir: string, options: { verifier?: NoteVerifier; tempDir?: string } = {}): AuditSource {
  readConfig(dir);
  let verifier: NoteVerifier;
  let opened: ReadOnlyStore;
  try {
    verifier = options.verifier ?? readVerifierKey(dir);
    opened = openReadOnlyStore(join(dir, homeFiles.database), options.tempDir);
  } catch (e) {
    // A missing or unreadable key file or database is bad input, answered with a code.
    throw auditFailure('AUDIT_SOURCE_UNAVAILABLE', {}, `${dir}: ${(e as Error).message}`);
  }
  const store = opened.store;
  // WAL readers keep the snapshot of their first read until the transaction ends.
  store.db.exec('BEGIN');
  return {
    label: dir,
    mode: 'local',
    verifier: async () => verifier,
    latestCheckpoint: async () => store.latestCheckpoint()?.note,
    async *rows(start: number, end: number): AsyncIterable<readonly SourceRow[]> {
      for (let at = start; at < end; at += auditLimits.chunkEntries) {
        // One read per chunk (bounded by chunkEntries), not a call into SQLite per row.
        const chunk: SourceRow[] = store
          .logRange(at, Math.min(at + auditLimits.chunkEntries, end))
          .map((row) => ({ index: row.index, leaf: row.leaf, entryId: row.entryId, stored: row }));
        yield chunk;
        if (chunk.length < Math.min(auditLimits.chunkEntries, end - at)) return;
      }
    },
    async lookup(ids: readonly string[]): Promise<Map<string, LookedUpEntry>> {
      const found = new Map<string, LookedUpEntry>();
      for (const id of ids) {
        const row = store.logById(id);
        if (row !== undefined) found.set(id, lookedUpFromLeaf(id, row.index, row.leaf));
      }
      return found;
    },
    async storedState(): Promise<StoredState> {
      return {
        accounts: store.accounts(),
        balances: store.balances(),
        keys: store.keys(),
        refundedCents: (paymentId) => store.payment(paymentId)?.refundedCents,
        refunds: store.refundedPayments(),
      };
    },
    node: (level, index) => store.node(level, index),
    nodesRange: (level, from, to) => store.nodesRange(level, from, to),
    storedCheckpoints: (afterSize, upToSize) => store.checkpointsBetween(afterSize, upToSize),
    storedSize: () => store.size(),
    async close() {
      if (store.db.inTransaction) store.db.exec('ROLLBACK');
      opened.close();
    },
  };
}
