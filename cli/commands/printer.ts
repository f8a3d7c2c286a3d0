import { resolve } from 'node:path';
import type { Lang } from '../../domain/error-spec.js';
import { optBool, optInt, optString, type CliIo, type Command, type OptionSpec, type ParsedArgs } from '../command.js';
import { printerError } from '../../printer/errors.js';
import { encodeDocument } from '../../printer/escpos-encode.js';
import { connectTimeoutMs, statusTimeoutMs, writeTimeoutMs } from '../../printer/limits.js';
import { checkPrinterStatus, describeStatus } from '../../printer/printer-status.js';
import { printerProfiles, resolveProfile, type PrinterProfile } from '../../printer/profile.js';
import { receiptDocument } from '../../printer/receipt.js';
import { sendJob } from '../../printer/send-job.js';
import { describeTarget, parseTarget } from '../../printer/target.js';
import { testReceiptView } from '../../printer/test-receipt.js';
import { startVirtualPrinter } from '../../printer/virtual/virtual-printer.js';
import { writableDirPath } from '../output-path.js';
import { makeDirectories } from '../../domain/make-directories.js';

/** `caisse printer test|status|serve-virtual`: what a shop runs when it plugs a printer in. */

const toOption: OptionSpec = {
  name: 'to',
  kind: 'string',
  valueName: 'ADRESSE',
  required: true,
  help: {
    fr: 'imprimante : tcp://HÔTE:PORT, serial:/dev/ttyUSB0?baud=19200, usb:/dev/usb/lp0 ou file:CHEMIN',
    en: 'printer: tcp://HOST:PORT, serial:/dev/ttyUSB0?baud=19200, usb:/dev/usb/lp0 or file:PATH',
  },
};

const statusTimeoutOption: OptionSpec = {
  name: 'status-timeout-ms',
  kind: 'int',
  valueName: 'MS',
  min: 50,
  max: 60_000,
  help: { fr: `attente maximale d'une réponse d'état (défaut ${statusTimeoutMs} ms)`, en: `longest wait for a status answer (default ${statusTimeoutMs} ms)` },
};

const profileOptions: readonly OptionSpec[] = [
  {
    name: 'profile',
    kind: 'string',
    valueName: 'PROFIL',
    help: { fr: `profil d'imprimante (${[...printerProfiles.keys()].join(', ')})`, en: `printer profile (${[...printerProfiles.keys()].join(', ')})` },
  },
  { name: 'columns', kind: 'int', valueName: 'N', min: 32, max: 48, help: { fr: 'colonnes : 32 (58 mm), 42 ou 48 (80 mm)', en: 'columns: 32 (58 mm), 42 or 48 (80 mm)' } },
  { name: 'qr', kind: 'string', valueName: 'MODE', help: { fr: 'QR : native (GS ( k) ou raster (image)', en: 'QR: native (GS ( k) or raster (image)' } },
];

function profileFrom(args: ParsedArgs): PrinterProfile {
  const columns = optInt(args, 'columns');
  const qr = optString(args, 'qr');
  return resolveProfile(optString(args, 'profile'), {
    ...(columns !== undefined ? { columns } : {}),
    ...(qr !== undefined ? { qr } : {}),
  });
}

/** One line of the command's output, in the user's language. */
function say(io: CliIo, fr: string, en: string): void {
  io.out(`${io.lang === 'fr' ? fr : en}\n`);
}

