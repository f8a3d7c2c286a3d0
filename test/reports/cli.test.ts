import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { commands as reportCommands } from '../../cli/commands/report.js';
import { commands as settleCommands } from '../../cli/commands/settle.js';
import { runCli } from '../../cli/run.js';
import { openLedger, standardAccounts } from '../../ledger/home.js';
import { startVirtualPrinter, type VirtualPrinter } from '../../printer/virtual/virtual-printer.js';
import { fakeIo, findCommand } from '../rules/cli-io.js';
import { day1, reportWorld, shop, till1, type ReportWorld } from './world.js';

/** The commands as the `caisse` binary runs them, on a real ledger directory and a virtual printer. */
const commands = [...reportCommands, ...settleCommands];
let w: ReportWorld;
let printer: VirtualPrinter;
let out: string;

beforeAll(async () => {
  w = await reportWorld();
  printer = await startVirtualPrinter({ port: 0 });
  out = mkdtempSync(join(tmpdir(), 'caisse-reports-'));
});
afterAll(async () => {
  await printer.close();
  w.h.close();
  rmSync(out, { recursive: true, force: true });
});

async function caisse(argv: string[], lang: 'fr' | 'en' = 'fr') {
  const io = fakeIo(out, lang);
  const { lang: _lang, ...rest } = io;
  const code = await runCli(commands, [...argv, '--lang', lang], rest);
  return { code, stdout: io.stdout.join(''), stderr: io.stderr.join('') };
}

