import { join } from 'node:path';
import { audit, type AuditReport } from '../../ledger/audit/audit.js';
import { openCheckpoint } from '../../ledger/formats/checkpoint.js';
import { decodeLeaf } from '../../ledger/formats/leaf.js';
import { homeFiles, readConfig, readRoleKey } from '../../ledger/home.js';
import { leafHash, nodeHash, emptyRoot } from '../../ledger/merkle/rfc6962.js';
import { SqliteStore } from '../../ledger/store/sqlite-store.js';

/**
 * An independent check of a ledger directory, from its leaves alone: every leaf decodes and sits at
 * the index it names, the Merkle root recomputed from all leaves (plain RFC 6962 recursion, not the
 * store's nodes) equals the root of the latest signed checkpoint, which the ledger key signed and
 * which covers every leaf, and the balances the ledger keeps equal the sums of the postings in the
 * leaves. Throws with the reason on the first fault.
 */
export interface IntegrityReport {
  readonly treeSize: number;
  readonly rootBase64: string;
  readonly accounts: number;
}

export function checkIntegrity(dir: string): IntegrityReport {
  const config = readConfig(dir);
  const ledgerKey = readRoleKey(dir, 'ledger');
  const store = SqliteStore.open(join(dir, homeFiles.database), { readonly: true });
  try {
    const latest = store.latestCheckpoint();
    if (latest === undefined) throw new Error('no signed checkpoint');
    const { checkpoint } = openCheckpoint(latest.note, { name: config.origin, publicKey: ledgerKey.publicKey });
    const size = store.size();
    if (checkpoint.size !== size) throw new Error(`latest checkpoint covers ${checkpoint.size} leaves, the log holds ${size}`);
    const hashes: Uint8Array[] = [];
    const sums = new Map<string, number>();
    for (const row of store.iterateLog(0, size)) {
      if (row.index !== hashes.length) throw new Error(`leaf at position ${hashes.length} has index ${row.index}`);
      const sealed = decodeLeaf(row.leaf);
      if (sealed.index !== row.index) throw new Error(`leaf ${row.index} says it is at index ${sealed.index}`);
      if (sealed.body.id !== row.entryId) throw new Error(`leaf ${row.index} holds ${sealed.body.id}, stored as ${row.entryId}`);
      hashes.push(leafHash(row.leaf));
      if ('postings' in sealed.body) {
        for (const p of sealed.body.postings) {
          const key = `${p.account} ${p.asset}`;
          sums.set(key, (sums.get(key) ?? 0) + p.amountCents);
        }
      }
    }
    if (hashes.length !== size) throw new Error(`read ${hashes.length} leaves of ${size}`);
    const root = referenceRoot(hashes);
    if (Buffer.compare(Buffer.from(root), Buffer.from(checkpoint.rootHash)) !== 0) {
      throw new Error(`root from the leaves ${Buffer.from(root).toString('base64')} ≠ checkpoint root ${Buffer.from(checkpoint.rootHash).toString('base64')}`);
    }
    const stored = new Map<string, number>();
    for (const b of store.balances()) if (b.balanceCents !== 0) stored.set(`${b.account} ${b.asset}`, b.balanceCents);
    for (const [key, cents] of sums) if (cents === 0) sums.delete(key);
    for (const [key, cents] of sums) {
      if (stored.get(key) !== cents) throw new Error(`${key}: postings sum to ${cents}, stored balance ${stored.get(key) ?? 0}`);
    }
    for (const [key, cents] of stored) {
      if (!sums.has(key)) throw new Error(`${key}: stored balance ${cents} without postings`);
    }
    return { treeSize: size, rootBase64: Buffer.from(root).toString('base64'), accounts: store.accounts().length };
  } finally {
    store.close();
  }
}

/**
 * `caisse ledger verify --data DIR` as a function (ledger/audit/audit.ts, signatures checked on this
 * thread), then the independent check above; both must pass and agree on the tree.
 */
export async function verifyLedgerDir(dir: string): Promise<{ audit: AuditReport; integrity: IntegrityReport }> {
  const report = await audit({ data: dir }, { threads: 0 });
  const integrity = checkIntegrity(dir);
  if (report.checkpoint.size !== integrity.treeSize || report.checkpoint.rootBase64 !== integrity.rootBase64) {
    throw new Error(`the audit saw ${report.checkpoint.size} leaves and root ${report.checkpoint.rootBase64}, the leaves give ${integrity.treeSize} and ${integrity.rootBase64}`);
  }
  return { audit: report, integrity };
}

/** MTH(D[n]) of RFC 6962 section 2.1, by its definition: the slow, obviously correct reference. */
function referenceRoot(leafHashes: readonly Uint8Array[]): Uint8Array {
  if (leafHashes.length === 0) return emptyRoot();
  const subtree = (begin: number, end: number): Uint8Array => {
    if (end - begin === 1) return leafHashes[begin] as Uint8Array;
    let k = 1;
    while (k * 2 < end - begin) k *= 2;
    return nodeHash(subtree(begin, begin + k), subtree(begin + k, end));
  };
  return subtree(0, leafHashes.length);
}
