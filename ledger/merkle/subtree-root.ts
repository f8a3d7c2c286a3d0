import assert from 'node:assert/strict';
import { readNode, rangeDecomposition, type NodeReader } from './ranges.js';
import { emptyRoot, nodeHash } from './rfc6962.js';
import { ceilPowerOfTwo } from './tree-bits.js';

/**
 * MTH(D[begin:end]), the RFC 6962 hash of the leaves [begin, end), from the stored perfect nodes.
 *
 * RFC 6962 splits n = end - begin leaves at the largest power of two k < n: MTH = HASH(0x01 ||
 * MTH(first k) || MTH(rest)). When `begin` is a multiple of the smallest power of two >= n (true of
 * every subtree that appears in a proof or is a tree root), the first k leaves are one stored node and
 * the rest starts aligned again; so the decomposition of [begin, end) is one node per set bit of n,
 * largest first, and MTH folds it from the right:
 *
 *   MTH = HASH(0x01 || node_1 || HASH(0x01 || node_2 || … HASH(0x01 || node_{m-1} || node_m)))
 *
 * Other ranges are not subtrees of any RFC 6962 tree and are refused (a programmer error).
 */
export function subtreeRoot(begin: number, end: number, getNode: NodeReader): Uint8Array {
  assert(Number.isSafeInteger(begin) && Number.isSafeInteger(end) && begin >= 0 && end > begin, `bad subtree [${begin}, ${end})`);
  assert(begin % ceilPowerOfTwo(end - begin) === 0, `[${begin}, ${end}) is not an RFC 6962 subtree`);
  const nodes = rangeDecomposition(begin, end);
  let at = nodes.length - 1;
  const last = nodes[at];
  assert(last !== undefined);
  let hash = readNode(getNode, last.level, last.index);
  if (at === 0) return new Uint8Array(hash); // a stored node: hand out a copy, never the store's buffer
  for (at--; at >= 0; at--) {
    const node = nodes[at];
    assert(node !== undefined);
    hash = nodeHash(readNode(getNode, node.level, node.index), hash);
  }
  return hash;
}

/** The root hash of the tree of the first `size` leaves (the empty root for 0). */
export function rootAt(size: number, getNode: NodeReader): Uint8Array {
  assert(Number.isSafeInteger(size) && size >= 0, `bad tree size ${size}`);
  return size === 0 ? emptyRoot() : subtreeRoot(0, size, getNode);
}
