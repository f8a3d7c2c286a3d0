import { describe, expect, it } from 'vitest';
import { nodesCompletedByRun, perfectNodesCompletedBy } from '../../ledger/merkle/append.js';
import { isNodeComplete, nodeLeafRange, rangeDecomposition, type NodeReader } from '../../ledger/merkle/ranges.js';
import { leafHash } from '../../ledger/merkle/rfc6962.js';
import { rootAt, subtreeRoot } from '../../ledger/merkle/subtree-root.js';
import { ceilPowerOfTwo } from '../../ledger/merkle/tree-bits.js';
import { codeOf } from '../support/code-of.js';
import { filledStore, leafData } from './node-store.js';
import { ReferenceTree } from './reference-tree.js';
import { toHex } from './vectors.js';

const sizeMax = 130;

describe('perfect nodes completed by an append', () => {
  it('lists one node per trailing one bit of the index, from the leaf up', () => {
    expect(perfectNodesCompletedBy(0)).toEqual([{ level: 0, index: 0 }]);
    expect(perfectNodesCompletedBy(2)).toEqual([{ level: 0, index: 2 }]);
    expect(perfectNodesCompletedBy(7)).toEqual([
      { level: 0, index: 7 },
      { level: 1, index: 3 },
      { level: 2, index: 1 },
      { level: 3, index: 0 },
    ]);
    expect(perfectNodesCompletedBy(2 ** 40 - 1).length).toBe(41);
  });

  it('completes every perfect node exactly once, when it becomes complete', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1024; i++) {
      for (const node of perfectNodesCompletedBy(i)) {
        const key = `${node.level}/${node.index}`;
        expect(seen.has(key)).toBe(false);
        seen.add(key);
        expect(nodeLeafRange(node).end).toBe(i + 1);
      }
    }
    expect(seen.size).toBe(2047);
  });

  it('hashes a run of leaves in one go like one leaf at a time', () => {
    const oneByOne = filledStore(100);
    const runStore = new Map<string, Uint8Array>();
    const read: NodeReader = (level, index) => runStore.get(`${level}/${index}`);
    const put = (first: number, count: number): void => {
      const hashes = Array.from({ length: count }, (_, k) => leafHash(leafData(first + k)));
      for (const node of nodesCompletedByRun(first, hashes, read)) runStore.set(`${node.level}/${node.index}`, node.hash);
    };
    put(0, 37);
    put(37, 1);
    put(38, 62);
    expect(runStore.size).toBe(oneByOne.nodeCount());
    const all = oneByOne.reader(100);
    for (const [key, hash] of runStore) {
      const [level, index] = key.split('/').map(Number);
      expect(toHex(all(level ?? -1, index ?? -1) ?? new Uint8Array())).toBe(toHex(hash));
    }
  });

  it('reports a node missing from the store with a code', () => {
    const empty: NodeReader = () => undefined;
    expect(codeOf(() => nodesCompletedByRun(1, [leafHash(leafData(1))], empty))).toBe('LEDGER_TREE_NODE_MISSING');
    expect(codeOf(() => rootAt(3, empty))).toBe('LEDGER_TREE_NODE_MISSING');
  });
});

describe('range decomposition', () => {
  it('covers every range up to 70 with aligned perfect nodes that cannot be merged', () => {
    for (let begin = 0; begin <= 70; begin++) {
      for (let end = begin; end <= 70; end++) {
        const nodes = rangeDecomposition(begin, end);
        let at = begin;
        nodes.forEach((node, i) => {
          const range = nodeLeafRange(node);
          expect(range.begin).toBe(at);
          at = range.end;
          const next = nodes[i + 1];
          // Two siblings side by side would be their parent: the decomposition is the minimal one.
          if (next && next.level === node.level) expect(node.index % 2).toBe(1);
        });
        expect(at).toBe(end);
        expect(nodes.length).toBeLessThanOrEqual(2 * 7);
      }
    }
  });

  it('decomposes worked examples largest-first on the right edge, rising then falling inside', () => {
    expect(rangeDecomposition(0, 7)).toEqual([
      { level: 2, index: 0 },
      { level: 1, index: 2 },
      { level: 0, index: 6 },
    ]);
    expect(rangeDecomposition(3, 17)).toEqual([
      { level: 0, index: 3 },
      { level: 2, index: 1 },
      { level: 3, index: 1 },
      { level: 0, index: 16 },
    ]);
    expect(rangeDecomposition(5, 5)).toEqual([]);
  });

  it('knows when a node is complete', () => {
    expect(isNodeComplete({ level: 2, index: 1 }, 8)).toBe(true);
    expect(isNodeComplete({ level: 2, index: 1 }, 7)).toBe(false);
  });
});

describe('subtree roots from stored perfect nodes', () => {
  const store = filledStore(sizeMax);
  const reference = new ReferenceTree(leafData);

  it('equal MTH of every aligned subtree inside every tree up to 130 leaves', () => {
    let checked = 0;
    for (let size = 1; size <= sizeMax; size++) {
      const read = store.reader(size);
      expect(toHex(rootAt(size, read))).toBe(toHex(reference.root(size)));
      for (let begin = 0; begin < size; begin++) {
        for (let end = begin + 1; end <= size; end++) {
          if (begin % ceilPowerOfTwo(end - begin) !== 0) continue;
          expect(toHex(subtreeRoot(begin, end, read))).toBe(toHex(reference.mth(begin, end)));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('refuses ranges that are not RFC 6962 subtrees', () => {
    const read = store.reader(sizeMax);
    expect(() => subtreeRoot(1, 4, read)).toThrow(/not an RFC 6962 subtree/);
    expect(() => subtreeRoot(4, 4, read)).toThrow();
    expect(toHex(rootAt(0, read))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
