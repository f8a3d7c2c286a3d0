import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { EntryIdRuns, type DuplicateId } from '../../ledger/audit/entry-ids.js';

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

function find(ids: readonly string[], runEntries: number, root: string): DuplicateId | undefined {
  const runs = new EntryIdRuns(runEntries, root);
  try {
    ids.forEach((id, index) => runs.add(id, index));
    return runs.findDuplicate();
  } finally {
    runs.close();
  }
}

describe('entry ids seen twice (external sort)', () => {
  it('finds the first id to appear again, within a run, across runs, or none, as a Map would', () => {
    const root = tempRoot();
    const id = fc.constantFrom('pay-00000001', 'pay-00000002', 'pay-00000010', 'refund-0001', 'A.b:c_d-00', 'pay-0000001', 'zz-top-0001');
    fc.assert(
      fc.property(fc.array(fc.oneof(id, fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{7,20}$/)), { maxLength: 60 }), fc.integer({ min: 2, max: 9 }), (ids, runEntries) => {
        expect(find(ids, runEntries, root)).toEqual(expected(ids));
      }),
      { numRuns: 500 },
    );
    // Every run file was removed on close.
    expect(readdirSync(root)).toEqual([]);
  });

  it('keeps memory to one run: 200,000 ids in runs of 10,000 are twenty files, merged', () => {
    const root = tempRoot();
    const runs = new EntryIdRuns(10_000, root);
    try {
      for (let index = 0; index < 200_000; index++) runs.add(`pay-${(index * 7919) % 1_000_003}-shop`, index);
      expect(readdirSync(root).length).toBe(1);
      const dir = join(root, readdirSync(root)[0] ?? '');
      expect(readdirSync(dir).length).toBe(20);
      expect(runs.findDuplicate()).toBeUndefined();
      runs.add('pay-7919-shop', 200_000);
      expect(runs.findDuplicate()).toEqual({ id: 'pay-7919-shop', firstIndex: 1, againIndex: 200_000 });
      runs.close();
      expect(existsSync(dir)).toBe(false);
    } finally {
      runs.close();
    }
  });
});
