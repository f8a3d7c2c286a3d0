import { cpus } from 'node:os';
import { join } from 'node:path';
import { serveLedger } from '../cli/commands/ledger.js';
import { benchArgs, bracketedLimit, type FigureTable, fmtRate, isMain, limitNote, printTable, rate } from './figure.js';
import { loadFromChild } from './load.js';
import { scratchDir } from './paths.js';
import { prepareLedger, requestBody, writeBodies } from './prepared.js';
import { profiled } from './profile.js';
import { expressHelloRate, helloClients } from './raw-limits.js';

/**
 * Payments over HTTP, one per request (POST /v1/entries), from 32 concurrent keep-alive clients in a
 * separate process, as tills send them: the rate as a share of an express hello-world's on this machine
 * (target >= 50 %), and the latency each client sees (target p99 < 50 ms). Payments are made and signed
 * before the clock starts; the server is `serveLedger`, as `caisse ledger serve` runs it.
 */
export const httpRateTargetPercent = 50;
export const httpP99TargetMs = 50;

export interface HttpPaymentsFigure {
  readonly paymentsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly table: FigureTable;
}

export async function run(options: { quick: boolean; expressHelloPerSecond?: number }): Promise<HttpPaymentsFigure> {
  const count = options.quick ? 5000 : 20_000;
  const limitBefore = options.expressHelloPerSecond ?? (await expressHelloRate(3000));
  const scratch = scratchDir('http');
  try {
    const prepared = await prepareLedger(scratch.dir, count);
    const bodiesFile = join(scratch.dir, 'bodies.jsonl');
    writeBodies(bodiesFile, prepared.payments.map(requestBody));
    const server = await serveLedger(scratch.dir, { port: 0, host: '127.0.0.1', threads: cpus().length });
    let result;
    try {
      result = await profiled('http-payments', () =>
        loadFromChild({ url: `http://127.0.0.1:${server.port}`, method: 'POST', path: '/v1/entries', clients: helloClients, bodiesFile, warmupMs: 1000 }),
      );
    } finally {
      await server.close();
    }
    const created = result.statuses['201'] ?? 0;
    if (created !== result.requests) throw new Error(`http payments: ${result.requests - created} not created (${JSON.stringify(result.statuses)}): ${result.firstError ?? ''}`);
    const perSecond = rate(created, result.elapsedMs);
    const helloLimits = await bracketedLimit(limitBefore, () => expressHelloRate(3000));
    const limit = helloLimits.mean;
    const ratio = (100 * perSecond) / limit;
    return {
      paymentsPerSecond: perSecond,
      p50Ms: result.p50Ms,
      p99Ms: result.p99Ms,
      table: {
        title: `Payments over HTTP, one per request, ${helloClients} concurrent clients`,
        rows: [
          {
            figure: 'payments acknowledged (POST /v1/entries)',
            measured: fmtRate(perSecond, 'payment'),
            rawLimit: `${fmtRate(limit, 'req')} (express hello-world)`,
            ratioPercent: ratio,
            target: `>= ${httpRateTargetPercent} %`,
            pass: ratio >= httpRateTargetPercent,
          },
          {
            figure: 'latency p50 / p99 / max',
            measured: `${result.p50Ms.toFixed(1)} / ${result.p99Ms.toFixed(1)} / ${result.maxMs.toFixed(1)} ms`,
            rawLimit: '-',
            ratioPercent: undefined,
            target: `p99 < ${httpP99TargetMs} ms`,
            pass: result.p99Ms < httpP99TargetMs,
          },
        ],
        notes: [
          `${result.requests} payments counted after a 1 s warm-up (${count} sent); every one answered 201 after its group commit.`,
          limitNote('express hello-world', helloLimits, 'req'),
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
