import { createServer, type Server } from 'node:http';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { SqliteStore } from '../ledger/store/sqlite-store.js';
import { ed25519Libraries, measureVerifies, type Ed25519Library } from './ed25519-rates.js';
import { benchArgs, fmtRate, isMain, printTable, rate, type FigureTable } from './figure.js';
import { loadFromChild } from './load.js';
import { scratchDir } from './paths.js';

/**
 * The raw limits of this machine, measured in the same run as the figures that are compared with them
 * (issue 8, "Speed"): Ed25519 verifies per second (per library, one core, and every core through worker
 * threads), SQLite commits per second with WAL and synchronous=FULL (the ledger's own settings, through
 * its store), rows per second in batches, and hello-world requests per second for express and node:http
 * with 32 concurrent keep-alive clients in a separate load process.
 */
export interface RawLimits {
  readonly cores: number;
  readonly verifyPerCore: Record<Ed25519Library, number>;
  /** node:crypto with cached KeyObjects (what the ledger uses), on every core at once. */
  readonly verifyAllCores: number;
  readonly verifyAllCoresSodium: number;
  readonly sqliteCommitsPerSecond: number;
  readonly sqliteRowsPerSecond: number;
  /** Point reads of one stored tree node (what a proof is made of), per second. */
  readonly sqliteNodeReadsPerSecond: number;
  readonly expressHelloPerSecond: number;
  readonly nodeHttpHelloPerSecond: number;
  readonly table: FigureTable;
}

export const helloClients = 32;
export const rowsPerBatch = 1000;

export function allCoresVerifies(lib: Ed25519Library, threads: number, durationMs: number): Promise<number> {
  const path = fileURLToPath(new URL('./verify-rate-worker.js', import.meta.url));
  const workers = Array.from({ length: threads }, () => new Worker(path, { workerData: { lib, durationMs } }));
  return new Promise((done, fail) => {
    let ready = 0;
    const results: { count: number; elapsedMs: number }[] = [];
    for (const w of workers) {
      w.on('error', fail);
      w.on('message', (m: 'ready' | { count: number; elapsedMs: number }) => {
        if (m === 'ready') {
          ready += 1;
          if (ready === workers.length) for (const x of workers) x.postMessage('go');
          return;
        }
        results.push(m);
        if (results.length === workers.length) {
          void Promise.all(workers.map((x) => x.terminate())).then(() => done(results.reduce((s, r) => s + rate(r.count, r.elapsedMs), 0)));
        }
      });
    }
  });
}

function sqliteRates(durationMs: number): { commits: number; rows: number; nodeReads: number } {
  const scratch = scratchDir('sqlite');
  const store = SqliteStore.open(join(scratch.dir, 'raw.sqlite'), { create: true });
  try {
    const db = store.db;
    db.exec('CREATE TABLE raw (k INTEGER PRIMARY KEY, v BLOB NOT NULL) STRICT');
    const insert = db.prepare('INSERT INTO raw (k, v) VALUES (?, ?)');
    const value = Buffer.alloc(32, 7);
    let k = 0;
    const one = db.transaction(() => insert.run(k++, value));
    const batch = db.transaction(() => {
      for (let i = 0; i < rowsPerBatch; i++) insert.run(k++, value);
    });
    const timed = (fn: () => void, perCall: number): number => {
      let count = 0;
      const start = performance.now();
      let now = start;
      while (now - start < durationMs) {
        fn();
        count += perCall;
        now = performance.now();
      }
      return rate(count, now - start);
    };
    const commits = timed(() => one.immediate(), 1);
    const rows = timed(() => batch.immediate(), rowsPerBatch);
    const select = db.prepare('SELECT v FROM raw WHERE k = ?').pluck();
    const total = k;
    let x = 12345;
    const nodeReads = timed(() => {
      for (let i = 0; i < 100; i++) {
        x = (x * 1103515245 + 12345) % 2147483648;
        select.get(x % total);
      }
    }, 100);
    return { commits, rows, nodeReads };
  } finally {
    store.close();
    scratch.remove();
  }
}

