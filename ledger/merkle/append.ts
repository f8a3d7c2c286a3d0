import { merkleLimits } from './limits.js';
import { readNode, type HashedNode, type NodeId, type NodeReader } from './ranges.js';
import { nodeHash, hashBytes } from './rfc6962.js';
import { trailingZeros } from './tree-bits.js';

/**
 * What the store writes when it appends a leaf. Appending leaf `i` (the tree grows to i + 1 leaves)
 * completes the node at level 0 (the leaf hash itself) and one node on each level L where 2^L divides
 * i + 1. Each new node costs one hash and one read of its left sibling, so appending N leaves costs
 * fewer than 2N hashes in all.
 */
export function perfectNodesCompletedBy(leafIndex: number): NodeId[] {
  if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= merkleLimits.treeSizeMax) {
    throw new Error(`bad leaf index ${leafIndex}`);
  }
  const size = leafIndex + 1;
  const top = trailingZeros(size);
  const nodes: NodeId[] = [];
  for (let level = 0; level <= top; level++) nodes.push({ level, index: size / 2 ** level - 1 });
  return nodes;
}

/**
 * The nodes completed by appending leaf `leafIndex` with hash `leafHash`, with their hashes, from level 0
 * up. Each node's right child is the node just below it in the list; its left child is read from the
 * store (it was completed earlier).
 */
export function nodesCompletedBy(leafIndex: number, leafHash: Uint8Array, getNode: NodeReader): HashedNode[] {
  if (leafHash.length !== hashBytes) throw new Error(`a leaf hash is ${hashBytes} bytes`);
  const out: HashedNode[] = [];
  let hash = leafHash;
  for (const node of perfectNodesCompletedBy(leafIndex)) {
    if (node.level > 0) hash = nodeHash(readNode(getNode, node.level - 1, node.index * 2), hash);
    out.push({ level: node.level, index: node.index, hash });
  }
  return out;
}

/**
 * The same for a run of leaves appended in one transaction, starting at `firstLeafIndex`. Nodes made
 * earlier in the run are looked up here first, so the store may write everything at the end.
 */
export function nodesCompletedByRun(firstLeafIndex: number, leafHashes: readonly Uint8Array[], getNode: NodeReader): HashedNode[] {
  const made = new Map<string, Uint8Array>();
  const read: NodeReader = (level, index) => made.get(`${level}/${index}`) ?? getNode(level, index);
  const out: HashedNode[] = [];
  leafHashes.forEach((leafHash, offset) => {
    for (const node of nodesCompletedBy(firstLeafIndex + offset, leafHash, read)) {
      made.set(`${node.level}/${node.index}`, node.hash);
      out.push(node);
    }
  });
  return out;
}
