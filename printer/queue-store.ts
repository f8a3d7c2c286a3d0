import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { queueFileBytesMax } from './limits.js';
import { makeDirectories } from '../domain/make-directories.js';

/**
 * The reprint queue's file: jobs waiting for the printer, recent receipts kept for a DUPLICATA, and
 * the reprint counters. JSON lines (one record a line, a header line first), small by construction
 * (every part is bounded in limits.ts), rewritten whole at each change: written to a temporary file,
 * fsynced, renamed over the old one, and the folder fsynced, so a power cut leaves either the old
 * file or the new one, never half of one.
 *
 *   {"format":"caisse-printer-queue","version":1,"reprintTotal":3}
 *   {"type":"job","id":"receipt:caisse-1:123","kind":"receipt","view":{…},"queuedAtMs":…,"attempts":2,"lastCode":"PRINTER_PAPER_OUT"}
 *   {"type":"recent","key":"caisse-1:123","view":{…},"printedAtMs":…,"reprints":1}
 */

export const queueFileName = 'printer-queue.jsonl';
const format = 'caisse-printer-queue';

export type JobKind = 'receipt' | 'closure' | 'settlement';

export interface QueuedJob {
  readonly id: string;
  readonly kind: JobKind;
  /** The view as given (already validated when queued; validated again when printed). */
  readonly view: unknown;
  readonly queuedAtMs: number;
  readonly attempts: number;
  readonly lastCode: string;
}

export interface RecentReceipt {
  /** `${tillId}:${ticketNumber}` */
  readonly key: string;
  readonly view: unknown;
  readonly printedAtMs: number;
  readonly reprints: number;
}

export interface QueueState {
  readonly jobs: readonly QueuedJob[];
  readonly recent: readonly RecentReceipt[];
  readonly reprintTotal: number;
}

export const emptyQueueState: QueueState = { jobs: [], recent: [], reprintTotal: 0 };

const header = z.strictObject({ format: z.literal(format), version: z.literal(1), reprintTotal: z.number().int().min(0) });
const record = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('job'),
    id: z.string().min(1).max(200),
    kind: z.enum(['receipt', 'closure', 'settlement']),
    view: z.unknown(),
    queuedAtMs: z.number().int(),
    attempts: z.number().int().min(0),
    lastCode: z.string().max(64),
  }),
  z.strictObject({
    type: z.literal('recent'),
    key: z.string().min(1).max(200),
    view: z.unknown(),
    printedAtMs: z.number().int(),
    reprints: z.number().int().min(0),
  }),
]);

export function encodeQueueState(state: QueueState): string {
  const lines = [JSON.stringify({ format, version: 1, reprintTotal: state.reprintTotal })];
  for (const job of state.jobs) lines.push(JSON.stringify({ type: 'job', ...job }));
  for (const recent of state.recent) lines.push(JSON.stringify({ type: 'recent', ...recent }));
  return lines.join('\n') + '\n';
}

/** Parses the file's text; throws (a plain Error naming the line) when it is not a queue file. */
export function decodeQueueState(text: string): QueueState {
  const lines = text.split('\n').filter((line) => line.length > 0);
  if (lines.length === 0) throw new Error('empty queue file');
  const head = header.parse(JSON.parse(lines[0]!));
  const jobs: QueuedJob[] = [];
  const recent: RecentReceipt[] = [];
  lines.slice(1).forEach((line, i) => {
    const parsed = record.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`line ${i + 2}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const { type, ...rest } = parsed.data;
    if (type === 'job') jobs.push(rest as QueuedJob);
    else recent.push(rest as RecentReceipt);
  });
  return { jobs, recent, reprintTotal: head.reprintTotal };
}

/**
 * What can still be read of a damaged file: every line that is a valid record, whatever the lines
 * around it (the reprint count is lost with an unreadable header). A job lost this way would be a
 * settlement statement or a Z report that never prints.
 */
export function salvageQueueState(text: string): { state: QueueState; unreadableLines: number } {
  const jobs: QueuedJob[] = [];
  const recent: RecentReceipt[] = [];
  let reprintTotal = 0;
  let unreadableLines = 0;
  text.split('\n').forEach((line, i) => {
    if (line.length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      unreadableLines += 1;
      return;
    }
    const head = i === 0 ? header.safeParse(value) : undefined;
    if (head?.success === true) {
      reprintTotal = head.data.reprintTotal;
      return;
    }
    const parsed = record.safeParse(value);
    if (!parsed.success) {
      unreadableLines += 1;
      return;
    }
    const { type, ...rest } = parsed.data;
    if (type === 'job') jobs.push(rest as QueuedJob);
    else recent.push(rest as RecentReceipt);
  });
  // With its header lost, the count of reprints starts again from what the kept receipts record (it
  // must never go down: the Z report shows it).
  const recorded = recent.reduce((sum, r) => sum + r.reprints, 0);
  return { state: { jobs, recent, reprintTotal: Math.max(reprintTotal, recorded) }, unreadableLines };
}

export interface LoadedQueue {
  readonly state: QueueState;
  /**
   * Set when the file was damaged: it is moved aside as it was, and the queue starts with what could
   * be read of it (`salvageQueueState`), or empty when it was too large to read.
   */
  readonly corruptFileMovedTo: string | null;
  /** Lines of the damaged file that could not be read (0 when it was not damaged); 'all' when too large to read. */
  readonly unreadableLines: number | 'all';
}

export class QueueStore {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, queueFileName);
  }

  async load(): Promise<LoadedQueue> {
    makeDirectories(dirname(this.path));
    let text: string;
    try {
      const stat = await fs.stat(this.path);
      if (stat.size > queueFileBytesMax) return this.#setAside();
      text = await fs.readFile(this.path, 'utf8');
    } catch (error) {
      if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') {
        return { state: emptyQueueState, corruptFileMovedTo: null, unreadableLines: 0 };
      }
      throw error;
    }
    try {
      return { state: decodeQueueState(text), corruptFileMovedTo: null, unreadableLines: 0 };
    } catch {
      // A copy set aside first, then what could be read saved over the damaged file (atomically): a
      // crash in between leaves the damaged file where it was, to be salvaged again at the next start.
      const salvaged = salvageQueueState(text);
      const aside = `${this.path}.corrupt-${Date.now()}`;
      await fs.copyFile(this.path, aside);
      await this.save(salvaged.state);
      return { state: salvaged.state, corruptFileMovedTo: aside, unreadableLines: salvaged.unreadableLines };
    }
  }

  /** Replaces the file atomically (temporary file, fsync, rename, fsync of the folder). */
  async save(state: QueueState): Promise<void> {
    const temporary = `${this.path}.${randomBytes(4).toString('hex')}.tmp`;
    const handle = await fs.open(temporary, 'w');
    try {
      await handle.writeFile(encodeQueueState(state), 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, this.path);
    const folder = await fs.open(dirname(this.path), 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  }

  async #setAside(): Promise<LoadedQueue> {
    const aside = `${this.path}.corrupt-${Date.now()}`;
    await fs.rename(this.path, aside);
    return { state: emptyQueueState, corruptFileMovedTo: aside, unreadableLines: 'all' };
  }
}
