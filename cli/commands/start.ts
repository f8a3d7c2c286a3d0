import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command, CliIo } from '../command.js';
import { optBool, optInt, optString } from '../command.js';
import { homeFiles } from '../../ledger/home.js';
import type { Ledger } from '../../ledger/core/ledger.js';
import { Printer, startVirtualPrinter, type VirtualPrinter } from '../../printer/index.js';
import { runDemo } from '../demo/run-demo.js';
import { receiptViewForPayment } from '../demo/receipt-view.js';
import { loadWorld } from '../demo/world.js';
import { fixturesDir } from '../project-root.js';
import { serveLedger } from './ledger.js';
import { cliError } from '../errors.js';
import { requirePortFree } from '../port-check.js';
import { warnOfDamagedQueue } from '../printer-warning.js';

/** Receipts of the latest payments printed at each start, as a preview of the till's tickets. */
export const startReceiptsPrinted = 3;

/**
 * `npm start`: the main job on the embedded default. A ledger on a SQLite file under ./data with the
 * demo fixtures and a first day of payments, served over HTTP on this machine, and the virtual receipt
 * printer (ESC/POS over TCP), which prints the latest receipts to PNG previews.
 */
export const start: Command = {
  words: ['start'],
  summary: {
    fr: 'Démarrer le registre de démonstration (./data), le servir en HTTP, avec l’imprimante virtuelle',
    en: 'Start the demo ledger (./data), serve it over HTTP, with the virtual printer',
  },
  options: [
    { name: 'data', kind: 'string', valueName: 'DIR', help: { fr: 'dossier des données (défaut ./data)', en: 'data directory (default ./data)' } },
    { name: 'port', kind: 'int', valueName: 'PORT', min: 0, max: 65535, help: { fr: 'port du registre (défaut 8444)', en: 'ledger port (default 8444)' } },
    { name: 'printer-port', kind: 'int', valueName: 'PORT', min: 0, max: 65535, help: { fr: 'port de l’imprimante virtuelle (défaut 9100)', en: 'virtual printer port (default 9100)' } },
    { name: 'payments', kind: 'int', valueName: 'N', min: 0, max: 100_000, help: { fr: 'paiements de démonstration au premier démarrage (défaut 300)', en: 'demo payments on first start (default 300)' } },
    { name: 'once', kind: 'boolean', help: { fr: 'préparer, imprimer puis quitter sans servir', en: 'prepare, print, then exit without serving' } },
  ],
  async run(args, io) {
    const fr = io.lang === 'fr';
    const dir = resolve(io.cwd, optString(args, 'data') ?? 'data');
    const ledgerDir = join(dir, 'ledger');
    const ledgerPort = optInt(args, 'port') ?? 8444;
    const printerPort = optInt(args, 'printer-port') ?? 9100;
    // Both ports are checked before the first start builds a demo ledger for nothing.
    if (ledgerPort !== 0 && ledgerPort === printerPort) throw cliError('CLI_BAD_VALUE', `--port ${ledgerPort} and --printer-port ${printerPort}: two different ports`);
    await requirePortFree('port', '127.0.0.1', ledgerPort);
    await requirePortFree('printer-port', '127.0.0.1', printerPort);
    if (!existsSync(join(ledgerDir, homeFiles.config))) {
      io.err(fr ? `Premier démarrage : création du registre de démonstration dans ${ledgerDir}\n` : `First start: creating the demo ledger in ${ledgerDir}\n`);
      await runDemo({ dir: ledgerDir, payments: optInt(args, 'payments') ?? 300, clients: 1, seed: 44 }, io);
    }
    const running = await serveLedger(ledgerDir, { port: ledgerPort, host: '127.0.0.1', threads: cpus().length });
    let printer: VirtualPrinter;
    try {
      printer = await startVirtualPrinter({ port: printerPort, host: '127.0.0.1', outDir: join(dir, 'tickets') });
    } catch (e) {
      await running.close();
      throw e;
    }
    try {
      await printLatestReceipts(running.ledger, printer, dir, io);
    } catch (e) {
      await printer.close();
      await running.close();
      throw e;
    }
    const base = `http://127.0.0.1:${running.port}/v1`;
    io.out(
      fr
        ? `\nRegistre servi sur ${base}\n  point de contrôle signé : curl ${base}/log/checkpoint\n  clé publique :           curl ${base}/log/key\n  comptes :                curl ${base}/accounts\n  audit complet :          npx caisse ledger verify --data ${ledgerDir}\nImprimante virtuelle : tcp://127.0.0.1:${printer.port} (aperçus PNG dans ${join(dir, 'tickets')})\n`
        : `\nLedger served at ${base}\n  signed checkpoint: curl ${base}/log/checkpoint\n  public key:        curl ${base}/log/key\n  accounts:          curl ${base}/accounts\n  full audit:        npx caisse ledger verify --data ${ledgerDir}\nVirtual printer: tcp://127.0.0.1:${printer.port} (PNG previews in ${join(dir, 'tickets')})\n`,
    );
    if (optBool(args, 'once')) {
      await printer.close();
      await running.close();
      return 0;
    }
    io.out(fr ? 'Ctrl+C pour arrêter.\n' : 'Ctrl+C to stop.\n');
    await new Promise<void>((done) => {
      const stop = () => void Promise.all([printer.close(), running.close()]).then(() => done());
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};

async function printLatestReceipts(ledger: Ledger, virtual: VirtualPrinter, dir: string, io: CliIo): Promise<void> {
  const world = await loadWorld(fixturesDir());
  const printer = await Printer.open({ target: `tcp://127.0.0.1:${virtual.port}`, dataDir: join(dir, 'printer'), lang: io.lang });
  warnOfDamagedQueue(io, printer);
  try {
    for (const index of ledger.store.lastOfType('payment', startReceiptsPrinted).reverse()) {
      const view = receiptViewForPayment(ledger, world, index, io.lang);
      if (view === undefined) continue;
      const outcome = await printer.printReceipt(view);
      io.err(
        outcome.result === 'printed'
          ? io.lang === 'fr' ? `Ticket imprimé : ${view.shopName}, n° ${view.ticketNumber}\n` : `Receipt printed: ${view.shopName}, no. ${view.ticketNumber}\n`
          : `${outcome.result}: ${'message' in outcome ? outcome.message : ''}\n`,
      );
    }
    await virtual.waitForTickets(Math.min(startReceiptsPrinted, virtual.tickets.length), 5000);
  } finally {
    await printer.close();
  }
}

export const commands: readonly Command[] = [start];
