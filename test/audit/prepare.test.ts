import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalSource } from '../../ledger/audit/local-source.js';
import { prepareChunk, type KeyResolver } from '../../ledger/audit/prepare.js';
import { taskCheckCount } from '../../ledger/crypto/verify-task.js';
import type { SourceRow } from '../../ledger/audit/source.js';
import { buildFixture, type AuditFixture } from './fixture.js';

/**
 * prepareChunk reads each leaf's signatures where the canonical layout puts them, without parsing the
 * leaf. What it reads is only a hint (the replay decodes every leaf and uses a thread's answer only for
 * the exact message, key and signature it asks about), so a wrong reading would not pass a bad entry:
 * it would silently move every verification back onto the main thread. Hence this check that, on a
 * real log, every signature is read as JSON.parse reads it and sent to the threads.
 */
let fixture: AuditFixture | undefined;
let rows: SourceRow[] = [];
beforeAll(async () => {
  fixture = await buildFixture();
  const source = openLocalSource(fixture.h.dir);
  try {
    for await (const chunk of source.rows(0, fixture.h.ledger.treeSize())) rows.push(...chunk);
  } finally {
    await source.close();
  }
});
afterAll(() => fixture?.h.close());

function parsedSignatures(leaf: Uint8Array): unknown {
  return (JSON.parse(Buffer.from(leaf).toString('utf8')) as { signatures: unknown }).signatures;
}

describe('prepareChunk', () => {
  it('reads every signature of a real log as JSON.parse does and sends each to the threads', () => {
    const logKey = new Uint8Array(32);
    const chunk = prepareChunk(rows, 0, new Map() as KeyResolver, [], logKey);
    expect(chunk.entries.length).toBe(rows.length);
    expect(rows.length).toBeGreaterThan(10);
    for (const entry of chunk.entries) {
      expect(entry.signatures).toEqual(parsedSignatures(entry.row.leaf));
      expect(entry.checkAt.every((at) => at >= 0), `entry ${entry.row.index}`).toBe(true);
    }
    expect(taskCheckCount(chunk.task)).toBe(chunk.entries.reduce((n, e) => n + e.signatures.length, 0));
  });

  it('reads the signatures of a leaf laid out otherwise by parsing it', () => {
    const row = rows[rows.length - 1];
    if (row === undefined) throw new Error('no rows');
    const text = Buffer.from(row.leaf).toString('utf8');
    const spaced = text.replace('"signatures":[{"keyId":', '"signatures":[ {"keyId" : ');
    expect(spaced).not.toBe(text);
    const chunk = prepareChunk([{ ...row, index: 0, leaf: Buffer.from(spaced, 'utf8') }], 0, new Map() as KeyResolver, [], new Uint8Array(32));
    expect(chunk.entries[0]?.signatures).toEqual(parsedSignatures(row.leaf));
  });

  it('sends no check for a signature that is not the canonical base64 of 64 bytes', () => {
    const row = rows[rows.length - 1];
    if (row === undefined) throw new Error('no rows');
    const text = Buffer.from(row.leaf).toString('utf8');
    // 88 characters that decode to 66 bytes, the first 64 of them the real signature: a thread given
    // those 64 would answer valid, where the replay refuses the signature as written.
    const padded = text.replace(/("signature":"[A-Za-z0-9+/]{86})=="/, '$1AA"');
    expect(padded).not.toBe(text);
    const resolver: KeyResolver = new Map();
    const all = prepareChunk(rows, 0, resolver, [], new Uint8Array(32));
    const at = all.entries.length - 1;
    const changed = prepareChunk([{ ...row, index: 0, leaf: Buffer.from(padded, 'utf8') }], 0, resolver, [], new Uint8Array(32));
    expect(all.entries[at]?.checkAt[0]).toBeGreaterThanOrEqual(0);
    expect(changed.entries[0]?.checkAt).toEqual([-1]);
  });
});
