import { join, resolve } from 'node:path';
import type { Lang } from '../../domain/error-spec.js';
import { homeFiles, readConfig } from '../../ledger/home.js';
import { closureReport } from '../../ledger/reports/closure-report.js';
import { settlementStatement } from '../../ledger/reports/statement-report.js';
import { SqliteStore } from '../../ledger/store/sqlite-store.js';
import {
  closureReportDocument,
  documentLines,
  parseClosureReportView,
  parseSettlementStatementView,
  parseTarget,
  Printer,
  resolveProfile,
  saveReport,
  settlementStatementDocument,
  type ClosureReportView,
  type PrinterTarget,
  type PrintDocument,
  type SettlementStatementView,
} from '../../printer/index.js';
import { printerError } from '../../printer/errors.js';
import type { Columns } from '../../printer/limits.js';
import { optBool, optInt, optString, type CliIo, type Command, type OptionSpec, type ParsedArgs } from '../command.js';
import { dataOption, merchantOption, periodOption } from '../options.js';
import { loadWorld, type ShopFixture } from '../demo/world.js';
import { fixturesDir } from '../project-root.js';
import { writableDirPath } from '../output-path.js';
import { warnOfDamagedQueue } from '../printer-warning.js';

/**
 * `caisse report closure` (the daily Z report of a till or a shop) and `caisse report settlement` (the
 * statement of a merchant's settlement), both computed from the ledger alone (ledger/reports), shown on
 * the terminal, saved as HTML and PDF, and printed when a printer is given. `caisse settle`
 * (settle.ts) delivers its statement the same way.
 */


export const deliveryOptions: readonly OptionSpec[] = [
  {
    name: 'to',
    kind: 'string',
    valueName: 'ADRESSE',
    help: {
      fr: 'imprimer aussi : tcp://HÔTE:PORT, serial:/dev/ttyUSB0?baud=19200, usb:/dev/usb/lp0 ou file:CHEMIN',
      en: 'also print: tcp://HOST:PORT, serial:/dev/ttyUSB0?baud=19200, usb:/dev/usb/lp0 or file:PATH',
    },
  },
  { name: 'out', kind: 'string', valueName: 'DOSSIER', help: { fr: 'dossier des fichiers HTML et PDF (défaut ./reports)', en: 'folder of the HTML and PDF files (default ./reports)' } },
  { name: 'columns', kind: 'int', valueName: 'N', min: 32, max: 48, help: { fr: 'colonnes : 32 (58 mm), 42 ou 48 (80 mm, défaut)', en: 'columns: 32 (58 mm), 42 or 48 (80 mm, default)' } },
  { name: 'json', kind: 'boolean', help: { fr: 'écrire la vue du rapport en JSON sur la sortie', en: 'write the report view as JSON on standard output' } },
];

/** Opens the ledger's database for reading only (LEDGER_NOT_FOUND when DIR holds no ledger). */
export function openStoreForReading(dir: string): SqliteStore {
  readConfig(dir);
  return SqliteStore.open(join(dir, homeFiles.database), { readonly: true });
}

/** The shop in the kit's fixtures, for its postal address (the ledger keeps none); undefined if unknown. */
export async function shopFixture(merchant: string): Promise<ShopFixture | undefined> {
  try {
    const world = await loadWorld(fixturesDir());
    return world.shops.find((s) => s.accountId === merchant);
  } catch {
    // No fixtures beside this installation: a statement without an address is still a statement.
    return undefined;
  }
}

export function fileSlug(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-');
}

export type ReportDelivery =
  | { readonly kind: 'closure'; readonly view: ClosureReportView; readonly baseName: string }
  | { readonly kind: 'settlement'; readonly view: SettlementStatementView; readonly baseName: string };

function say(io: CliIo, fr: string, en: string): void {
  io.err(io.lang === 'fr' ? fr : en);
}

function reportDocument(delivery: ReportDelivery, columns: Columns): PrintDocument {
  return delivery.kind === 'closure'
    ? closureReportDocument(parseClosureReportView(delivery.view), columns)
    : settlementStatementDocument(parseSettlementStatementView(delivery.view), columns);
}

/**
 * Shows a report (its printed lines, or its view as JSON with --json), saves it as HTML and PDF in
 * --out, and prints it when --to is given. Resolves to the exit code: 1 when the printer could not
 * print (the job then waits in the queue under DIR/printer and prints before the next one).
 */
/** Where and how a report goes, every option checked: what `deliveryPlan` makes before any work. */
export interface DeliveryPlan {
  readonly to: string | undefined;
  readonly target: PrinterTarget | undefined;
  readonly profile: ReturnType<typeof resolveProfile>;
  readonly outDir: string;
  readonly json: boolean;
}

/**
 * Checks the delivery options before the report is computed, and before `settle` appends anything: a
 * mistyped printer address (PRINTER_BAD_TARGET), a paper width no profile has, an output folder that
 * cannot be made. A command refused for them has written nothing.
 */
export function deliveryPlan(args: ParsedArgs, io: CliIo): DeliveryPlan {
  const to = optString(args, 'to');
  const columns = optInt(args, 'columns');
  return {
    to,
    target: to === undefined ? undefined : parseTarget(to),
    profile: resolveProfile(undefined, columns === undefined ? {} : { columns }),
    outDir: writableDirPath('out', resolve(io.cwd, optString(args, 'out') ?? 'reports')),
    json: optBool(args, 'json'),
  };
}

