import { nodesCompletedBy } from '../../ledger/merkle/append.js';
import type { NodeReader } from '../../ledger/merkle/ranges.js';
import { leafHash } from '../../ledger/merkle/rfc6962.js';

/**
 * The lead's storage model in memory: a map of perfect nodes filled by appending leaves through
 * nodesCompletedBy, exactly as the SQLite store does. `reader(size)` answers only the nodes that a tree
 * of `size` leaves has, so a proof that reaches past its tree fails loudly.
 */
export class NodeStore {
  readonly #nodes = new Map<string, Uint8Array>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  append(leaf: Uint8Array): void {
    const read: NodeReader = (level, index) => this.#nodes.get(`${level}/${index}`);
    for (const node of nodesCompletedBy(this.#size, leafHash(leaf), read)) {
      const key = `${node.level}/${node.index}`;
      if (this.#nodes.has(key)) throw new Error(`node ${key} written twice`);
      this.#nodes.set(key, node.hash);
    }
    this.#size++;
  }

  reader(size: number): NodeReader {
    if (size > this.#size) throw new Error(`store has ${this.#size} leaves, asked for ${size}`);
    return (level, index) => {
      if ((index + 1) * 2 ** level > size) throw new Error(`node (${level}, ${index}) is not complete at size ${size}`);
      return this.#nodes.get(`${level}/${index}`);
    };
  }

  nodeCount(): number {
    return this.#nodes.size;
  }
}

/** Leaf data used across the tests: distinct, of varying length, deterministic. */
export function leafData(index: number): Uint8Array {
  return new TextEncoder().encode(`leaf ${index} ${'x'.repeat(index % 7)}`);
}

/** A store holding leaves 0 to size - 1 of leafData. */
export function filledStore(size: number): NodeStore {
  const store = new NodeStore();
  for (let i = 0; i < size; i++) store.append(leafData(i));
  return store;
}

/** A copy of a hash with one bit flipped: the smallest corruption of a proof, leaf or root. */
export function flipBit(hash: Uint8Array, bit: number): Uint8Array {
  const copy = new Uint8Array(hash);
  copy[bit >> 3] = (copy[bit >> 3] ?? 0) ^ (1 << (bit & 7));
  return copy;
}
