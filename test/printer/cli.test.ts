import { readFileSync } from 'node:fs';
import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { CaisseError } from '../../domain/error-spec.js';
import type { CliIo, Command, ParsedArgs } from '../../cli/command.js';
import { commands } from '../../cli/commands/printer.js';
import { startVirtualPrinter, type VirtualPrinter } from '../../printer/virtual/virtual-printer.js';
import { decodeQrFromPng, tempDir } from './helpers.js';

function command(...words: string[]): Command {
  const found = commands.find((c) => c.words.join(' ') === words.join(' '));
  if (!found) throw new Error(`no command ${words.join(' ')}`);
  return found;
}

function args(options: Record<string, string | number | boolean>): ParsedArgs {
  return { options: new Map(Object.entries(options)), positionals: [] };
}

function fakeIo(lang: 'fr' | 'en' = 'fr'): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { lang, out: (t) => stdout.push(t), err: (t) => stderr.push(t), isTty: false, env: {}, cwd: tempDir(), stdout, stderr };
}

let virtual: VirtualPrinter | undefined;
afterEach(async () => {
  await virtual?.close();
  virtual = undefined;
});

describe('caisse printer', () => {
  test('test --to tcp://…: a test receipt with French accents, a euro amount and a QR code', async () => {
    virtual = await startVirtualPrinter({ port: 0 });
    const io = fakeIo();
    const code = await command('printer', 'test').run(args({ to: `tcp://127.0.0.1:${virtual.port}`, columns: 32 }), io);
    expect(code).toBe(0);
    expect(io.stdout.join('\n')).toContain(`Ticket d'essai envoyé à tcp://127.0.0.1:${virtual.port} (32 colonnes, QR natif`);
    const [ticket] = await virtual.waitForTickets(1, 5_000);
    const text = ticket!.lines.join('\n');
    for (const fragment of ['é', 'è', 'à', 'ç', 'œ', 'Œ', '€', 'Crème brûlée à la châtaigne', 'Bœuf haché (façon', '1 234,56 €']) {
      expect(text).toContain(fragment);
    }
    expect(ticket!.cut).toBe('partial');
    expect(decodeQrFromPng(ticket!.png)).toBe('CAISSE TEST: e acute, e grave, a grave, c cedilla, oe, EUR');
  });

  test('test --qr raster, in English', async () => {
    virtual = await startVirtualPrinter({ port: 0 });
    const io = fakeIo('en');
    expect(await command('printer', 'test').run(args({ to: `tcp://127.0.0.1:${virtual.port}`, qr: 'raster', profile: 'generic-80' }), io)).toBe(0);
    expect(io.stdout.join('\n')).toContain('48 columns, raster QR');
    const [ticket] = await virtual.waitForTickets(1, 5_000);
    expect(ticket!.qrCodes).toEqual([]);
    expect(decodeQrFromPng(ticket!.png)).toContain('CAISSE TEST');
  });

  test('test to a printer that is off: a catalogued error, in French', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await command('printer', 'test').run(args({ to: `tcp://127.0.0.1:${port}` }), fakeIo()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaisseError);
    expect((error as CaisseError).code).toBe('PRINTER_UNREACHABLE');
    expect((error as CaisseError).localized('fr')).toContain('imprimante injoignable');
    const bad = await command('printer', 'test').run(args({ to: 'lpt1' }), fakeIo()).catch((e: unknown) => e);
    expect((bad as CaisseError).code).toBe('PRINTER_BAD_TARGET');
  });

  test('status: what the printer says of itself', async () => {
    virtual = await startVirtualPrinter({ port: 0, state: { paperNearEnd: true } });
    const io = fakeIo();
    expect(await command('printer', 'status').run(args({ to: `tcp://127.0.0.1:${virtual.port}` }), io)).toBe(0);
    expect(io.stdout.join('')).toBe(`Imprimante tcp://127.0.0.1:${virtual.port} : prête, papier bientôt épuisé\n`);
    virtual.setState({ paperOut: true });
    const json = fakeIo();
    expect(await command('printer', 'status').run(args({ to: `tcp://127.0.0.1:${virtual.port}`, json: true }), json)).toBe(1);
    expect(JSON.parse(json.stdout[0]!)).toMatchObject({ state: 'paper-out', code: 'PRINTER_PAPER_OUT' });
    // In text too, a printer that is not ready is named with its code.
    const text = fakeIo();
    expect(await command('printer', 'status').run(args({ to: `tcp://127.0.0.1:${virtual.port}` }), text)).toBe(1);
    expect(text.stdout.join('')).toMatch(new RegExp(`^Imprimante tcp://127\\.0\\.0\\.1:${virtual.port} : PRINTER_PAPER_OUT .*\\n$`));
    virtual.setState({ paperOut: false, silent: true });
    const silent = fakeIo();
    expect(await command('printer', 'status').run(args({ to: `tcp://127.0.0.1:${virtual.port}`, 'status-timeout-ms': 200 }), silent)).toBe(0);
    expect(silent.stdout.join('\n')).toContain("ne répond pas aux demandes d'état (délai 200 ms)");
  });

  test('serve-virtual: runs a virtual printer that saves PNG previews, stops after --max-tickets', async () => {
    const io = fakeIo();
    const out = tempDir();
    const running = command('printer', 'serve-virtual').run(args({ port: 0, out, 'max-tickets': 1 }), io);
    const deadline = Date.now() + 5_000;
    while (io.stdout.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const port = /127\.0\.0\.1:(\d+)/.exec(io.stdout[0] ?? '')?.[1];
    expect(port).toBeDefined();
    expect(await command('printer', 'test').run(args({ to: `tcp://127.0.0.1:${port!}` }), fakeIo())).toBe(0);
    expect(await running).toBe(0);
    expect(io.stderr.join('\n')).toContain('ticket 1 reçu');
    expect(readFileSync(`${out}/ticket-000001.txt`, 'utf8')).toContain('Crème brûlée');
    expect(decodeQrFromPng(readFileSync(`${out}/ticket-000001.png`))).toContain('CAISSE TEST');
  });
});
