import type { KeyState } from '../core/state.js';
import type { NoteVerifier } from '../formats/note.js';
import type { LookedUpEntry } from './replay-state.js';
import type { Asset } from '../../domain/money.js';

/**
 * Where the audit reads a ledger from: its SQLite file (read-only, one snapshot) or its HTTP API.
 * Everything a source returns is untrusted: the audit checks it against the log and the signed
 * checkpoint. Optional parts exist only where the source has them (stored nodes and every stored
 * checkpoint in the file; consistency proofs over HTTP).
 */
export interface SourceRow {
  readonly index: number;
  readonly leaf: Uint8Array;
  /** The id stored beside the leaf (both sources have it). */
  readonly entryId: string;
  /** Local only: the other columns stored beside the leaf, which must match it. */
  readonly stored?: { readonly type: string; readonly ledgerTimeMs: number; readonly bodyHash: Uint8Array };
}

export interface StoredAccount {
  readonly id: string;
  readonly kind: string;
  readonly closed: boolean;
  readonly territory: string | undefined;
  readonly label: string | undefined;
  /** Local only. */
  readonly openedIndex?: number;
  readonly closedIndex?: number | undefined;
}

/** The state the ledger keeps (and serves), to compare with the replay. */
export interface StoredState {
  readonly accounts: readonly StoredAccount[];
  readonly balances: readonly { readonly account: string; readonly asset: Asset; readonly balanceCents: number }[];
  readonly keys?: readonly KeyState[];
  /** How much of a payment the store says was refunded (over HTTP: of the payments asked for). */
  readonly refundedCents?: (paymentId: string) => number | undefined;
  /** Locally: every payment the store says was refunded, and by how much. */
  readonly refunds?: ReadonlyMap<string, number>;
}

/** What the replay knows before asking for the stored state. */
export interface ReplayedCounts {
  /** The payments the log refunded (part of), whose stored refunded amount is compared. */
  readonly refundedPayments: readonly string[];
  readonly accounts: number;
  readonly keys: number;
}

export interface AuditSource {
  /** For messages: the file or the URL. */
  readonly label: string;
  readonly mode: 'local' | 'url';
  /** The log's checkpoint key (its name is the log's origin). */
  verifier(): Promise<NoteVerifier>;
  /** The latest signed checkpoint note, undefined for an empty ledger. */
  latestCheckpoint(): Promise<string | undefined>;
  /** The leaves [start, end) in order, in chunks, read ahead at most a bounded number of chunks. */
  rows(start: number, end: number): AsyncIterable<readonly SourceRow[]>;
  /**
   * Finds entries by id (what refunds and corrections name), each checked: the leaf carries that id
   * and sits at the index given, under the tree of `size` leaves with root `root`.
   */
  lookup(ids: readonly string[], size: number, root: Uint8Array): Promise<Map<string, LookedUpEntry>>;
  /**
   * The ledger's stored state (at the audited tree size: a snapshot locally; see balance rounds). The
   * replay's figures bound what a server may list: no more accounts or keys than the log made.
   */
  storedState(replayed: ReplayedCounts): Promise<StoredState>;
  /** Local only: a stored tree node. */
  readonly node?: (level: number, index: number) => Uint8Array | undefined;
  /** Local only: the stored nodes of one level with index in [from, to), at [index - from] (undefined where missing). */
  readonly nodesRange?: (level: number, from: number, to: number) => readonly (Uint8Array | undefined)[];
  /** Local only: the stored checkpoints of sizes in (afterSize, upToSize], by size. */
  readonly storedCheckpoints?: (afterSize: number, upToSize: number) => readonly { readonly size: number; readonly note: string; readonly root: Uint8Array }[];
  /** Local only: the number of leaves stored. */
  readonly storedSize?: () => number;
  /** URL only: a consistency proof between two tree sizes. */
  readonly consistencyProof?: (from: number, to: number) => Promise<Uint8Array[]>;
  close(): Promise<void>;
}
