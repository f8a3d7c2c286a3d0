import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditFailure } from './failure.js';
import { auditLimits } from './limits.js';

/**
 * Proves from the log alone that no entry id appears twice: a second leaf with the id of a payment
 * is that payment made twice, the one thing client-chosen ids exist to prevent. The audit sees the
 * ids in log order and cannot keep them all (memory must not grow with the log), so this is an
 * external sort: ids are sorted in runs of `idRunEntries` in memory, each run is written to a
 * temporary file, runs are merged `idRunsFanIn` at a time into longer ones as they pile up, and the
 * last few are merged once the log has been read. Equal ids then come out next to each other.
 *
 * Each run file is unlinked as soon as it is opened and read back through its descriptor, so nothing
 * is left in the temporary directory (TMPDIR) however the process ends, even killed mid-audit. At
 * most `idRunsFanIn` runs per level are open at once: a few tens for a billion entries.
 *
 * Entry ids are 8 to 64 characters of [A-Za-z0-9._:-] (domain/ids.ts, checked by the leaf's schema
 * before an id gets here), so a run is plain ASCII lines `id<TAB>index`, sorted by id (JavaScript's
 * string order), then index.
 */
export interface DuplicateId {
  readonly id: string;
  /** Where the id first appears. */
  readonly firstIndex: number;
  /** Where it appears again: the earliest such index in the log. */
  readonly againIndex: number;
}

export interface EntryIdRunsOptions {
  readonly runEntries?: number;
  readonly fanIn?: number;
  /** Bytes read from a run file at a time while merging. */
  readonly blockBytes?: number;
  /** Where run files are made (and at once unlinked); the system's temporary directory by default. */
  readonly tempRoot?: string;
}

interface IdAt {
  readonly id: string;
  readonly index: number;
}

interface Run {
  readonly fd: number;
  readonly bytes: number;
  /** 0 for a run sorted in memory; a merge of runs of level L makes one of level L + 1. */
  readonly level: number;
}

/** Bytes written to a run file at a time while merging into it. */
const writeBlockBytes = 1024 * 1024;
/** Bytes read from a run file at a time while merging, by default. */
const readBlockBytesDefault = 64 * 1024;

/** One line of a run file. */
function runLine(item: IdAt): string {
  return `${item.id}\t${item.index}\n`;
}

export class EntryIdRuns {
  private ids: string[] = [];
  private indices: number[] = [];
  private runs: Run[] = [];
  private readonly runEntries: number;
  private readonly fanIn: number;
  private readonly blockBytes: number;
  private readonly tempRoot: string;

  constructor(options: EntryIdRunsOptions = {}) {
    this.runEntries = options.runEntries ?? auditLimits.idRunEntries;
    this.fanIn = options.fanIn ?? auditLimits.idRunsFanIn;
    this.blockBytes = options.blockBytes ?? readBlockBytesDefault;
    this.tempRoot = options.tempRoot ?? tmpdir();
    assert.ok(Number.isSafeInteger(this.runEntries) && this.runEntries >= 2);
    assert.ok(Number.isSafeInteger(this.fanIn) && this.fanIn >= 2);
    // A block must hold at least one whole line: the longest id, a tab, an index, a newline.
    assert.ok(Number.isSafeInteger(this.blockBytes) && this.blockBytes >= 96);
  }

  /** Records one entry id (as the leaf has it), in log order. */
  add(id: string, index: number): void {
    this.ids.push(id);
    this.indices.push(index);
    if (this.ids.length >= this.runEntries) this.spill();
  }

  /**
   * Fails now, with AUDIT_TEMP_UNWRITABLE, if the temporary directory cannot take a run: not after
   * the first 65,536 entries have been replayed.
   */
  checkWritable(): void {
    closeSync(this.newRun().fd);
  }

  /** The id whose second appearance comes first in the log, if any id appears twice so far. */
  findDuplicate(): DuplicateId | undefined {
    if (this.runs.length === 0) return earliestAgain(sortedRun(this.ids, this.indices));
    // The last run is written as it is and merged with the others in the one pass below.
    this.spill(false);
    return earliestAgain(this.merged(this.runs));
  }

  /** Closes the run files (already unlinked: closing frees their space). Never throws. */
  close(): void {
    for (const run of this.runs) closeQuietly(run.fd);
    this.runs = [];
    this.ids = [];
    this.indices = [];
  }

  private spill(mergeLevels = true): void {
    if (this.ids.length === 0) return;
    const text = sortedRun(this.ids, this.indices).map(runLine).join('');
    this.ids = [];
    this.indices = [];
    const run = this.newRun();
    this.runs.push({ fd: run.fd, bytes: this.writeOrClose(run.fd, Buffer.from(text, 'latin1'), 0), level: 0 });
    if (!mergeLevels) return;
    // Runs of one level merged fanIn at a time: I/O grows as N log N, open files as log N. While
    // a level is merged its runs and the new one coexist: the disk holds up to twice the ids.
    for (;;) {
      const last = this.runs.slice(-this.fanIn);
      const level = last[0]?.level;
      if (last.length < this.fanIn || last.some((r) => r.level !== level)) return;
      this.runs = [...this.runs.slice(0, -this.fanIn), this.mergeIntoRun(last, (level ?? 0) + 1)];
    }
  }

  private mergeIntoRun(runs: readonly Run[], level: number): Run {
    const out = this.newRun();
    let bytes = 0;
    let pending: string[] = [];
    let pendingBytes = 0;
    const flush = () => {
      bytes = this.writeOrClose(out.fd, Buffer.from(pending.join(''), 'latin1'), bytes);
      pending = [];
      pendingBytes = 0;
    };
    try {
      for (const item of this.merged(runs)) {
        const line = runLine(item);
        pending.push(line);
        pendingBytes += line.length;
        if (pendingBytes >= writeBlockBytes) flush();
      }
      flush();
    } catch (e) {
      closeQuietly(out.fd);
      throw e;
    }
    for (const run of runs) closeQuietly(run.fd);
    return { fd: out.fd, bytes, level };
  }

