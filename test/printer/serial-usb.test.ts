import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { encodeStatusByte } from '../../printer/escpos-status.js';
import { checkPrinterStatus } from '../../printer/printer-status.js';
import { Printer } from '../../printer/printer.js';
import { resolveProfile } from '../../printer/profile.js';
import { parseTarget } from '../../printer/target.js';
import { EscPosDecoder, type DecodedTicket } from '../../printer/virtual/escpos-decode.js';
import { sampleReceipt } from './fixtures.js';
import { decodeQrFromPng, tempDir, testTimeouts } from './helpers.js';
import { renderTicketPng } from '../../printer/virtual/render-png.js';

/**
 * A serial printer and a usblp printer, each played by one end of a pseudo-terminal pair made by socat:
 * the caisse opens one end as its printer device, the test reads the other end, decodes the ESC/POS
 * stream and answers status requests like a printer would.
 */

beforeAll(() => {
  const probe = spawnSync('socat', ['-V'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error('socat is required for the serial printer tests: apt-get install -y socat');
  }
});

interface PtyPair {
  readonly caisseSide: string;
  readonly printerSide: string;
  readonly process: ChildProcess;
}

function ptyPair(): Promise<PtyPair> {
  return new Promise((resolve, reject) => {
    const child = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const paths: string[] = [];
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`socat gave no ptys: ${stderr}`)), 5_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      for (const match of stderr.matchAll(/PTY is (\/dev\/pts\/\d+)/g)) if (!paths.includes(match[1]!)) paths.push(match[1]!);
      if (paths.length === 2 && stderr.includes('starting data transfer loop')) {
        clearTimeout(timer);
        resolve({ caisseSide: paths[0]!, printerSide: paths[1]!, process: child });
      }
    });
    child.on('error', reject);
  });
}

interface FakePrinter {
  readonly tickets: DecodedTicket[];
  waitForTicket(): Promise<DecodedTicket>;
  close(): Promise<void>;
}

async function fakePrinterOn(path: string, options: { paperOut?: boolean } = {}): Promise<FakePrinter> {
  const port = new SerialPort({ path, baudRate: 19200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  const tickets: DecodedTicket[] = [];
  let wake: (() => void) | undefined;
  const state = { online: true, coverOpen: false, paperOut: options.paperOut ?? false, paperNearEnd: false, fault: false };
  const decoder = new EscPosDecoder((n) => encodeStatusByte(n, state));
  port.on('data', (chunk: Buffer) => {
    const { tickets: done, replies } = decoder.push(chunk);
    tickets.push(...done);
    if (replies.length > 0) port.write(Buffer.from(replies));
    if (done.length > 0) wake?.();
  });
  return {
    tickets,
    waitForTicket: () =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no ticket on the serial line')), 10_000);
        const check = (): void => {
          if (tickets.length === 0) return;
          clearTimeout(timer);
          resolve(tickets[0]!);
        };
        wake = check;
        check();
      }),
    close: () => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())),
  };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: { paperOut?: boolean } = {}): Promise<{ pair: PtyPair; printer: FakePrinter }> {
  const pair = await ptyPair();
  cleanups.push(() => {
    pair.process.kill('SIGTERM');
  });
  const printer = await fakePrinterOn(pair.printerSide, options);
  cleanups.push(() => printer.close());
  return { pair, printer };
}

describe('printers on device files', () => {
  test('serial: a receipt with French text and a QR code goes through a pseudo-terminal', async () => {
    const { pair, printer: fake } = await setup();
    const target = `serial:${pair.caisseSide}?baud=19200`;
    expect(await checkPrinterStatus(parseTarget(target), testTimeouts)).toMatchObject({ state: 'ready' });
    const printer = await Printer.open({ target, dataDir: tempDir(), profile: resolveProfile('generic-58-raster'), timeouts: testTimeouts });
    expect((await printer.printReceipt(sampleReceipt())).result).toBe('printed');
    const ticket = await fake.waitForTicket();
    expect(ticket.lines.join('\n')).toContain('Crème fraîche épaisse');
    expect(ticket.lines.join('\n')).toContain('13,50 €');
    expect(ticket.cut).toBe('partial');
    expect(decodeQrFromPng(renderTicketPng(ticket))).toBe('https://caisse.example/e/4821#3fa9c2e1');
    await printer.close();
  });

  test('serial: out of paper is read back over the line and the ticket is queued', async () => {
    const { pair } = await setup({ paperOut: true });
    const printer = await Printer.open({ target: `serial:${pair.caisseSide}`, dataDir: tempDir(), profile: resolveProfile('generic-58'), timeouts: testTimeouts });
    expect(await printer.printReceipt(sampleReceipt())).toMatchObject({ result: 'queued', code: 'PRINTER_PAPER_OUT' });
    await printer.close();
  });

  test('usb (usblp character device): bytes written as a file, status read back', async () => {
    const { pair, printer: fake } = await setup();
    const target = `usb:${pair.caisseSide}`;
    expect(await checkPrinterStatus(parseTarget(target), testTimeouts)).toMatchObject({ state: 'ready' });
    const printer = await Printer.open({ target, dataDir: tempDir(), profile: resolveProfile('generic-80'), timeouts: testTimeouts });
    expect((await printer.printReceipt(sampleReceipt())).result).toBe('printed');
    const ticket = await fake.waitForTicket();
    expect(ticket.lines.join('\n')).toContain('Œufs plein air');
    expect(ticket.qrCodes).toEqual(['https://caisse.example/e/4821#3fa9c2e1']);
    await printer.close();
  });

  test('file: the bytes are appended to a file that decodes back to the receipt', async () => {
    const path = `${tempDir()}/capture.bin`;
    const printer = await Printer.open({ target: `file:${path}`, dataDir: tempDir(), profile: resolveProfile('generic-58'), timeouts: testTimeouts });
    expect((await printer.printReceipt(sampleReceipt())).result).toBe('printed');
    expect((await printer.reprintReceipt('caisse-1', 123)).result).toBe('printed');
    expect((await printer.status()).state).toBe('silent');
    const tickets = new EscPosDecoder().push(readFileSync(path)).tickets;
    expect(tickets).toHaveLength(2);
    expect(tickets[1]!.lines.join('\n')).toContain('DUPLICATA');
    await printer.close();
  });

  test('a device that does not exist is unreachable, not a crash', async () => {
    const status = await checkPrinterStatus(parseTarget('usb:/dev/usb/lp-does-not-exist'), testTimeouts);
    expect(status).toMatchObject({ state: 'unreachable', code: 'PRINTER_UNREACHABLE' });
    const serial = await checkPrinterStatus(parseTarget('serial:/dev/ttyDOESNOTEXIST'), testTimeouts);
    expect(serial).toMatchObject({ state: 'unreachable', code: 'PRINTER_UNREACHABLE' });
  });
});
