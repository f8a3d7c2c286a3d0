import assert from 'node:assert/strict';
import { Random } from '../cli/demo/random.js';
import { inclusionProof, rootFromInclusionProof } from '../ledger/merkle/inclusion.js';
import { hashesEqual } from '../ledger/merkle/rfc6962.js';
import { SqliteStore } from '../ledger/store/sqlite-store.js';
import { bigLogDatabase, ensureBigLog } from './big-log.js';
import { benchArgs, isMain, printTable, type FigureTable } from './figure.js';
import { profiled } from './profile.js';

/**
 * An inclusion proof for random indices of a large log (a million entries by default), from the stored
 * tree nodes, as GET /v1/log/proof/inclusion and every receipt make it: microseconds per proof (target
 * under a millisecond). The raw limit is the time of the SQLite point reads a proof needs (one per
 * hash) at the rate measured for one read.
 */
export const proofTargetUs = 1000;
export const defaultEntries = 1_000_000;
export const quickEntries = 50_000;

export interface ProofFigure {
  readonly usPerProof: number;
  readonly table: FigureTable;
}

export async function run(options: { quick: boolean; entries?: number; sqliteNodeReadsPerSecond?: number }): Promise<ProofFigure> {
  const entries = options.entries ?? (options.quick ? quickEntries : defaultEntries);
  await ensureBigLog(entries);
  const store = SqliteStore.open(bigLogDatabase(entries), { readonly: true });
  try {
    const checkpoint = store.latestCheckpoint();
    assert.ok(checkpoint !== undefined, 'the big log has no checkpoint');
    const size = checkpoint.size;
    const getNode = (level: number, index: number): Uint8Array => {
      const hash = store.node(level, index);
      assert.ok(hash !== undefined, `missing node ${level}/${index}`);
      return hash;
    };
    const random = new Random(8);
    const pick = () => Math.floor(random.next() * size);
    // First proofs with the database file as the OS left it (often evicted from its cache since the log
    // was built: each node is then a disk read). Each is checked against the signed checkpoint's root:
    // a fast wrong proof is no figure.
    const firstProofs = 500;
    const firstStart = performance.now();
    for (let i = 0; i < firstProofs; i++) {
      const index = pick();
      const root = rootFromInclusionProof(getNode(0, index), index, size, inclusionProof(index, size, getNode));
      assert.ok(hashesEqual(root, checkpoint.root), `proof of ${index} does not lead to the checkpoint root`);
    }
    const firstUs = (1000 * (performance.now() - firstStart)) / firstProofs;
    // Steady state, as on a ledger that serves proofs: the tree nodes (about 100 bytes each, two per
    // leaf) are read once so that the OS caches them.
    const warmStart = performance.now();
    store.db.prepare('SELECT sum(length(hash)) FROM nodes').pluck().get();
    const warmMs = performance.now() - warmStart;
    const proofs = options.quick ? 5000 : 20_000;
    const indices = Array.from({ length: proofs }, pick);
    let hashes = 0;
    let elapsedMs = 0;
    await profiled('proof', async () => {
      const start = performance.now();
      for (const index of indices) hashes += inclusionProof(index, size, getNode).length;
      elapsedMs = performance.now() - start;
    });
    const usPerProof = (1000 * elapsedMs) / proofs;
    const hashesPerProof = hashes / proofs;
    const readUs = options.sqliteNodeReadsPerSecond === undefined ? undefined : 1e6 / options.sqliteNodeReadsPerSecond;
    const rawUs = readUs === undefined ? undefined : readUs * hashesPerProof;
    return {
      usPerProof,
      table: {
        title: `Inclusion proofs in a log of ${size.toLocaleString('en-US')} entries`,
        rows: [
          {
            figure: 'one inclusion proof, first proofs (file cache as found)',
            measured: `${firstUs.toFixed(1)} µs`,
            rawLimit: '-',
            ratioPercent: undefined,
            target: '-',
            pass: undefined,
          },
          {
            figure: 'one inclusion proof, random index',
            measured: `${usPerProof.toFixed(1)} µs`,
            rawLimit: rawUs === undefined ? '-' : `${rawUs.toFixed(1)} µs (${hashesPerProof.toFixed(1)} point reads)`,
            ratioPercent: rawUs === undefined ? undefined : (100 * rawUs) / usPerProof,
            target: `< ${proofTargetUs} µs`,
            pass: usPerProof < proofTargetUs,
          },
        ],
        notes: [
          `${proofs} proofs against the latest checkpoint (size ${size}); ${hashesPerProof.toFixed(1)} hashes each; log under bench/out/ (built once, reused).`,
          `Steady state after reading the nodes table once (${(warmMs / 1000).toFixed(1)} s); the first ${firstProofs} proofs were timed before that and checked against the checkpoint root.`,
        ],
      },
    };
  } finally {
    store.close();
  }
}

if (isMain(import.meta.url)) {
  const args = benchArgs();
  printTable((await run({ quick: args.quick, ...(args.entries !== undefined ? { entries: args.entries } : {}) })).table);
}
