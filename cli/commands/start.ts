import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from '../command.js';
import { optBool, optInt, optString } from '../command.js';
import { homeFiles } from '../../ledger/home.js';
import { runDemo } from '../demo/run-demo.js';
import { serveLedger } from './ledger.js';

/**
 * `npm start`: the main job on the embedded default. A ledger on a SQLite file under ./data with the
 * demo fixtures and a first day of payments, served over HTTP on this machine, ready to be looked at.
 */
export const start: Command = {
  words: ['start'],
  summary: {
    fr: 'Démarrer le registre de démonstration (./data) et le servir en HTTP',
    en: 'Start the demo ledger (./data) and serve it over HTTP',
  },
  options: [
    { name: 'data', kind: 'string', valueName: 'DIR', help: { fr: 'dossier des données (défaut ./data)', en: 'data directory (default ./data)' } },
    { name: 'port', kind: 'int', valueName: 'PORT', min: 0, max: 65535, help: { fr: 'port du registre (défaut 8444)', en: 'ledger port (default 8444)' } },
    { name: 'payments', kind: 'int', valueName: 'N', min: 0, max: 100_000, help: { fr: 'paiements de démonstration au premier démarrage (défaut 300)', en: 'demo payments on first start (default 300)' } },
    { name: 'once', kind: 'boolean', help: { fr: 'préparer puis quitter sans servir', en: 'prepare then exit without serving' } },
  ],
  async run(args, io) {
    const fr = io.lang === 'fr';
    const dir = resolve(io.cwd, optString(args, 'data') ?? 'data');
    const ledgerDir = join(dir, 'ledger');
    if (!existsSync(join(ledgerDir, homeFiles.config))) {
      io.err(fr ? `Premier démarrage : création du registre de démonstration dans ${ledgerDir}\n` : `First start: creating the demo ledger in ${ledgerDir}\n`);
      await runDemo({ dir: ledgerDir, payments: optInt(args, 'payments') ?? 300, clients: 1, seed: 44 }, io);
    }
    if (optBool(args, 'once')) return 0;
    const running = await serveLedger(ledgerDir, { port: optInt(args, 'port') ?? 8444, host: '127.0.0.1', threads: cpus().length });
    const base = `http://127.0.0.1:${running.port}/v1`;
    io.out(
      fr
        ? `\nRegistre servi sur ${base}\n  point de contrôle signé : curl ${base}/log/checkpoint\n  clé publique :           curl ${base}/log/key\n  comptes :                curl ${base}/accounts\n  audit complet :          npx caisse ledger verify --data ${ledgerDir}\nCtrl+C pour arrêter.\n`
        : `\nLedger served at ${base}\n  signed checkpoint: curl ${base}/log/checkpoint\n  public key:        curl ${base}/log/key\n  accounts:          curl ${base}/accounts\n  full audit:        npx caisse ledger verify --data ${ledgerDir}\nCtrl+C to stop.\n`,
    );
    await new Promise<void>((done) => {
      const stop = () => void running.close().then(done);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};

export const commands: readonly Command[] = [start];