  private merged(runs: readonly Run[]): Generator<IdAt> {
    return mergeSorted(runs.map((run) => new RunReader(run, this.blockBytes, this.tempRoot)));
  }

  /** A new run file, opened for reading and writing and unlinked at once. */
  private newRun(): { fd: number } {
    const path = join(this.tempRoot, `caisse-audit-ids-${process.pid}-${randomBytes(8).toString('hex')}`);
    let fd: number;
    try {
      fd = openSync(path, 'wx+', 0o600);
    } catch (e) {
      throw tempFailure(this.tempRoot, e);
    }
    try {
      unlinkSync(path);
    } catch (e) {
      closeQuietly(fd);
      throw tempFailure(this.tempRoot, e);
    }
    return { fd };
  }

  /**
   * Writes all of `data` at `position` (writeSync may write less than asked); the end position. On
   * failure (a full disk) the file is closed, so that its space is freed at once.
   */
  private writeOrClose(fd: number, data: Buffer, position: number): number {
    let written = 0;
    try {
      while (written < data.length) written += writeSync(fd, data, written, data.length - written, position + written);
    } catch (e) {
      closeQuietly(fd);
      throw tempFailure(this.tempRoot, e);
    }
    return position + written;
  }
}

/** Closing an unlinked run file can only fail if it is closed already: nothing is left to free. */
function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // See above.
  }
}

function tempFailure(dir: string, e: unknown) {
  return auditFailure('AUDIT_TEMP_UNWRITABLE', {}, `${dir}: ${e instanceof Error ? e.message : String(e)}`);
}

function compareIdAt(a: IdAt, b: IdAt): number {
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return a.index - b.index;
}

function sortedRun(ids: readonly string[], indices: readonly number[]): IdAt[] {
  assert.equal(ids.length, indices.length);
  return ids.map((id, k) => ({ id, index: indices[k] as number })).sort(compareIdAt);
}

/**
 * Over ids in sorted order (equal ids by index): the id whose second index is smallest. The order is
 * total (id, then index), so it does not matter which run an id came from.
 */
function earliestAgain(sorted: Iterable<IdAt>): DuplicateId | undefined {
  let found: DuplicateId | undefined;
  let previous: IdAt | undefined;
  let secondOfGroup = false;
  for (const item of sorted) {
    if (previous !== undefined && previous.id === item.id) {
      if (!secondOfGroup && (found === undefined || item.index < found.againIndex)) found = { id: item.id, firstIndex: previous.index, againIndex: item.index };
      secondOfGroup = true;
    } else {
      secondOfGroup = false;
    }
    previous = item;
  }
  return found;
}

/** A k-way merge of sorted readers through a binary heap of their heads. */
interface Head {
  readonly item: IdAt;
  readonly reader: RunReader;
}

function* mergeSorted(readers: readonly RunReader[]): Generator<IdAt> {
  const heap: Head[] = [];
  const less = (a: number, b: number) => compareIdAt((heap[a] as Head).item, (heap[b] as Head).item) < 0;
  const swap = (a: number, b: number) => {
    const t = heap[a] as Head;
    heap[a] = heap[b] as Head;
    heap[b] = t;
  };
  const up = (at: number) => {
    for (let i = at; i > 0 && less(i, (i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
  };
  const down = (at: number) => {
    for (let i = at; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(l, m)) m = l;
      if (r < heap.length && less(r, m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  for (const reader of readers) {
    const item = reader.next();
    if (item !== undefined) {
      heap.push({ item, reader });
      up(heap.length - 1);
    }
  }
  while (heap.length > 0) {
    const top = heap[0] as Head;
    yield top.item;
    const next = top.reader.next();
    if (next !== undefined) {
      heap[0] = { item: next, reader: top.reader };
    } else {
      const last = heap.pop() as Head;
      if (heap.length === 0) return;
      heap[0] = last;
    }
    down(0);
  }
}

/** Reads a run back a block at a time, by position (the descriptor is shared by later merges). */
class RunReader {
  private readonly block: Buffer;
  private position = 0;
  private pending = '';
  private lines: string[] = [];
  private at = 0;

  constructor(
    private readonly run: Run,
    blockBytes: number,
    private readonly tempRoot: string,
  ) {
    this.block = Buffer.allocUnsafe(blockBytes);
  }

  next(): IdAt | undefined {
    while (this.at >= this.lines.length) {
      if (this.position >= this.run.bytes) {
        assert.equal(this.pending, '', 'a run ends with a newline');
        return undefined;
      }
      this.fill();
    }
    const line = this.lines[this.at++] ?? '';
    const tab = line.indexOf('\t');
    assert.ok(tab > 0, 'a run line is id<TAB>index');
    return { id: line.slice(0, tab), index: Number(line.slice(tab + 1)) };
  }

  private fill(): void {
    let n: number;
    try {
      n = readSync(this.run.fd, this.block, 0, Math.min(this.block.length, this.run.bytes - this.position), this.position);
    } catch (e) {
      throw tempFailure(this.tempRoot, e);
    }
    assert.ok(n > 0, 'a run file is as long as what was written to it');
    this.position += n;
    // ASCII only, so a block boundary never splits a character.
    const text = this.pending + this.block.toString('latin1', 0, n);
    const end = text.lastIndexOf('\n');
    this.pending = text.slice(end + 1);
    this.lines = end < 0 ? [] : text.slice(0, end).split('\n');
    this.at = 0;
  }
}
