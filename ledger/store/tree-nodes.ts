import { nodesCompletedBy } from '../merkle/append.js';
import type { SqliteStore } from './sqlite-store.js';

/**
 * Stores the perfect subtrees that leaf `index` completes (ledger/merkle/append.ts says which): proofs
 * are then served from these stored nodes, never recomputed from all leaves. Two node writes per leaf
 * on average.
 */
export function appendLeafNodes(store: SqliteStore, index: number, leafHashBytes: Uint8Array): void {
  for (const node of nodesCompletedBy(index, leafHashBytes, (level, i) => store.node(level, i))) {
    store.insertNode(node.level, node.index, node.hash);
  }
}