async function helloRate(server: Server, durationMs: number): Promise<number> {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  try {
    const r = await loadFromChild({ url: `http://127.0.0.1:${address.port}`, method: 'GET', path: '/', clients: helloClients, durationMs, warmupMs: 500 });
    if (r.firstError !== undefined) throw new Error(`hello-world load: ${r.firstError}`);
    return rate(r.requests, r.elapsedMs);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  }
}

/** Requests per second an express 5 hello-world answers to 32 keep-alive clients in another process. */
export function expressHelloRate(durationMs: number): Promise<number> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/', (_req, res) => {
    res.send('Hello World!');
  });
  return helloRate(createServer(app), durationMs);
}

export async function run(options: { quick: boolean }): Promise<RawLimits> {
  const durationMs = options.quick ? 700 : 2000;
  const cores = cpus().length;
  const verifyPerCore = {} as Record<Ed25519Library, number>;
  for (const lib of ed25519Libraries) {
    const r = measureVerifies(lib, lib === 'tweetnacl' ? durationMs / 2 : durationMs);
    verifyPerCore[lib] = rate(r.count, r.elapsedMs);
  }
  const verifyAllCores = await allCoresVerifies('node-cached', cores, durationMs);
  const verifyAllCoresSodium = await allCoresVerifies('sodium-native', cores, durationMs);
  const sqlite = sqliteRates(durationMs);
  const expressHello = await expressHelloRate(durationMs * 2);
  const nodeHello = await helloRate(
    createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('Hello World!');
    }),
    durationMs * 2,
  );
  const raw = (figure: string, perSecond: number, unit: string, note = '') => ({
    figure,
    measured: fmtRate(perSecond, unit) + note,
    rawLimit: '-',
    ratioPercent: undefined,
    target: '-',
    pass: undefined,
  });
  const cached = verifyPerCore['node-cached'];
  const table: FigureTable = {
    title: 'Raw limits of this machine',
    rows: [
      raw('Ed25519 verify, node:crypto, cached KeyObject, 1 core', cached, 'verify'),
      raw('Ed25519 verify, node:crypto, key re-parsed each call, 1 core', verifyPerCore['node-reparsed'], 'verify'),
      raw('Ed25519 verify, sodium-native, 1 core', verifyPerCore['sodium-native'], 'verify'),
      raw('Ed25519 verify, tweetnacl, 1 core', verifyPerCore.tweetnacl, 'verify'),
      raw(`Ed25519 verify, node:crypto cached, ${cores} cores (worker threads)`, verifyAllCores, 'verify'),
      raw(`Ed25519 verify, sodium-native, ${cores} cores (worker threads)`, verifyAllCoresSodium, 'verify'),
      raw('SQLite commits, WAL + synchronous=FULL, 1 row each', sqlite.commits, 'commit'),
      raw(`SQLite rows in batches of ${rowsPerBatch}, WAL + synchronous=FULL`, sqlite.rows, 'row'),
      raw('SQLite point reads by primary key (a tree node)', sqlite.nodeReads, 'read'),
      raw(`express 5 hello-world, ${helloClients} keep-alive clients`, expressHello, 'req'),
      raw(`node:http hello-world, ${helloClients} keep-alive clients`, nodeHello, 'req'),
    ],
    notes: [
      `Ed25519 messages are ${700} bytes (a payment's signing message is about that size).`,
      `HTTP load comes from a separate node process on the same ${cores} cores.`,
    ],
  };
  return {
    cores,
    verifyPerCore,
    verifyAllCores,
    verifyAllCoresSodium,
    sqliteCommitsPerSecond: sqlite.commits,
    sqliteRowsPerSecond: sqlite.rows,
    sqliteNodeReadsPerSecond: sqlite.nodeReads,
    expressHelloPerSecond: expressHello,
    nodeHttpHelloPerSecond: nodeHello,
    table,
  };
}

if (isMain(import.meta.url)) {
  const limits = await run({ quick: benchArgs().quick });
  printTable(limits.table);
}