describe('caisse report closure', () => {
  test('prints the Z report in French on the printer, and saves HTML and PDF with the same figures', async () => {
    const ticketsBefore = printer.tickets.length;
    const result = await caisse(['report', 'closure', '--data', w.h.dir, '--shop', shop, '--date', day1, '--to', `tcp://127.0.0.1:${printer.port}`, '--out', out]);
    expect(result.stderr).toContain('Imprimé sur');
    expect(result.code).toBe(0);
    const [ticket] = (await printer.waitForTickets(ticketsBefore + 1, 5_000)).slice(ticketsBefore);
    const text = ticket!.lines.join('\n');
    expect(text).toContain('CLÔTURE JOURNALIÈRE (Z) - BOUTIQUE');
    expect(text).toContain('Épicerie du Test');
    expect(text).toMatch(/Total des ventes +42,00 €/);
    expect(text).toMatch(/Dont caisse \(CCA\) +32,00 €/);
    expect(text).toMatch(/Remboursements \(1\) +3,00 €/);
    expect(text).toMatch(/Grand total perpétuel +39,00 €/);
    expect(text).toMatch(/Clôture n° +1/);
    expect(ticket!.cut).not.toBeNull();
    expect(result.stdout).toContain('Total des ventes');

    const html = readFileSync(join(out, 'z-shop-epicerie-test-boutique-2026-11-23.html'), 'utf8');
    expect(html).toContain('42,00 €');
    expect(html).toContain('39,00 €');
    expect(html).toContain('Grand total perpétuel');
    const pdf = readFileSync(join(out, 'z-shop-epicerie-test-boutique-2026-11-23.pdf'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });

  test('--json writes the view of one till, in English when asked', async () => {
    const result = await caisse(['report', 'closure', '--data', w.h.dir, '--shop', shop, '--till', till1, '--date', day1, '--out', out, '--json', '--columns', '32'], 'en');
    expect(result.code).toBe(0);
    const view = JSON.parse(result.stdout) as { lang: string; scope: unknown; ticketCount: number; firstTicketNumber: number; lastTicketNumber: number };
    expect(view).toMatchObject({ lang: 'en', scope: { kind: 'till', tillId: till1 }, ticketCount: 2, firstTicketNumber: 1, lastTicketNumber: 2 });
    expect(existsSync(join(out, `z-shop-epicerie-test-${till1}-2026-11-23.pdf`))).toBe(true);
  });

  test('bad input answers with a stable code and a French message, never a stack trace', async () => {
    const cases: [string[], string][] = [
      [['--shop', shop, '--date', '2026-02-30'], 'REPORT_BAD_DATE'],
      [['--shop', 'shop:inconnue', '--date', day1], 'REPORT_UNKNOWN_MERCHANT'],
      [['--shop', shop, '--till', 'nulle-part', '--date', day1], 'REPORT_UNKNOWN_TILL'],
      [['--shop', shop, '--date', '2026-11-01'], 'REPORT_NO_SALES'],
    ];
    for (const [options, code] of cases) {
      const result = await caisse(['report', 'closure', '--data', w.h.dir, '--out', out, ...options]);
      expect(result.code, code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`^Erreur ${code} : `));
    }
    const missing = await caisse(['report', 'closure', '--data', join(out, 'pas-de-registre'), '--shop', shop, '--date', day1]);
    expect(missing.stderr).toMatch(/^Erreur LEDGER_NO_LEDGER/);
  });
});

describe('caisse settle and caisse report settlement', () => {
  test('refused while the treasury lacks Moneko; then settles once, prints the statement, and says so when run again', async () => {
    const refused = await caisse(['settle', '--data', w.h.dir, '--merchant', shop, '--period', '2026-11', '--out', out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^Erreur LEDGER_OVERDRAFT : Solde insuffisant \(treasury:cca44: 0,00 MNK < 43,00 MNK/);

    await w.h.fundTreasury(10_000);
    const ticketsBefore = printer.tickets.length;
    const first = await caisse(['settle', '--data', w.h.dir, '--merchant', shop, '--period', '2026-11', '--out', out, '--to', `tcp://127.0.0.1:${printer.port}`]);
    expect(first.stderr).toContain('Règlement inscrit au registre');
    expect(first.code).toBe(0);
    const [ticket] = (await printer.waitForTickets(ticketsBefore + 1, 5_000)).slice(ticketsBefore);
    const text = ticket!.lines.join('\n');
    expect(text).toContain('RELEVÉ DE RÈGLEMENT');
    expect(text).toMatch(/CCA reçus +43,00 €/);
    expect(text).toMatch(/Moneko versés +43,00 MNK/);

    const second = await caisse(['settle', '--data', w.h.dir, '--merchant', shop, '--period', '2026-11', '--out', out]);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('Déjà réglé');

    w.h.reopen();
    const settlements = w.h.store.lastOfType('settlement', 10);
    expect(settlements).toHaveLength(1);
    expect(w.h.store.balanceCents(shop, 'CCA')).toBe(0);
    expect(w.h.store.balanceCents(standardAccounts.treasury, 'MNK')).toBe(10_000 - 4_300);

    const again = await caisse(['report', 'settlement', '--data', w.h.dir, '--merchant', shop, '--period', '2026-11', '--out', out]);
    expect(again.code).toBe(0);
    const html = readFileSync(join(out, 'releve-shop-epicerie-test-2026-11.html'), 'utf8');
    expect(html).toContain('43,00 MNK');
    expect(html).toContain('shop:epicerie-test');
    expect(existsSync(join(out, 'releve-shop-epicerie-test-2026-11.pdf'))).toBe(true);

    const never = await caisse(['report', 'settlement', '--data', w.h.dir, '--merchant', shop, '--period', '2026-10', '--out', out]);
    expect(never.stderr).toMatch(/^Erreur REPORT_NOT_SETTLED/);
    const zero = await caisse(['settle', '--data', w.h.dir, '--merchant', 'shop:sans-ventes', '--period', '2026-11', '--out', out]);
    expect(zero.stderr).toMatch(/^Erreur REPORT_NOTHING_TO_SETTLE/);
  });

  test('the commands are declared with their options, for help and argument checking', () => {
    const settle = findCommand(commands, ['settle']);
    expect(settle.options.filter((o) => o.required).map((o) => o.name)).toEqual(['data', 'merchant', 'period']);
    expect(findCommand(commands, ['report', 'closure']).options.map((o) => o.name)).toEqual(['data', 'shop', 'till', 'date', 'to', 'out', 'columns', 'json']);
    // The ledger directory stays usable by the ledger itself after the commands: its tree matches its last checkpoint.
    const opened = openLedger(w.h.dir);
    expect(opened.ledger.treeSize()).toBe(opened.store.latestCheckpoint()?.size);
    opened.close();
  });
});

describe('printing when the printer is away', () => {
  test('a printer that refuses the connection leaves the report queued (exit 1), the files saved; a bad address is refused first', async () => {
    const fresh = await reportWorld();
    try {
      const dead = await caisse(['report', 'closure', '--data', fresh.h.dir, '--shop', shop, '--date', day1, '--out', out, '--to', 'tcp://127.0.0.1:1']);
      expect(dead.code).toBe(1);
      expect(dead.stderr).toMatch(/Non imprimé \(PRINTER_[A-Z_]+\)/);
      expect(existsSync(join(out, 'z-shop-epicerie-test-boutique-2026-11-23.html'))).toBe(true);
      const bad = await caisse(['report', 'closure', '--data', fresh.h.dir, '--shop', shop, '--date', day1, '--out', out, '--to', 'imprimante']);
      expect(bad.stderr).toMatch(/^Erreur PRINTER_BAD_TARGET/);
    } finally {
      fresh.h.close();
    }
  });
});