export async function deliverReport(plan: DeliveryPlan, io: CliIo, dataDir: string, delivery: ReportDelivery): Promise<number> {
  const lang: Lang = io.lang;
  const { to, target, profile } = plan;
  const doc = reportDocument(delivery, profile.columns);
  if (plan.json) io.out(`${JSON.stringify(delivery.view, null, 2)}\n`);
  else io.out(`${documentLines(doc).join('\n')}\n`);
  const saved = await saveReport(doc, plan.outDir, delivery.baseName, lang);
  say(io, `Enregistré : ${saved.htmlPath}\n             ${saved.pdfPath}\n`, `Saved: ${saved.htmlPath}\n       ${saved.pdfPath}\n`);
  if (to === undefined || target === undefined) return 0;
  const printer = await Printer.open({ target, dataDir: join(dataDir, 'printer'), lang, profile });
  warnOfDamagedQueue(io, printer);
  try {
    const outcome = delivery.kind === 'closure' ? await printer.printClosureReport(delivery.view) : await printer.printSettlementStatement(delivery.view);
    if (outcome.result === 'printed') {
      say(io, `Imprimé sur ${to}\n`, `Printed on ${to}\n`);
      return 0;
    }
    if (outcome.result === 'refused') throw printerError(outcome.code, `${to}: ${outcome.message}`);
    say(io, `Non imprimé (${outcome.code}) : ${outcome.message}. Le rapport attend dans la file de l'imprimante.\n`, `Not printed (${outcome.code}): ${outcome.message}. The report waits in the printer's queue.\n`);
    return 1;
  } finally {
    await printer.close();
  }
}

const closureCommand: Command = {
  words: ['report', 'closure'],
  summary: {
    fr: "Clôture journalière (rapport Z) d'une caisse ou d'une boutique, depuis le registre",
    en: 'Daily closure (Z report) of a till or a shop, from the ledger',
  },
  options: [
    dataOption,
    { name: 'shop', kind: 'string', valueName: 'COMPTE', required: true, help: { fr: 'compte du commerce (shop:…)', en: 'merchant account (shop:…)' } },
    { name: 'till', kind: 'string', valueName: 'CAISSE', help: { fr: 'une caisse enregistreuse (défaut : toute la boutique)', en: 'one till (default: the whole shop)' } },
    { name: 'date', kind: 'string', valueName: 'AAAA-MM-JJ', required: true, help: { fr: 'journée close (heure de Paris)', en: 'business day closed (Paris time)' } },
    ...deliveryOptions,
  ],
  async run(args, io) {
    const dir = resolve(io.cwd, optString(args, 'data') ?? '');
    const merchant = optString(args, 'shop') ?? '';
    const tillId = optString(args, 'till');
    const date = optString(args, 'date') ?? '';
    const plan = deliveryPlan(args, io);
    const store = openStoreForReading(dir);
    let view: ClosureReportView;
    try {
      const fixture = await shopFixture(merchant);
      view = closureReport(store, {
        merchant,
        ...(tillId !== undefined ? { tillId } : {}),
        date,
        lang: io.lang,
        nowMs: Date.now(),
        ...(fixture !== undefined ? { fallbackShopName: fixture.name } : {}),
      }).view;
    } finally {
      store.close();
    }
    return deliverReport(plan, io, dir, { kind: 'closure', view, baseName: fileSlug(`z-${merchant}-${tillId ?? 'boutique'}-${date}`) });
  },
};

const settlementCommand: Command = {
  words: ['report', 'settlement'],
  summary: {
    fr: "Relevé d'un règlement déjà fait à un commerce (CCA reçus, Moneko versés)",
    en: 'Statement of a settlement already made to a merchant (CCA received, Moneko paid)',
  },
  options: [
    dataOption,
    merchantOption,
    periodOption,
    ...deliveryOptions,
  ],
  async run(args, io) {
    const dir = resolve(io.cwd, optString(args, 'data') ?? '');
    const merchant = optString(args, 'merchant') ?? '';
    const period = optString(args, 'period') ?? '';
    const plan = deliveryPlan(args, io);
    const view = await statementFromDir(dir, merchant, period, io.lang);
    return deliverReport(plan, io, dir, { kind: 'settlement', view, baseName: statementBaseName(merchant, period) });
  },
};

export function statementBaseName(merchant: string, period: string): string {
  return fileSlug(`releve-${merchant}-${period}`);
}

/** The statement of an existing settlement, read from the ledger's directory, with the shop's address if known. */
export async function statementFromDir(dir: string, merchant: string, period: string, lang: Lang): Promise<SettlementStatementView> {
  const fixture = await shopFixture(merchant);
  const store = openStoreForReading(dir);
  try {
    return settlementStatement(store, {
      merchant,
      period,
      lang,
      nowMs: Date.now(),
      ...(fixture !== undefined ? { address: [fixture.address, fixture.commune].filter((l) => l.length > 0), fallbackName: fixture.name } : {}),
    }).view;
  } finally {
    store.close();
  }
}

export const commands: readonly Command[] = [closureCommand, settlementCommand];
