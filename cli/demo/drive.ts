import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import type { Outcome, Submission } from '../../ledger/core/ledger.js';
import { limits } from '../../domain/limits.js';
import type { Progress } from '../progress.js';
import type { LedgerPort } from './port.js';
import type { TrafficGenerator } from './traffic.js';

/**
 * Drives a ledger with the generator's traffic and measures it: in batches (in process) or with C
 * concurrent clients each sending one payment per request (over HTTP, as tills do).
 */
export interface DriveStats {
  payments: number;
  otherEntries: number;
  refused: Map<string, number>;
  latenciesMs: number[];
  elapsedMs: number;
}

/** Latencies kept for percentiles; past this, a uniform sample is kept (reservoir). */
export const latencySamplesMax = 200_000;

export class ReceiptLog {
  private readonly fd: number | undefined;
  constructor(path: string | undefined) {
    this.fd = path === undefined ? undefined : openSync(path, 'a');
  }
  /** One JSON line per acknowledged receipt. */
  write(outcome: Outcome): void {
    if (this.fd !== undefined && outcome.ok) writeSync(this.fd, `${JSON.stringify(outcome.receipt)}\n`);
  }
  close(): void {
    if (this.fd === undefined) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}

function newStats(): DriveStats {
  return { payments: 0, otherEntries: 0, refused: new Map(), latenciesMs: [], elapsedMs: 0 };
}

function record(stats: DriveStats, submission: Submission, outcome: Outcome, latencyMs: number | undefined): void {
  if (!outcome.ok) {
    stats.refused.set(outcome.error.code, (stats.refused.get(outcome.error.code) ?? 0) + 1);
    return;
  }
  if (submission.entry.body.type === 'payment') stats.payments += 1;
  else stats.otherEntries += 1;
  if (latencyMs === undefined) return;
  const seen = stats.payments + stats.otherEntries;
  if (stats.latenciesMs.length < latencySamplesMax) stats.latenciesMs.push(latencyMs);
  else {
    const slot = Math.floor(Math.random() * seen);
    if (slot < latencySamplesMax) stats.latenciesMs[slot] = latencyMs;
  }
}

/** Monthly allowances are at most this many months ahead of the last one issued on the ledger. */
export const allowanceRetriesMax = 240;

/**
 * Submits setup entries (allowances) and, while the ledger says a month was already credited by an
 * earlier run, moves on to the next month.
 */
async function submitSetup(port: LedgerPort, traffic: TrafficGenerator, setup: readonly Submission[], stats: DriveStats): Promise<void> {
  let pending = setup;
  for (let attempt = 0; attempt <= allowanceRetriesMax && pending.length > 0; attempt++) {
    const outcomes = await port.submitBatch(pending);
    const already = outcomes.some((o) => !o.ok && o.error.code === 'LEDGER_ALLOWANCE_ALREADY_ISSUED');
    outcomes.forEach((o, i) => {
      if (!(already && !o.ok && o.error.code === 'LEDGER_ALLOWANCE_ALREADY_ISSUED')) record(stats, pending[i] as Submission, o, undefined);
    });
    pending = already ? traffic.reissueAllowances() : [];
  }
}

export async function driveBatches(port: LedgerPort, traffic: TrafficGenerator, payments: number, progress: Progress, receipts: ReceiptLog): Promise<DriveStats> {
  const stats = newStats();
  const startedMs = performance.now();
  let made = 0;
  while (made < payments) {
    const group: Submission[] = [];
    while (group.length < limits.groupEntriesMax && made < payments) {
      const next = traffic.next();
      const setup = next.filter((s) => s.entry.body.type !== 'payment');
      if (setup.length > 0) {
        // Allowances go in before the payments that spend them.
        if (group.length > 0) await flush(group);
        group.length = 0;
        await submitSetup(port, traffic, setup, stats);
      }
      const paymentsNow = next.filter((s) => s.entry.body.type === 'payment');
      group.push(...paymentsNow);
      made += paymentsNow.length;
    }
    await flush(group);
  }
  stats.elapsedMs = performance.now() - startedMs;
  return stats;

  async function flush(group: readonly Submission[]): Promise<void> {
    const outcomes = await port.submitBatch(group);
    outcomes.forEach((o, i) => {
      const s = group[i];
      if (s !== undefined) record(stats, s, o, undefined);
      receipts.write(o);
    });
    progress.tick(group.length);
  }
}

export async function driveClients(port: LedgerPort, traffic: TrafficGenerator, payments: number, clients: number, progress: Progress, receipts: ReceiptLog): Promise<DriveStats> {
  const stats = newStats();
  const startedMs = performance.now();
  let made = 0;
  // A month's allowances must be in the log before payments that spend them: clients wait for them.
  let barrier: Promise<unknown> = Promise.resolve();
  const client = async () => {
    while (made < payments) {
      // Wait until no newer barrier was raised while this client was waiting for the last one.
      for (let seen = barrier; ; seen = barrier) {
        await seen;
        if (seen === barrier) break;
      }
      const next = traffic.next();
      made += next.filter((s) => s.entry.body.type === 'payment').length;
      const setup = next.filter((s) => s.entry.body.type !== 'payment');
      if (setup.length > 0) {
        barrier = submitSetup(port, traffic, setup, stats);
        await barrier;
      }
      for (const submission of next.filter((s) => s.entry.body.type === 'payment')) {
        const t0 = performance.now();
        const outcome = await port.submitOne(submission);
        record(stats, submission, outcome, performance.now() - t0);
        receipts.write(outcome);
        if (submission.entry.body.type === 'payment') progress.tick(1);
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  stats.elapsedMs = performance.now() - startedMs;
  return stats;
}

export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return 0;
  const i = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[i] ?? 0;
}
