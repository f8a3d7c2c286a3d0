import { signingKeyFromSeed } from '../../domain/ed25519.js';
import { encodeCheckpoint, signCheckpoint } from '../../ledger/formats/checkpoint.js';
import { addSignature, vkey } from '../../ledger/formats/note.js';
import { consistencyProof, consistencyProofNodes } from '../../ledger/merkle/consistency.js';
import { inclusionProof, inclusionProofNodes } from '../../ledger/merkle/inclusion.js';
import { rangeDecomposition } from '../../ledger/merkle/ranges.js';
import { leafHash } from '../../ledger/merkle/rfc6962.js';
import { rootAt } from '../../ledger/merkle/subtree-root.js';
import { NodeStore } from './node-store.js';
import { leafInputs, toHex } from './vectors.js';

/**
 * The worked example of docs/formats/merkle.md and docs/formats/checkpoint.md, computed by the code:
 * docs-example.test.ts checks that every value printed in the documents is what the code gives. The
 * keys come from fixed seeds and are for documentation only.
 */
export function workedExample() {
  const size = 7;
  const store = new NodeStore();
  for (const leaf of leafInputs.slice(0, size)) store.append(leaf);
  const read = store.reader(size);
  const root = rootAt(size, read);
  const logKey = signingKeyFromSeed(Uint8Array.from({ length: 32 }, (_, i) => i));
  const committeeKey = signingKeyFromSeed(Uint8Array.from({ length: 32 }, (_, i) => 32 + i));
  const origin = 'caisse.example/cca44';
  const committee = 'comite.caisse.example';
  const checkpoint = { origin, size, rootHash: root, extensions: [] };
  const signed = signCheckpoint(checkpoint, logKey);
  return {
    leafHashes: leafInputs.slice(0, size).map((leaf) => toHex(leafHash(leaf))),
    decomposition: rangeDecomposition(0, size).map((n) => ({ ...n, hash: toHex(read(n.level, n.index) ?? new Uint8Array()) })),
    root: toHex(root),
    rootBase64: Buffer.from(root).toString('base64'),
    inclusion: {
      index: 2,
      ranges: inclusionProofNodes(2, size),
      proof: inclusionProof(2, size, read).map(toHex),
    },
    consistency: {
      from: 3,
      rootFrom: toHex(rootAt(3, store.reader(3))),
      ranges: consistencyProofNodes(3, size),
      proof: consistencyProof(3, size, read).map(toHex),
    },
    origin,
    body: encodeCheckpoint(checkpoint),
    logPublicKey: toHex(logKey.publicKey),
    logVkey: vkey(origin, logKey.publicKey),
    signed,
    committeePublicKey: toHex(committeeKey.publicKey),
    committeeVkey: vkey(committee, committeeKey.publicKey),
    cosigned: addSignature(signed, committee, committeeKey),
  };
}
