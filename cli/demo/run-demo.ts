import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { homeFiles, initLedger, openLedger, readRoleKey } from '../../ledger/home.js';
import type { CliIo } from '../command.js';
import { createProgress } from '../progress.js';
import { driveBatches, driveClients, percentile, ReceiptLog, type DriveStats } from './drive.js';
import { HttpJsonClient } from './http-client.js';
import { httpPort, localPort, type LedgerPort } from './port.js';
import { Random } from './random.js';
import { periodOf, setUpScenario } from './scenario.js';
import { TrafficGenerator } from './traffic.js';
import { loadWorld } from './world.js';
import { fixturesDir as defaultFixturesDir } from '../project-root.js';

export interface DemoOptions {
  readonly dir: string;
  readonly payments: number;
  readonly url?: string;
  readonly clients: number;
  readonly receiptsPath?: string;
  readonly households?: number;
  readonly seed: number;
  readonly fixturesDir?: string;
}

export interface DemoResult {
  readonly stats: DriveStats;
  readonly treeSize: number | undefined;
}

/**
 * `caisse demo`: a ledger with the fixtures and N realistic payments, in process or over HTTP against
 * the ledger served from the same directory (whose keys it signs with, as the operator and the tills).
 */
export async function runDemo(options: DemoOptions, io: Pick<CliIo, 'err' | 'out' | 'isTty' | 'lang'>): Promise<DemoResult> {
  const fr = io.lang === 'fr';
  const fixturesDir = options.fixturesDir ?? defaultFixturesDir();
  // The fixtures are read before a ledger is made for them: bad fixtures leave no ledger behind.
  const world = await loadWorld(fixturesDir, options.households === undefined ? {} : { households: options.households });
  if (options.url === undefined && !existsSync(join(options.dir, homeFiles.config))) {
    initLedger(options.dir);
    io.err(fr ? `Registre créé dans ${options.dir}\n` : `Ledger created in ${options.dir}\n`);
  }
  const keys = { committee: readRoleKey(options.dir, 'committee'), operator: readRoleKey(options.dir, 'operator'), moneko: readRoleKey(options.dir, 'moneko') };
  const opened = options.url === undefined ? openLedger(options.dir) : undefined;
  const client = options.url === undefined ? undefined : new HttpJsonClient(options.url, { sockets: options.clients });
  const port: LedgerPort = opened !== undefined ? localPort(opened.ledger) : httpPort(client as HttpJsonClient);
  const receipts = new ReceiptLog(options.receiptsPath);
  try {
    const nowMs = Date.now();
    const scenario = await setUpScenario(port, world, options.dir, keys, nowMs);
    io.err(fr
      ? `Monde de démonstration : ${world.shops.length} commerces, ${world.households.length} foyers (${scenario.entries} écritures de mise en place)\n`
      : `Demo world: ${world.shops.length} shops, ${world.households.length} households (${scenario.entries} set-up entries)\n`);
    const runId = randomBytes(4).toString('hex');
    const traffic = new TrafficGenerator(world, scenario.tillKeys, keys.operator, new Random(options.seed), Date.now, periodOf(nowMs), runId);
    for (const hh of world.households) traffic.setBalance(hh.accountId, await port.balanceCents(hh.accountId, 'CCA'));
    const progress = createProgress(io, fr ? 'Paiements' : 'Payments', options.payments);
    const stats = options.url === undefined
      ? await driveBatches(port, traffic, options.payments, progress, receipts)
      : await driveClients(port, traffic, options.payments, options.clients, progress, receipts);
    progress.done();
    const treeSize = opened?.ledger.treeSize();
    io.out(summary(stats, treeSize, options, fr));
    return { stats, treeSize };
  } finally {
    receipts.close();
    opened?.close();
    client?.close();
  }
}

function summary(stats: DriveStats, treeSize: number | undefined, options: DemoOptions, fr: boolean): string {
  const seconds = stats.elapsedMs / 1000;
  const sorted = [...stats.latenciesMs].sort((a, b) => a - b);
  const rows: [string, string][] = [
    [fr ? 'Paiements acceptés' : 'Payments accepted', String(stats.payments)],
    [fr ? 'Autres écritures' : 'Other entries', String(stats.otherEntries)],
    [fr ? 'Refusés' : 'Refused', stats.refused.size === 0 ? '0' : [...stats.refused].map(([c, n]) => `${c} × ${n}`).join(', ')],
    [fr ? 'Durée' : 'Time', `${seconds.toFixed(2)} s`],
    [fr ? 'Débit' : 'Rate', `${Math.round(stats.payments / Math.max(seconds, 1e-6))} ${fr ? 'paiements/s' : 'payments/s'}`],
  ];
  if (sorted.length > 0) {
    rows.push([fr ? 'Latence p50 / p99' : 'Latency p50 / p99', `${percentile(sorted, 50).toFixed(1)} / ${percentile(sorted, 99).toFixed(1)} ms`]);
    rows.push([fr ? 'Clients simultanés' : 'Concurrent clients', String(options.clients)]);
  }
  if (treeSize !== undefined) rows.push([fr ? 'Taille du journal' : 'Log size', String(treeSize)]);
  if (options.receiptsPath !== undefined) rows.push([fr ? 'Reçus' : 'Receipts', options.receiptsPath]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return `${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`;
}
