import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { Printer } from '../../printer/printer.js';
import { resolveProfile } from '../../printer/profile.js';
import { saveReport } from '../../printer/report-export.js';
import { startVirtualPrinter, type VirtualPrinter } from '../../printer/virtual/virtual-printer.js';
import { sampleClosure, sampleReceipt, sampleSettlement } from './fixtures.js';
import { decodeQrFromPng, tempDir, testTimeouts } from './helpers.js';

let virtual: VirtualPrinter | undefined;
afterEach(async () => {
  await virtual?.close();
  virtual = undefined;
});

async function printerOn(port: number, profileId: string, dataDir = tempDir()): Promise<Printer> {
  return Printer.open({ target: `tcp://127.0.0.1:${port}`, dataDir, profile: resolveProfile(profileId), timeouts: testTimeouts });
}

describe('receipts through the virtual printer', () => {
  for (const [profileId, columns] of [
    ['generic-58', 32],
    ['generic-80-42', 42],
    ['generic-80', 48],
  ] as const) {
    test(`${columns} columns: French accents, euro sign, cut, native QR read back from the PNG`, async () => {
      const out = tempDir();
      virtual = await startVirtualPrinter({ port: 0, outDir: out });
      const printer = await printerOn(virtual.port, profileId);
      const outcome = await printer.printReceipt(sampleReceipt());
      expect(outcome).toEqual({ result: 'printed', jobId: 'receipt:caisse-1:123' });
      const [ticket] = await virtual.waitForTickets(1, 5_000);
      const text = ticket!.lines.join('\n');
      expect(ticket!.events).toContainEqual({ type: 'codepage', n: 16, name: 'windows1252' });
      expect(text).toContain("L'Épicerie du Chantier");
      expect(text).toContain('coopérative');
      expect(text).toContain('Œufs plein air ×6');
      expect(text).toContain('Crème fraîche épaisse');
      expect(text).toContain('Bière de Noël à la châtaigne');
      expect(text).toContain('13,50 €');
      expect(text).toContain('Payé par la caisse');
      expect(text).toContain('Règlements');
      expect(text).toContain('Journal n° 4821');
      expect(text).toContain('3fa9c2e1');
      expect(text).not.toContain('?');
      for (const line of ticket!.lines) expect(line.length).toBeLessThanOrEqual(columns);
      expect(ticket!.lines.some((l) => l.length === columns)).toBe(true); // rules span the paper
      expect(ticket!.cut).toBe('partial');
      expect(ticket!.qrCodes).toEqual(['https://caisse.example/e/4821#3fa9c2e1']);
      expect(decodeQrFromPng(ticket!.png)).toBe('https://caisse.example/e/4821#3fa9c2e1');
      expect(ticket!.pngPath).not.toBeNull();
      expect(existsSync(ticket!.pngPath!)).toBe(true);
      expect(readFileSync(ticket!.pngPath!.replace(/\.png$/, '.txt'), 'utf8')).toContain('Crème fraîche');
      await printer.close();
    });
  }

  test('raster fallback: the QR code is sent as a GS v 0 image and still decodes from the PNG', async () => {
    virtual = await startVirtualPrinter({ port: 0 });
    const printer = await printerOn(virtual.port, 'generic-58-raster');
    expect((await printer.printReceipt(sampleReceipt())).result).toBe('printed');
    const [ticket] = await virtual.waitForTickets(1, 5_000);
    expect(ticket!.qrCodes).toEqual([]);
    expect(ticket!.events.some((e) => e.type === 'image')).toBe(true);
    expect(decodeQrFromPng(ticket!.png)).toBe('https://caisse.example/e/4821#3fa9c2e1');
    await printer.close();
  });

  test('a reprint says DUPLICATA and is counted; a repeated original is dropped by id', async () => {
    virtual = await startVirtualPrinter({ port: 0 });
    const printer = await printerOn(virtual.port, 'generic-80');
    expect((await printer.printReceipt(sampleReceipt())).result).toBe('printed');
    expect(await printer.printReceipt(sampleReceipt())).toEqual({ result: 'printed', jobId: 'receipt:caisse-1:123' });
    const reprint = await printer.reprintReceipt('caisse-1', 123);
    expect(reprint.result).toBe('printed');
    await printer.reprintReceipt('caisse-1', 123);
    const tickets = await virtual.waitForTickets(3, 5_000);
    expect(tickets).toHaveLength(3);
    expect(tickets[0]!.lines.join('\n')).not.toContain('DUPLICATA');
    for (const dup of tickets.slice(1)) {
      expect(dup.lines.filter((l) => l.trim() === 'DUPLICATA')).toHaveLength(2); // at the top and at the bottom
      expect(decodeQrFromPng(dup.png)).toBe('https://caisse.example/e/4821#3fa9c2e1');
    }
    expect(printer.reprintCount('caisse-1', 123)).toBe(2);
    expect(printer.reprintCount()).toBe(2);
    const unknown = await printer.reprintReceipt('caisse-1', 999);
    expect(unknown).toMatchObject({ result: 'refused', code: 'PRINTER_NOT_FOUND' });
    expect(unknown.result === 'refused' && unknown.message).toContain('introuvable');
    await printer.close();
  });

  test('Z report and settlement statement print, and save as HTML and PDF', async () => {
    virtual = await startVirtualPrinter({ port: 0 });
    const printer = await printerOn(virtual.port, 'generic-58');
    expect((await printer.printClosureReport(sampleClosure())).result).toBe('printed');
    expect((await printer.printClosureReport(sampleClosure({ scope: { kind: 'shop' }, tills: [{ tillId: 'caisse-1', ticketCount: 30, salesTotalCents: 100_000 }, { tillId: 'caisse-2', ticketCount: 12, salesTotalCents: 23_456 }] }))).result).toBe('printed');
    expect((await printer.printSettlementStatement(sampleSettlement())).result).toBe('printed');
    const [tillZ, shopZ, settlement] = await virtual.waitForTickets(3, 5_000);
    const z = tillZ!.lines.join('\n');
    expect(z).toContain('CLÔTURE JOURNALIÈRE (Z)');
    expect(z).toContain('1 234,56 €');
    expect(z).toContain('98 765,43 €');
    expect(z).toMatch(/Premier ticket\s+101/);
    expect(z).toMatch(/Dernier ticket\s+142/);
    expect(z).toMatch(/Réimpressions\s+2/);
    expect(z).toContain('-4,50 €');
    expect(shopZ!.lines.join('\n')).toContain('BOUTIQUE');
    expect(shopZ!.lines.join('\n')).toMatch(/caisse-2 \(12\)\s+234,56 €/);
    const s = settlement!.lines.join('\n');
    expect(s).toContain('RELEVÉ DE RÈGLEMENT');
    expect(s).toContain('450,00 MNK');
    expect(s).toMatch(/09\/11\/2026 \(15\)\s+250,00 €/);

    const dir = tempDir();
    const files = await saveReport(printer.document('closure', sampleClosure()), dir, 'z-2026-11-23-caisse-1');
    const html = readFileSync(files.htmlPath, 'utf8');
    expect(html).toContain('CLÔTURE JOURNALIÈRE (Z)');
    expect(html).toContain('1 234,56 €');
    const pdf = readFileSync(files.pdfPath);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(1_000);
    const receiptFiles = await saveReport(printer.document('receipt', sampleReceipt()), dir, 'ticket-123');
    expect(readFileSync(receiptFiles.htmlPath, 'utf8')).toContain('<svg');
    await printer.close();
  });

  test('a bad view is refused with a reason, never thrown', async () => {
    virtual = await startVirtualPrinter({ port: 0 });
    const printer = await printerOn(virtual.port, 'generic-58');
    const outcome = await printer.printReceipt(sampleReceipt({ totals: { caissePaidCents: 1, paidOtherwiseCents: 0 } }));
    expect(outcome).toMatchObject({ result: 'refused', code: 'PRINTER_VIEW_INVALID' });
    expect(outcome.result === 'refused' && outcome.message).toContain('données du ticket invalides');
    expect(await printer.printReceipt({ nonsense: true })).toMatchObject({ result: 'refused', code: 'PRINTER_VIEW_INVALID' });
    expect(virtual.tickets).toHaveLength(0);
    await printer.close();
  });
});
