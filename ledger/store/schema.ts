/**
 * The ledger's SQLite schema. The log tables (log, nodes, checkpoints, postings) are append-only:
 * triggers refuse UPDATE and DELETE, so even a bug in this program cannot rewrite history (an attacker
 * with the file can drop the triggers; `caisse ledger verify` is what catches that). The state tables
 * (accounts, balances, keys, payments, allowances, rules) are derived from the log and can always be
 * rebuilt by replaying it; the audit compares them with a replay. Baskets sit beside the log: personal
 * data, erasable on request, never needed to verify the log.
 */
export const schemaVersion = 2;

export const appendOnlyTables = ['log', 'nodes', 'checkpoints', 'postings'] as const;

export const schemaSql = `
CREATE TABLE IF NOT EXISTS meta (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- One row per leaf: the exact leaf bytes (JCS of the sealed entry) and what finds them again.
CREATE TABLE IF NOT EXISTS log (
  idx INTEGER PRIMARY KEY,
  entry_id TEXT NOT NULL UNIQUE,
  body_hash BLOB NOT NULL,
  type TEXT NOT NULL,
  ledger_time_ms INTEGER NOT NULL,
  leaf BLOB NOT NULL
) STRICT;

-- Hash of every perfect subtree: (level, idx) covers leaves [idx * 2^level, (idx + 1) * 2^level).
CREATE TABLE IF NOT EXISTS nodes (
  level INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  hash BLOB NOT NULL,
  PRIMARY KEY (level, idx)
) STRICT, WITHOUT ROWID;

-- Every checkpoint the ledger ever signed, so that it never signs two that are inconsistent.
CREATE TABLE IF NOT EXISTS checkpoints (
  size INTEGER PRIMARY KEY,
  root BLOB NOT NULL,
  note TEXT NOT NULL,
  signed_at_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS postings (
  entry_idx INTEGER NOT NULL,
  account TEXT NOT NULL,
  asset TEXT NOT NULL,
  amount_cents INTEGER NOT NULL,
  PRIMARY KEY (account, entry_idx, asset)
) STRICT, WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS accounts (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  territory TEXT,
  label TEXT,
  opened_idx INTEGER NOT NULL,
  closed_idx INTEGER
) STRICT;

CREATE TABLE IF NOT EXISTS balances (
  account TEXT NOT NULL,
  asset TEXT NOT NULL,
  balance_cents INTEGER NOT NULL,
  PRIMARY KEY (account, asset)
) STRICT, WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS keys (
  key_id TEXT PRIMARY KEY,
  public_key BLOB NOT NULL,
  role TEXT NOT NULL,
  merchant TEXT,
  till_id TEXT,
  registered_idx INTEGER NOT NULL,
  revoked_idx INTEGER
) STRICT;

CREATE TABLE IF NOT EXISTS payments (
  idx INTEGER PRIMARY KEY,
  entry_id TEXT NOT NULL,
  payer TEXT NOT NULL,
  merchant TEXT NOT NULL,
  amount_cents INTEGER NOT NULL,
  refunded_cents INTEGER NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS allowances (
  period TEXT NOT NULL,
  account TEXT NOT NULL,
  idx INTEGER NOT NULL,
  PRIMARY KEY (period, account)
) STRICT, WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS rules (
  territory TEXT NOT NULL,
  version TEXT NOT NULL,
  document_hash TEXT NOT NULL,
  idx INTEGER NOT NULL,
  PRIMARY KEY (territory, version)
) STRICT;

CREATE TABLE IF NOT EXISTS baskets (
  entry_idx INTEGER PRIMARY KEY,
  entry_id TEXT NOT NULL,
  salt TEXT,
  content TEXT,
  erased_at_ms INTEGER
) STRICT;

${appendOnlyTables
  .map(
    (t) => `
CREATE TRIGGER IF NOT EXISTS ${t}_no_update BEFORE UPDATE ON ${t}
BEGIN SELECT RAISE(ABORT, '${t} is append-only'); END;
CREATE TRIGGER IF NOT EXISTS ${t}_no_delete BEFORE DELETE ON ${t}
BEGIN SELECT RAISE(ABORT, '${t} is append-only'); END;`,
  )
  .join('\n')}
`;
