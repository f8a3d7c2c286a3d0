import { describe, expect, it } from 'vitest';
import { nodesCompletedBy } from '../../ledger/merkle/append.js';
import { CompactRange } from '../../ledger/merkle/compact-range.js';
import type { HashedNode } from '../../ledger/merkle/ranges.js';
import { leafHash } from '../../ledger/merkle/rfc6962.js';
import { rootAt } from '../../ledger/merkle/subtree-root.js';
import { leafData, NodeStore } from './node-store.js';
import { ReferenceTree } from './reference-tree.js';
import { toHex } from './vectors.js';

describe('compact range (streaming root)', () => {
  it('gives the reference root after every append up to 300 leaves', () => {
    const reference = new ReferenceTree(leafData);
    const range = new CompactRange();
    expect(toHex(range.root())).toBe(toHex(reference.root(0)));
    for (let size = 1; size <= 300; size++) {
      range.append(reference.leafHash(size - 1));
      expect(range.size).toBe(size);
      expect(toHex(range.root())).toBe(toHex(reference.root(size)));
      expect(range.nodes().length).toBeLessThanOrEqual(9);
    }
  });

  it('reports the same completed nodes as the store writes', () => {
    const store = new NodeStore();
    const range = new CompactRange();
    for (let i = 0; i < 200; i++) {
      const hash = leafHash(leafData(i));
      const seen: HashedNode[] = [];
      range.append(hash, (level, index, hash) => seen.push({ level, index, hash }));
      const expected = nodesCompletedBy(i, hash, store.reader(i));
      expect(seen.map((n) => [n.level, n.index, toHex(n.hash)])).toEqual(expected.map((n) => [n.level, n.index, toHex(n.hash)]));
      store.append(leafData(i));
    }
  });

  it('resumes from stored nodes and goes on like the unbroken stream', () => {
    const store = new NodeStore();
    const whole = new CompactRange();
    for (let i = 0; i < 150; i++) {
      store.append(leafData(i));
      whole.append(leafHash(leafData(i)));
    }
    for (const size of [0, 1, 77, 128, 149]) {
      const nodes = new CompactRange();
      for (let i = 0; i < size; i++) nodes.append(leafHash(leafData(i)));
      const read = store.reader(size);
      const resumed = CompactRange.resume(
        size,
        nodes.nodes().map((n) => read(n.level, n.index) ?? new Uint8Array()),
      );
      expect(toHex(resumed.root())).toBe(toHex(rootAt(size, read)));
      for (let i = size; i < 150; i++) resumed.append(leafHash(leafData(i)));
      expect(toHex(resumed.root())).toBe(toHex(whole.root()));
    }
    expect(() => CompactRange.resume(3, [])).toThrow();
  });

  it('streams 2^17 + 5 leaves in bounded memory', () => {
    const range = new CompactRange();
    const store = new NodeStore();
    const size = 2 ** 17 + 5;
    for (let i = 0; i < size; i++) {
      const data = leafData(i);
      range.append(leafHash(data));
      store.append(data);
    }
    expect(range.nodes().map((n) => n.level)).toEqual([17, 2, 0]);
    expect(toHex(range.root())).toBe(toHex(rootAt(size, store.reader(size))));
  });
});