const testCommand: Command = {
  words: ['printer', 'test'],
  summary: {
    fr: "imprime un ticket d'essai (accents, euro, QR) pour vérifier une imprimante",
    en: 'prints a test receipt (accents, euro, QR) to check a printer',
  },
  options: [toOption, ...profileOptions, statusTimeoutOption],
  async run(args, io) {
    const target = parseTarget(optString(args, 'to') ?? '');
    const profile = profileFrom(args);
    const view = testReceiptView(io.lang, Date.now());
    const bytes = encodeDocument(receiptDocument(view, { columns: profile.columns }), profile);
    const result = await sendJob(target, bytes, {
      connectTimeoutMs,
      writeTimeoutMs,
      statusTimeoutMs: optInt(args, 'status-timeout-ms') ?? statusTimeoutMs,
    });
    if (!result.ok) throw printerError(result.code, `${describeTarget(target)}${result.detail ? `, ${result.detail}` : ''}`);
    say(
      io,
      `Ticket d'essai envoyé à ${describeTarget(target)} (${profile.columns} colonnes, QR ${profile.qr === 'native' ? 'natif' : 'en image'}, ${bytes.length} octets).`,
      `Test receipt sent to ${describeTarget(target)} (${profile.columns} columns, ${profile.qr} QR, ${bytes.length} bytes).`,
    );
    if (!result.report.answered) {
      say(io, "L'imprimante ne répond pas aux demandes d'état : vérifiez le papier.", 'The printer does not answer status requests: check the paper.');
    }
    return 0;
  },
};

const statusCommand: Command = {
  words: ['printer', 'status'],
  summary: { fr: "affiche ce que l'imprimante dit de son état", en: 'shows what the printer says of its state' },
  options: [
    toOption,
    statusTimeoutOption,
    { name: 'json', kind: 'boolean', help: { fr: 'sortie JSON', en: 'JSON output' } },
  ],
  async run(args, io) {
    const target = parseTarget(optString(args, 'to') ?? '');
    const status = await checkPrinterStatus(target, { statusTimeoutMs: optInt(args, 'status-timeout-ms') ?? statusTimeoutMs });
    if (optBool(args, 'json')) io.out(JSON.stringify({ target: describeTarget(target), ...status }));
    // A printer that is not ready is named with its code, as every refusal is.
    else {
      const code = status.code === null ? '' : `${status.code} `;
      say(io, `Imprimante ${describeTarget(target)} : ${code}${describeStatus(status, 'fr')}`, `Printer ${describeTarget(target)}: ${code}${describeStatus(status, 'en')}`);
    }
    return status.code === null ? 0 : 1;
  },
};

const serveCommand: Command = {
  words: ['printer', 'serve-virtual'],
  summary: {
    fr: 'lance une imprimante virtuelle (TCP 9100) qui enregistre chaque ticket en PNG',
    en: 'runs a virtual printer (TCP 9100) saving each ticket as a PNG',
  },
  options: [
    { name: 'port', kind: 'int', valueName: 'PORT', min: 0, max: 65535, help: { fr: 'port TCP (défaut 9100, 0 : libre)', en: 'TCP port (default 9100; 0 picks a free one)' } },
    { name: 'out', kind: 'string', valueName: 'DOSSIER', help: { fr: 'dossier des aperçus (défaut ./tickets)', en: 'preview folder (default ./tickets)' } },
    { name: 'max-tickets', kind: 'int', valueName: 'N', min: 1, max: 1_000_000, help: { fr: "s'arrête après N tickets", en: 'stops after N tickets' } },
  ],
  async run(args, io) {
    const outDir = writableDirPath('out', resolve(io.cwd, optString(args, 'out') ?? 'tickets'));
    makeDirectories(outDir);
    const maxTickets = optInt(args, 'max-tickets');
    const lang: Lang = io.lang;
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((resolveStop) => {
      stop = resolveStop;
    });
    const printer = await startVirtualPrinter({
      port: optInt(args, 'port') ?? 9100,
      outDir,
      onTicket: (ticket) => {
        io.err(lang === 'fr' ? `ticket ${ticket.number} reçu : ${ticket.pngPath ?? ''}` : `ticket ${ticket.number} received: ${ticket.pngPath ?? ''}`);
        if (maxTickets !== undefined && ticket.number >= maxTickets) stop();
      },
    });
    say(io, `Imprimante virtuelle à l'écoute sur tcp://127.0.0.1:${printer.port}, aperçus dans ${outDir}`, `Virtual printer listening on tcp://127.0.0.1:${printer.port}, previews in ${outDir}`);
    const onSignal = (): void => stop();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    await stopped;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await printer.close();
    return 0;
  },
};

export const commands: readonly Command[] = [testCommand, statusCommand, serveCommand];
