import type { SqliteStore } from '../../ledger/store/sqlite-store.js';

/**
 * Everything a refused request must leave as it was: the tree size, the latest signed checkpoint, every
 * balance, and the number of rows of every table (log, nodes, checkpoints, postings, baskets, keys…).
 * Two snapshots compare equal with toEqual when nothing was written in between.
 */
export interface LedgerSnapshot {
  readonly treeSize: number;
  readonly checkpoint: string | undefined;
  readonly balances: readonly string[];
  readonly rowCounts: Readonly<Record<string, number>>;
}

export function snapshot(store: SqliteStore): LedgerSnapshot {
  const tables = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
  const rowCounts: Record<string, number> = {};
  for (const { name } of tables) {
    // Table names come from sqlite_master itself, quoted as identifiers.
    const row = store.db.prepare(`SELECT count(*) AS n FROM "${name.replaceAll('"', '""')}"`).get() as { n: number };
    rowCounts[name] = row.n;
  }
  return {
    treeSize: store.size(),
    checkpoint: store.latestCheckpoint()?.note,
    balances: store.balances().map((b) => `${b.account} ${b.asset} ${b.balanceCents}`).sort(),
    rowCounts,
  };
}
