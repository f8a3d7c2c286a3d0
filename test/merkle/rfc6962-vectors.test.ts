import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CompactRange } from '../../ledger/merkle/compact-range.js';
import { consistencyProof, verifyConsistency } from '../../ledger/merkle/consistency.js';
import { inclusionProof, verifyInclusion } from '../../ledger/merkle/inclusion.js';
import { emptyRoot, hashBytes, leafHash, leafHashPrefix, nodeHash, nodeHashPrefix } from '../../ledger/merkle/rfc6962.js';
import { rootAt } from '../../ledger/merkle/subtree-root.js';
import { NodeStore } from './node-store.js';
import { consistencyVectors, hex, inclusionVectors, leafInputs, nodeHashes, rootHashes, toHex } from './vectors.js';

function eightLeafStore(): NodeStore {
  const store = new NodeStore();
  for (const leaf of leafInputs) store.append(leaf);
  return store;
}

describe('RFC 6962 hashing (transparency-dev/merkle test vectors)', () => {
  it('has the RFC prefixes and SHA-256 size', () => {
    expect([leafHashPrefix, nodeHashPrefix, hashBytes]).toEqual([0, 1, 32]);
  });

  it('hashes the empty tree, an empty leaf and a leaf', () => {
    expect(toHex(emptyRoot())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(leafHash(new Uint8Array()))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(toHex(leafHash(new TextEncoder().encode('L123456')))).toBe('395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56');
  });

  it('hashes leaves of every size the same way, on either side of the scratch buffer, one after another', () => {
    for (const size of [1, 700, 4094, 4095, 4096, 4097, 20_000, 3]) {
      const leaf = new Uint8Array(size).map((_, i) => (i * 7 + size) % 256);
      const expected = createHash('sha256').update(Uint8Array.of(0)).update(leaf).digest('hex');
      expect(toHex(leafHash(leaf)), `${size} bytes`).toBe(expected);
    }
  });

  it('hashes a node as SHA-256(0x01 || left || right), order-sensitive, unlike a leaf of the same bytes', () => {
    const a = leafHash(new TextEncoder().encode('Hello'));
    const b = leafHash(new TextEncoder().encode('World'));
    const expected = createHash('sha256').update(Uint8Array.of(1)).update(a).update(b).digest();
    expect(toHex(nodeHash(a, b))).toBe(expected.toString('hex'));
    expect(toHex(nodeHash(a, b))).not.toBe(toHex(nodeHash(b, a)));
    expect(toHex(nodeHash(a, b))).not.toBe(toHex(leafHash(new Uint8Array([...a, ...b]))));
    expect(() => nodeHash(a.subarray(1), b)).toThrow();
  });

  it('stores exactly the perfect nodes of the reference tree', () => {
    const store = eightLeafStore();
    const read = store.reader(8);
    nodeHashes.forEach((level, l) => level.forEach((hash, i) => expect(toHex(read(l, i) ?? new Uint8Array())).toBe(hash)));
    expect(store.nodeCount()).toBe(15);
  });

  it('gives the reference roots for sizes 0 to 8, from the store and streaming', () => {
    const store = eightLeafStore();
    const range = new CompactRange();
    rootHashes.forEach((root, size) => {
      expect(toHex(rootAt(size, store.reader(size)))).toBe(root);
      expect(toHex(range.root())).toBe(root);
      const next = leafInputs[size];
      if (next) range.append(leafHash(next));
    });
  });

  it('builds and verifies the reference inclusion proofs', () => {
    const store = eightLeafStore();
    for (const v of inclusionVectors) {
      const proof = inclusionProof(v.index, v.size, store.reader(v.size));
      expect(proof.map(toHex)).toEqual(v.proof);
      const leaf = leafInputs[v.index];
      if (!leaf) throw new Error('vector out of range');
      expect(() => verifyInclusion(leafHash(leaf), v.index, v.size, v.proof.map(hex), hex(rootHashes[v.size] ?? ''))).not.toThrow();
    }
  });

  it('builds and verifies the reference consistency proofs', () => {
    const store = eightLeafStore();
    for (const v of consistencyVectors) {
      expect(consistencyProof(v.from, v.to, store.reader(v.to)).map(toHex)).toEqual(v.proof);
      expect(() =>
        verifyConsistency(v.from, v.to, v.proof.map(hex), hex(rootHashes[v.from] ?? ''), hex(rootHashes[v.to] ?? '')),
      ).not.toThrow();
    }
  });
});
