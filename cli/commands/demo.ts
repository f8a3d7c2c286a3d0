import { resolve } from 'node:path';
import type { Command } from '../command.js';
import { optInt, optString } from '../command.js';
import { runDemo } from '../demo/run-demo.js';
import { ledgerUrl } from '../demo/http-client.js';
import { writableFilePath } from '../output-path.js';

export const demo: Command = {
  words: ['demo'],
  summary: {
    fr: 'Remplir un registre avec les données de démonstration et N paiements réalistes (sur place ou en HTTP)',
    en: 'Fill a ledger with the demo data and N realistic payments (in process or over HTTP)',
  },
  options: [
    { name: 'data', kind: 'string', valueName: 'DIR', required: true, help: { fr: 'dossier du registre (créé s’il n’existe pas)', en: 'ledger directory (created if missing)' } },
    { name: 'payments', kind: 'int', valueName: 'N', min: 0, max: 10_000_000, help: { fr: 'nombre de paiements (défaut 1000)', en: 'number of payments (default 1000)' } },
    { name: 'url', kind: 'string', valueName: 'URL', help: { fr: 'registre servi depuis DIR, joint en HTTP', en: 'the ledger served from DIR, reached over HTTP' } },
    { name: 'clients', kind: 'int', valueName: 'C', min: 1, max: 1024, help: { fr: 'clients simultanés en HTTP (défaut 32)', en: 'concurrent HTTP clients (default 32)' } },
    { name: 'receipts', kind: 'string', valueName: 'FILE', help: { fr: 'ajoute chaque reçu au fichier, une ligne JSON chacun', en: 'append each receipt to FILE, one JSON line each' } },
    { name: 'households', kind: 'int', valueName: 'N', min: 1, max: 100_000, help: { fr: 'nombre de foyers (défaut : ceux des données)', en: 'number of households (default: the fixtures’)' } },
    { name: 'seed', kind: 'int', valueName: 'S', min: 0, max: 2 ** 32 - 1, help: { fr: 'graine du hasard (défaut 44)', en: 'random seed (default 44)' } },
    { name: 'fixtures', kind: 'string', valueName: 'DIR', help: { fr: 'dossier des données de démonstration', en: 'demo data directory' } },
  ],
  async run(args, io) {
    const url = optString(args, 'url');
    if (url !== undefined) ledgerUrl(url);
    const receipts = optString(args, 'receipts');
    const households = optInt(args, 'households');
    const fixtures = optString(args, 'fixtures');
    const dir = resolve(io.cwd, optString(args, 'data') ?? '');
    await runDemo(
      {
        dir,
        payments: optInt(args, 'payments') ?? 1000,
        clients: optInt(args, 'clients') ?? 32,
        seed: optInt(args, 'seed') ?? 44,
        ...(url !== undefined ? { url } : {}),
        ...(receipts !== undefined ? { receiptsPath: writableFilePath('receipts', resolve(io.cwd, receipts), url === undefined ? { writes: 'in-place', createdFirst: dir } : { writes: 'in-place' }) } : {}),
        ...(households !== undefined ? { households } : {}),
        ...(fixtures !== undefined ? { fixturesDir: resolve(io.cwd, fixtures) } : {}),
      },
      io,
    );
    return 0;
  },
};

export const commands: readonly Command[] = [demo];
