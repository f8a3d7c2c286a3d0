import { cpus } from 'node:os';
import { join } from 'node:path';
import { serveLedger } from '../cli/commands/ledger.js';
import { limits } from '../domain/limits.js';
import { benchArgs, bracketedLimit, type FigureTable, fmtRate, isMain, limitNote, printTable, rate } from './figure.js';
import { loadFromChild } from './load.js';
import { scratchDir } from './paths.js';
import { prepareLedger, requestBody, writeBodies } from './prepared.js';
import { profiled } from './profile.js';
import { allCoresVerifies } from './raw-limits.js';

/**
 * Batched submissions (POST /v1/entries/batch, `batchEntriesMax` entries each, as a till flushing its
 * offline queue or an operator's import): entries per second as a share of the Ed25519 verify limit of
 * the cores the server uses (its verifier pool has one thread per core; target >= 60 %). A few batches
 * are in flight at once so that verification (worker threads) and application (the event loop)
 * overlap.
 */
export const batchTargetPercent = 60;
export const batchClients = 3;

export interface BatchFigure {
  readonly entriesPerSecond: number;
  readonly table: FigureTable;
}

export async function run(options: { quick: boolean; verifyAllCores?: number }): Promise<BatchFigure> {
  const perBatch = limits.batchEntriesMax;
  const count = options.quick ? 10 * perBatch : 50 * perBatch;
  const threads = cpus().length;
  const limitBefore = options.verifyAllCores ?? (await allCoresVerifies('node-cached', threads, 2000));
  const scratch = scratchDir('batch');
  try {
    const prepared = await prepareLedger(scratch.dir, count);
    const bodies = [];
    for (let i = 0; i < prepared.payments.length; i += perBatch) bodies.push({ entries: prepared.payments.slice(i, i + perBatch).map(requestBody) });
    const bodiesFile = join(scratch.dir, 'batches.jsonl');
    writeBodies(bodiesFile, bodies);
    const server = await serveLedger(scratch.dir, { port: 0, host: '127.0.0.1', threads });
    let result;
    try {
      result = await profiled('batch-submit', () =>
        loadFromChild({ url: `http://127.0.0.1:${server.port}`, method: 'POST', path: '/v1/entries/batch', clients: batchClients, bodiesFile, warmupMs: 0, okMarker: '"ok":true' }),
      );
    } finally {
      await server.close();
    }
    if (result.okMarkers !== count) throw new Error(`batch: ${count - result.okMarkers} entries not accepted (${JSON.stringify(result.statuses)}): ${result.firstError ?? ''}`);
    const perSecond = rate(result.okMarkers, result.elapsedMs);
    const verifyLimits = await bracketedLimit(limitBefore, () => allCoresVerifies('node-cached', threads, 2000));
    const limit = verifyLimits.mean;
    const ratio = (100 * perSecond) / limit;
    return {
      entriesPerSecond: perSecond,
      table: {
        title: `Batched submissions (POST /v1/entries/batch, ${perBatch} per batch)`,
        rows: [
          {
            figure: `entries accepted, ${threads} cores`,
            measured: fmtRate(perSecond, 'entry'),
            rawLimit: `${fmtRate(limit, 'verify')} (${threads} cores)`,
            ratioPercent: ratio,
            target: `>= ${batchTargetPercent} %`,
            pass: ratio >= batchTargetPercent,
          },
          {
            figure: 'latency of one batch p50 / p99',
            measured: `${result.p50Ms.toFixed(0)} / ${result.p99Ms.toFixed(0)} ms`,
            rawLimit: '-',
            ratioPercent: undefined,
            target: '-',
            pass: undefined,
          },
        ],
        notes: [
          `${count} payments in ${bodies.length} batches, ${batchClients} batches in flight; verifier pool of ${threads} threads; the load process shares the cores.`,
          limitNote(`Ed25519 verify limit of ${threads} cores`, verifyLimits, 'verify'),
        ],
      },
    };
  } finally {
    scratch.remove();
  }
}

if (isMain(import.meta.url)) {
  printTable((await run({ quick: benchArgs().quick })).table);
}
