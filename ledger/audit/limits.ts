import { limits } from '../../domain/limits.js';

/**
 * Limits of the audit. Everything the audit holds in memory is bounded by one of these or by the
 * number of accounts and keys (balances, accounts, keys) and of refunded payments (their refunded
 * amounts): never by the length of the log. test/audit/limits.test.ts checks that they fit together.
 */
export const auditLimits = {
  /** Leaves read, decoded and sent to one verifier thread at a time. */
  chunkEntries: 512,
  /** Chunks read ahead of the replay, per verifier thread: enough to keep every thread busy. */
  chunksInFlightPerThread: 2,
  /** Leaves per GET /v1/log/entries page with --url: the API's own page limit. */
  pageEntries: limits.entriesPageMax,
  /** Pages requested ahead with --url. */
  pagesInFlight: 4,
  /** Concurrent requests when reading accounts, ids and proofs back over HTTP. */
  lookupsInFlight: 8,
  /**
   * With --url the ledger may keep appending while the audit reads balances: the audit then follows the
   * log to its new checkpoint and compares again, this many times at most.
   */
  balanceRoundsMax: 5,
  /**
   * Entry ids sorted in memory before a run is written to a temporary file (entry-ids.ts): about 6 MB
   * of ids at most.
   */
  idRunEntries: 65_536,
  /** Runs of entry ids merged at a time (entry-ids.ts): open files and merge memory per level. */
  idRunsFanIn: 16,
  /** Verifier threads at most (the pool's own bound). */
  threadsMax: 64,
} as const;

export type AuditLimits = typeof auditLimits;
