import { merkleError } from './errors.js';
import { hashBytes } from './rfc6962.js';
import { trailingZeros } from './tree-bits.js';

/**
 * How the ledger names parts of its tree. A node (level L, index i) is the perfect subtree over leaves
 * [i * 2^L, (i + 1) * 2^L): level 0 is a leaf hash, and the store keeps a node once the tree has
 * (i + 1) * 2^L leaves. A leaf range [begin, end) is what proofs are made of; it is a sequence of
 * perfect nodes (its decomposition), as in transparency-dev compact ranges.
 */
export interface NodeId {
  readonly level: number;
  readonly index: number;
}

export interface LeafRange {
  readonly begin: number;
  readonly end: number;
}

/** A stored perfect node and its hash. */
export interface HashedNode extends NodeId {
  readonly hash: Uint8Array;
}

/**
 * Reads a stored perfect node; undefined when the store does not have it. Synchronous on purpose:
 * better-sqlite3 is, and a proof needs O(log n) reads.
 */
export type NodeReader = (level: number, index: number) => Uint8Array | undefined;

/** The leaves a node covers. */
export function nodeLeafRange(node: NodeId): LeafRange {
  const width = 2 ** node.level;
  return { begin: node.index * width, end: (node.index + 1) * width };
}

/** Whether a tree of `size` leaves has node complete (and so stored). */
export function isNodeComplete(node: NodeId, size: number): boolean {
  return (node.index + 1) * 2 ** node.level <= size;
}

/** Reads a node that must be in the store: its absence means a damaged store, reported as such. */
export function readNode(getNode: NodeReader, level: number, index: number): Uint8Array {
  const hash = getNode(level, index);
  if (hash === undefined) throw merkleError('LEDGER_TREE_NODE_MISSING', `level ${level}, index ${index}`);
  if (hash.length !== hashBytes) throw new Error(`stored node (level ${level}, index ${index}) has ${hash.length} bytes`);
  return hash;
}

/**
 * The perfect subtrees making up [begin, end), left to right: greedily the largest aligned node that
 * starts at `begin` and fits. Sizes rise then fall, at most two nodes per level, so at most
 * 2 * 53 nodes.
 */
export function rangeDecomposition(begin: number, end: number): NodeId[] {
  if (!Number.isSafeInteger(begin) || !Number.isSafeInteger(end) || begin < 0 || end < begin) {
    throw new Error(`bad leaf range [${begin}, ${end})`);
  }
  const nodes: NodeId[] = [];
  let at = begin;
  while (at < end) {
    // The largest node starting at `at` is limited by the alignment of `at` and by what is left.
    let level = at === 0 ? 53 : trailingZeros(at);
    while (2 ** level > end - at) level--;
    nodes.push({ level, index: at / 2 ** level });
    at += 2 ** level;
  }
  return nodes;
}
