import { describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../domain/ed25519.js';
import { encodeCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint, type Checkpoint } from '../../ledger/formats/checkpoint.js';
import { addSignature, parseVkey, signNote } from '../../ledger/formats/note.js';
import { emptyRoot, leafHash } from '../../ledger/merkle/rfc6962.js';
import { codeOf } from '../support/code-of.js';
import { toHex } from './vectors.js';

// Real checkpoints of the Go checksum database (sum.golang.org), signed by its published key: a
// third-party Ed25519 note and checkpoint that this code must open unchanged.
const goVkey = 'sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8';
const goCheckpoints = [
  'go.sum database tree\n65209736\n5+uGFjx6xBZG8ip1+wi77v+grwbhhukIrxEUS8PXvRo=\n\n— sum.golang.org Az3grnbssgK7ubgFX36gVETtNv0U23qxyAhAMai2QUfeGa3nB/akvkMdlUErfcZz7l/R3cVtYspg3dxXABkGZZKdsQ8=\n',
  'go.sum database tree\n31700353\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\n\n— sum.golang.org Az3grnmrIUEDFqHzAElIQCPNoRFRAAdFo47fooyWKMHb89k11GJh5zHIfNCOBmwn/C3YI8oW9/C8DJ87F61QqspBYwM=\n',
];

describe('checkpoints', () => {
  const log = generateSigningKey();
  const origin = 'caisse.example/cca44';
  const logVerifier = { name: origin, publicKey: log.publicKey };
  const checkpoint: Checkpoint = { origin, size: 7, rootHash: leafHash(Uint8Array.of(7)), extensions: [] };

  it('opens real sum.golang.org checkpoints', () => {
    const go = parseVkey(goVkey);
    const sizes = goCheckpoints.map((note) => openCheckpoint(note, go, { origin: 'go.sum database tree' }).checkpoint.size);
    expect(sizes).toEqual([65209736, 31700353]);
    const first = goCheckpoints[0] ?? '';
    expect(codeOf(() => openCheckpoint(first, go))).toBe('LEDGER_CHECKPOINT_WRONG_ORIGIN');
    expect(codeOf(() => openCheckpoint(first.replace('65209736', '65209737'), go, { origin: 'go.sum database tree' }))).toBe(
      'LEDGER_NOTE_BAD_SIGNATURE',
    );
  });

  it('encodes the exact layout and parses it back', () => {
    const text = encodeCheckpoint(checkpoint);
    expect(text).toBe(`${origin}\n7\n${Buffer.from(checkpoint.rootHash).toString('base64')}\n`);
    const again = parseCheckpoint(text);
    expect({ ...again, rootHash: toHex(again.rootHash) }).toEqual({ ...checkpoint, rootHash: toHex(checkpoint.rootHash) });
    const withExtensions = { ...checkpoint, extensions: ['ext one', 'ext two'] };
    expect(encodeCheckpoint(parseCheckpoint(encodeCheckpoint(withExtensions)))).toBe(encodeCheckpoint(withExtensions));
    expect(parseCheckpoint(encodeCheckpoint({ origin, size: 0, rootHash: emptyRoot(), extensions: [] })).size).toBe(0);
    expect(parseCheckpoint(`${origin}\n9007199254740991\n${Buffer.from(emptyRoot()).toString('base64')}\n`).size).toBe(2 ** 53 - 1);
  });

  it('parses strictly', () => {
    const root = Buffer.from(checkpoint.rootHash).toString('base64');
    for (const bad of [
      `${origin}\n7\n${root}`,
      `${origin}\n07\n${root}\n`,
      `${origin}\n-1\n${root}\n`,
      `${origin}\n+7\n${root}\n`,
      `${origin}\n 7\n${root}\n`,
      `${origin}\n7.0\n${root}\n`,
      `${origin}\n1e3\n${root}\n`,
      `${origin}\n9007199254740992\n${root}\n`,
      `${origin}\n\n${root}\n`,
      `\n7\n${root}\n`,
      `${origin}\n7\n`,
      `${origin}\n7\n${root.slice(0, -1)}\n`,
      `${origin}\n7\n${Buffer.alloc(31).toString('base64')}\n`,
      `${origin}\n7\n${Buffer.alloc(33).toString('base64')}\n`,
      `${origin}\n7\n${root.slice(0, 42)}B=\n`,
      `${origin}\n7\n${root}\n\n`,
      `${origin}\n7\n${root}\next\n\n`,
      `${origin}\r\n7\n${root}\n`,
      `${origin}\n7\n${root}\n${'e\n'.repeat(17)}`,
    ]) {
      expect(codeOf(() => parseCheckpoint(bad))).toBe('LEDGER_CHECKPOINT_MALFORMED');
    }
    expect(codeOf(() => encodeCheckpoint({ ...checkpoint, rootHash: new Uint8Array(31) }))).toBe('LEDGER_CHECKPOINT_MALFORMED');
    expect(codeOf(() => encodeCheckpoint({ ...checkpoint, size: -1 }))).toBe('LEDGER_CHECKPOINT_MALFORMED');
    expect(codeOf(() => encodeCheckpoint({ ...checkpoint, extensions: [''] }))).toBe('LEDGER_CHECKPOINT_MALFORMED');
    expect(codeOf(() => encodeCheckpoint({ ...checkpoint, origin: 'two\nlines' }))).toBe('LEDGER_CHECKPOINT_MALFORMED');
  });

  it('signs and opens, and tells who signed', () => {
    const note = signCheckpoint(checkpoint, log);
    expect(note.startsWith(`${encodeCheckpoint(checkpoint)}\n— ${origin} `)).toBe(true);
    const opened = openCheckpoint(note, logVerifier);
    expect(opened.checkpoint.size).toBe(7);
    expect(toHex(opened.checkpoint.rootHash)).toBe(toHex(checkpoint.rootHash));
    expect(opened.note.verified.map((s) => s.name)).toEqual([origin]);
  });

  it('keeps cosignatures: checked when the cosigner is known, ignored otherwise', () => {
    const committee = generateSigningKey();
    const cosigned = addSignature(signCheckpoint(checkpoint, log), 'comite.caisse.example', committee);
    const committeeVerifier = { name: 'comite.caisse.example', publicKey: committee.publicKey };
    expect(openCheckpoint(cosigned, logVerifier, { cosigners: [committeeVerifier] }).note.verified.length).toBe(2);
    expect(openCheckpoint(cosigned, logVerifier).note.unknown.map((s) => s.name)).toEqual(['comite.caisse.example']);
  });

  it('refuses a checkpoint not signed by the log, from another log, or with a body that is not a checkpoint', () => {
    const other = generateSigningKey();
    const committee = generateSigningKey();
    const committeeVerifier = { name: 'comite.caisse.example', publicKey: committee.publicKey };
    const byOther = signCheckpoint(checkpoint, other);
    expect(codeOf(() => openCheckpoint(byOther, logVerifier))).toBe('LEDGER_CHECKPOINT_NOT_SIGNED_BY_LOG');
    // Signed by a known cosigner only: still not the log's checkpoint.
    const byCommitteeOnly = signCheckpoint(checkpoint, committee, 'comite.caisse.example');
    expect(codeOf(() => openCheckpoint(byCommitteeOnly, logVerifier, { cosigners: [committeeVerifier] }))).toBe(
      'LEDGER_CHECKPOINT_NOT_SIGNED_BY_LOG',
    );
    const elsewhere = signCheckpoint({ ...checkpoint, origin: 'other.example/log' }, log, origin);
    expect(codeOf(() => openCheckpoint(elsewhere, logVerifier))).toBe('LEDGER_CHECKPOINT_WRONG_ORIGIN');
    const notACheckpoint = signNote(`${origin}\n7\n`, origin, log);
    expect(codeOf(() => openCheckpoint(notACheckpoint, logVerifier))).toBe('LEDGER_CHECKPOINT_MALFORMED');
    const edited = signCheckpoint(checkpoint, log).replace('\n7\n', '\n8\n');
    expect(codeOf(() => openCheckpoint(edited, logVerifier))).toBe('LEDGER_NOTE_BAD_SIGNATURE');
  });
});
