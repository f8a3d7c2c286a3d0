import { cpus } from 'node:os';
import type { Server } from 'node:http';
import { resolve } from 'node:path';
import { limits } from '../../domain/limits.js';
import { dataOption } from '../options.js';
import type { Command } from '../command.js';
import { optInt, optString } from '../command.js';
import { initLedger, openLedger, readBasketToken } from '../../ledger/home.js';
import { createApp } from '../../ledger/http/app.js';
import { VerifierPool } from '../../ledger/crypto/verifier-pool.js';
import type { Ledger } from '../../ledger/core/ledger.js';
import { cliError } from '../errors.js';
import { originSchema } from '../../domain/entry/schema.js';
import { createLedgerServer } from '../../ledger/http/server.js';


export const ledgerInit: Command = {
  words: ['ledger', 'init'],
  summary: { fr: 'Créer un registre : base SQLite, clés (fichiers 0600), écriture de genèse', en: 'Create a ledger: SQLite database, keys (0600 files), genesis entry' },
  options: [
    dataOption,
    { name: 'origin', kind: 'string', valueName: 'ORIGIN', help: { fr: 'nom du journal dans ses points de contrôle', en: 'log name in its checkpoints' } },
    {
      name: 'clock-window-ms',
      kind: 'int',
      valueName: 'MS',
      min: 1000,
      max: limits.offlineAgeMsMax,
      help: {
        fr: 'écart admis entre l’heure d’une écriture et celle du registre (défaut 300000 ; fixé pour toujours par la genèse)',
        en: 'accepted gap between an entry’s time and the ledger’s (default 300000; fixed for good by the genesis)',
      },
    },
  ],
  async run(args, io) {
    const dir = resolve(io.cwd, optString(args, 'data') ?? '');
    const origin = optString(args, 'origin');
    const checkedOrigin = origin === undefined ? undefined : originSchema.safeParse(origin);
    if (checkedOrigin?.success === false) throw cliError('CLI_BAD_VALUE', `--origin ${JSON.stringify(origin)}: ${checkedOrigin.error.issues[0]?.message ?? ''}`);
    const clockWindowMs = optInt(args, 'clock-window-ms');
    const result = initLedger(dir, { ...(origin === undefined ? {} : { origin }), ...(clockWindowMs === undefined ? {} : { clockWindowMs }) });
    const fr = io.lang === 'fr';
    io.out(`${fr ? 'Registre créé dans' : 'Ledger created in'} ${dir}\n${fr ? 'Origine :' : 'Origin:'} ${result.origin}\n`);
    for (const k of result.keys) io.out(`  ${k.role.padEnd(10)} ${k.keyId}  ${k.publicKey}\n`);
    io.out(
      fr
        ? `Clé de vérification du journal (à publier : les vérificateurs la fixent avec ledger verify --vkey ; aussi dans ledger.vkey) :\n  ${result.vkey}\n`
        : `The log's verifier key (publish it: auditors pin it with ledger verify --vkey; also in ledger.vkey):\n  ${result.vkey}\n`,
    );
    io.out(fr ? 'Les clés secrètes sont dans keys/ (lisibles par vous seul) ; elles ne sont jamais affichées.\n' : 'Secret keys are in keys/ (readable by you only); they are never printed.\n');
    return 0;
  },
};

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  readonly ledger: Ledger;
  close(): Promise<void>;
}

/** Starts the ledger's HTTP API on a data directory; used by `ledger serve`, `start` and the tests. */
export async function serveLedger(dir: string, options: { port: number; host: string; threads: number }): Promise<RunningServer> {
  const opened = openLedger(dir);
  const pool = new VerifierPool(options.threads);
  const token = readBasketToken(dir);
  const app = createApp({ ledger: opened.ledger, pool, ledgerPublicKey: opened.ledgerKey.publicKey, ...(token ? { basketReaderToken: token } : {}) });
  const server = createLedgerServer(app);
  try {
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(options.port, options.host, () => {
        server.off('error', fail);
        done();
      });
    });
  } catch (e) {
    await pool.close();
    opened.close();
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw cliError('CLI_PORT_IN_USE', `${options.host}:${options.port}`);
    throw e;
  }
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return {
    server,
    port,
    ledger: opened.ledger,
    async close() {
      await new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      await pool.close();
      opened.close();
    },
  };
}

export const ledgerServe: Command = {
  words: ['ledger', 'serve'],
  summary: { fr: 'Servir le registre en HTTP (/v1)', en: 'Serve the ledger over HTTP (/v1)' },
  options: [
    dataOption,
    { name: 'port', kind: 'int', valueName: 'PORT', min: 0, max: 65535, help: { fr: 'port TCP (défaut 8444)', en: 'TCP port (default 8444)' } },
    { name: 'host', kind: 'string', valueName: 'HOST', help: { fr: 'adresse d’écoute (défaut 127.0.0.1)', en: 'listen address (default 127.0.0.1)' } },
    { name: 'threads', kind: 'int', valueName: 'N', min: 0, max: 64, help: { fr: 'fils de vérification des signatures (défaut : un par cœur)', en: 'signature verification threads (default: one per core)' } },
  ],
  async run(args, io) {
    const dir = resolve(io.cwd, optString(args, 'data') ?? '');
    const running = await serveLedger(dir, {
      port: optInt(args, 'port') ?? 8444,
      host: optString(args, 'host') ?? '127.0.0.1',
      threads: optInt(args, 'threads') ?? cpus().length,
    });
    io.err(`${io.lang === 'fr' ? 'Registre servi sur' : 'Ledger served at'} http://${optString(args, 'host') ?? '127.0.0.1'}:${running.port}/v1\n`);
    await new Promise<void>((done) => {
      const stop = () => {
        void running.close().then(done);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};

export const commands: readonly Command[] = [ledgerInit, ledgerServe];
