import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { EntryIdRuns, type DuplicateId, type EntryIdRunsOptions } from '../../ledger/audit/entry-ids.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});
function tempRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'caisse-ids-test-'));
  roots.push(root);
  return root;
}

/** What the external sort must find: the id whose second appearance comes first, by brute force. */
function expected(ids: readonly string[]): DuplicateId | undefined {
  const first = new Map<string, number>();
  for (let index = 0; index < ids.length; index++) {
    const id = ids[index] ?? '';
    const seen = first.get(id);
    if (seen !== undefined) return { id, firstIndex: seen, againIndex: index };
    first.set(id, index);
  }
  return undefined;
}

const entryId = fc.oneof(
  fc.constantFrom('pay-00000001', 'pay-00000002', 'pay-00000010', 'refund-0001', 'A.b:c_d-00', 'pay-0000001', 'zz-top-0001'),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{7,63}$/),
);

describe('entry ids seen twice (external sort)', () => {
  it('finds the first id to appear again, as a Map would: in memory, on disk, merged in levels, asked twice', () => {
    const root = tempRoot();
    fc.assert(
      fc.property(
        fc.array(entryId, { maxLength: 120 }),
        fc.array(entryId, { maxLength: 40 }),
        fc.record({ runEntries: fc.integer({ min: 2, max: 9 }), fanIn: fc.integer({ min: 2, max: 4 }), blockBytes: fc.integer({ min: 96, max: 300 }) }),
        (ids, more, sizes) => {
          // Small runs, fan-in and read blocks: runs on disk, merges of merges, lines split across blocks.
          const runs = new EntryIdRuns({ ...sizes, tempRoot: root });
          try {
            ids.forEach((id, index) => runs.add(id, index));
            expect(runs.findDuplicate()).toEqual(expected(ids));
            // The URL audit asks again after following a log that grew.
            more.forEach((id, k) => runs.add(id, ids.length + k));
            expect(runs.findDuplicate()).toEqual(expected([...ids, ...more]));
          } finally {
            runs.close();
          }
        },
      ),
      { numRuns: 400 },
    );
    // Run files are unlinked as soon as they are made: nothing is ever left behind.
    expect(readdirSync(root)).toEqual([]);
  });

  it('reads every line back: 200,000 ids through runs of 10,000 merged four at a time, in small blocks', () => {
    const root = tempRoot();
    const options: EntryIdRunsOptions = { runEntries: 10_000, fanIn: 4, blockBytes: 4096, tempRoot: root };
    // Ids that all differ; then one of them (first, at a run's edge, last) planted again at the end.
    const id = (index: number) => `pay-${String((index * 7919) % 1_000_003).padStart(7, '0')}-shop`;
    const runs = new EntryIdRuns(options);
    try {
      for (let index = 0; index < 200_000; index++) runs.add(id(index), index);
      expect(runs.findDuplicate()).toBeUndefined();
      expect(readdirSync(root)).toEqual([]);
    } finally {
      runs.close();
    }
    for (const planted of [0, 10_000, 199_999]) {
      const again = new EntryIdRuns(options);
      try {
        for (let index = 0; index < 200_000; index++) again.add(id(index), index);
        again.add(id(planted), 200_000);
        expect(again.findDuplicate()).toEqual({ id: id(planted), firstIndex: planted, againIndex: 200_000 });
      } finally {
        again.close();
      }
    }
  });

  it('answers AUDIT_TEMP_UNWRITABLE when the temporary directory cannot take a run', () => {
    const root = tempRoot();
    const notADirectory = join(root, 'file');
    writeFileSync(notADirectory, '');
    const runs = new EntryIdRuns({ runEntries: 2, tempRoot: notADirectory });
    try {
      runs.add('pay-00000001', 0);
      expect(() => runs.add('pay-00000002', 1)).toThrow(expect.objectContaining({ code: 'AUDIT_TEMP_UNWRITABLE', detail: expect.stringContaining(notADirectory) }));
    } finally {
      runs.close();
    }
  });
});
