import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditLimits } from './limits.js';

/**
 * Proves from the log alone that no entry id appears twice: a second leaf with the id of a payment
 * is that payment made twice, the one thing client-chosen ids exist to prevent. The audit sees the
 * ids in log order and cannot keep them all (memory must not grow with the log), so they are sorted
 * in runs of `idRunEntries` kept in memory, each run written to a temporary file, and the runs are
 * merged once the log has been read: an external sort. Equal ids come out next to each other.
 *
 * Entry ids are 8 to 64 characters of [A-Za-z0-9._:-] (domain/ids.ts), so a run file is plain lines
 * `id<TAB>index`, in JavaScript's string order, then index order.
 */
export interface DuplicateId {
  readonly id: string;
  /** Where the id first appears. */
  readonly firstIndex: number;
  /** Where it appears again: the earliest such index in the log. */
  readonly againIndex: number;
}

export class EntryIdRuns {
  private ids: string[] = [];
  private indices: number[] = [];
  private dir: string | undefined;
  private readonly runFiles: string[] = [];

  constructor(
    private readonly runEntries: number = auditLimits.idRunEntries,
    private readonly tempRoot: string = tmpdir(),
  ) {
    assert.ok(Number.isSafeInteger(runEntries) && runEntries >= 2);
  }

  /** Records one entry id, in log order. */
  add(id: string, index: number): void {
    this.ids.push(id);
    this.indices.push(index);
    if (this.ids.length >= this.runEntries) this.spill();
  }

  /** The id whose second appearance comes first in the log, if any id appears twice. */
  findDuplicate(): DuplicateId | undefined {
    if (this.runFiles.length === 0) return earliestAgain(sortedRun(this.ids, this.indices));
    this.spill();
    return earliestAgain(mergeRuns(this.runFiles));
  }

  /** Removes the run files. */
  close(): void {
    this.ids = [];
    this.indices = [];
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }

  private spill(): void {
    if (this.ids.length === 0) return;
    this.dir ??= mkdtempSync(join(this.tempRoot, 'caisse-audit-ids-'));
    const path = join(this.dir, `run-${this.runFiles.length}`);
    const fd = openSync(path, 'wx', 0o600);
    try {
      const lines: string[] = [];
      for (const { id, index } of sortedRun(this.ids, this.indices)) lines.push(`${id}\t${index}\n`);
      writeSync(fd, lines.join(''));
    } finally {
      closeSync(fd);
    }
    this.runFiles.push(path);
    this.ids = [];
    this.indices = [];
  }
}

interface IdAt {
  readonly id: string;
  readonly index: number;
}

function compareIdAt(a: IdAt, b: IdAt): number {
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return a.index - b.index;
}

function sortedRun(ids: readonly string[], indices: readonly number[]): IdAt[] {
  return ids.map((id, k) => ({ id, index: indices[k] ?? -1 })).sort(compareIdAt);
}

/** Over ids in sorted order (equal ids by index): the group whose second index is smallest. */
function earliestAgain(sorted: Iterable<IdAt>): DuplicateId | undefined {
  let found: DuplicateId | undefined;
  let previous: IdAt | undefined;
  let groupStart: IdAt | undefined;
  for (const item of sorted) {
    if (previous !== undefined && previous.id === item.id) {
      // The second of a group: ids are read in index order within a group, so this is where it recurs.
      if (groupStart === previous && (found === undefined || item.index < found.againIndex)) {
        found = { id: item.id, firstIndex: previous.index, againIndex: item.index };
      }
    } else {
      groupStart = item;
    }
    previous = item;
  }
  return found;
}

/** Merges sorted run files, each read a block at a time; runs are in log order, so are equal ids. */
function* mergeRuns(paths: readonly string[]): Generator<IdAt> {
  const readers = paths.map((path) => new RunReader(path));
  try {
    const heads = readers.map((r) => r.next());
    for (;;) {
      let at = -1;
      for (let k = 0; k < heads.length; k++) {
        const head = heads[k];
        const best = at < 0 ? undefined : heads[at];
        if (head !== undefined && (best === undefined || compareIdAt(head, best) < 0)) at = k;
      }
      if (at < 0) return;
      const head = heads[at];
      assert.ok(head !== undefined);
      yield head;
      heads[at] = readers[at]?.next();
    }
  } finally {
    for (const r of readers) r.close();
  }
}

const readBlockBytes = 64 * 1024;

class RunReader {
  private readonly fd: number;
  private readonly block = Buffer.allocUnsafe(readBlockBytes);
  private pending = '';
  private lines: string[] = [];
  private at = 0;
  private done = false;

  constructor(path: string) {
    this.fd = openSync(path, 'r');
  }

  next(): IdAt | undefined {
    while (this.at >= this.lines.length) {
      if (this.done) return undefined;
      this.fill();
    }
    const line = this.lines[this.at++] ?? '';
    const tab = line.indexOf('\t');
    assert.ok(tab > 0, 'a run line is id<TAB>index');
    return { id: line.slice(0, tab), index: Number(line.slice(tab + 1)) };
  }

  private fill(): void {
    const n = readSync(this.fd, this.block, 0, this.block.length, null);
    if (n === 0) {
      this.done = true;
      assert.equal(this.pending, '', 'a run file ends with a newline');
      this.lines = [];
      this.at = 0;
      return;
    }
    // Ids and indices are ASCII, so a block boundary never splits a character.
    const text = this.pending + this.block.toString('latin1', 0, n);
    const end = text.lastIndexOf('\n');
    this.pending = text.slice(end + 1);
    this.lines = end < 0 ? [] : text.slice(0, end).split('\n');
    this.at = 0;
  }

  close(): void {
    closeSync(this.fd);
  }
}
