import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { queuedJobsMax } from '../../printer/limits.js';
import { checkPrinterStatus, describeStatus } from '../../printer/printer-status.js';
import { Printer } from '../../printer/printer.js';
import { resolveProfile } from '../../printer/profile.js';
import { decodeQueueState, encodeQueueState, queueFileName, salvageQueueState } from '../../printer/queue-store.js';
import { parseTarget } from '../../printer/target.js';
import { startVirtualPrinter, type VirtualPrinter } from '../../printer/virtual/virtual-printer.js';
import { sampleReceipt } from './fixtures.js';
import { tempDir, testTimeouts } from './helpers.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function virtualPrinter(options: Parameters<typeof startVirtualPrinter>[0] = {}): Promise<VirtualPrinter> {
  const printer = await startVirtualPrinter({ port: 0, ...options });
  closers.push(() => printer.close());
  return printer;
}

/** A TCP port with nobody listening: a printer that is switched off. */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP server under our control: it may read a few bytes and then drop the connection, or stay mute. */
async function rawServer(onConnection: (socket: net.Socket) => void): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return (server.address() as net.AddressInfo).port;
}

function open(target: string, dataDir: string): Promise<Printer> {
  return Printer.open({ target, dataDir, profile: resolveProfile('generic-58'), timeouts: testTimeouts });
}

describe('the reprint queue', () => {
  test('an unreachable printer queues the ticket; the queue survives a restart and prints in order later', async () => {
    const dataDir = tempDir();
    const port = await deadPort();
    const first = await open(`tcp://127.0.0.1:${port}`, dataDir);
    const outcome = await first.printReceipt(sampleReceipt({ ticketNumber: 1 }));
    expect(outcome).toMatchObject({ result: 'queued', jobId: 'receipt:caisse-1:1', code: 'PRINTER_UNREACHABLE' });
    expect(outcome.result === 'queued' && outcome.message).toContain('imprimante injoignable');
    expect((await first.printReceipt(sampleReceipt({ ticketNumber: 2 }))).result).toBe('queued');
    // The same ticket asked again is not queued twice.
    expect((await first.printReceipt(sampleReceipt({ ticketNumber: 2 }))).result).toBe('queued');
    expect(first.queuedJobs.map((j) => j.id)).toEqual(['receipt:caisse-1:1', 'receipt:caisse-1:2']);
    await first.close();

    // "Restart": a new instance on the same folder, and the printer is back.
    const virtual = await virtualPrinter();
    const second = await open(`tcp://127.0.0.1:${virtual.port}`, dataDir);
    expect(second.queuedJobs.map((j) => j.id)).toEqual(['receipt:caisse-1:1', 'receipt:caisse-1:2']);
    expect(second.queuedJobs[0]!.attempts).toBeGreaterThanOrEqual(1);
    expect(await second.retryQueued()).toEqual({ printed: 2, remaining: 0 });
    const tickets = await virtual.waitForTickets(2, 5_000);
    expect(tickets.map((t) => t.lines.find((l) => l.includes('Ticket n°')))).toEqual([
      expect.stringContaining('Ticket n° 1'),
      expect.stringContaining('Ticket n° 2'),
    ]);
    // A third instance sees an empty queue, and the printed receipts can be reprinted.
    await second.close();
    const third = await open(`tcp://127.0.0.1:${virtual.port}`, dataDir);
    expect(third.queuedJobs).toHaveLength(0);
    expect((await third.reprintReceipt('caisse-1', 2)).result).toBe('printed');
    await third.close();
  });

  test(`the queue is bounded: past ${queuedJobsMax} jobs a ticket is refused with a reason`, async () => {
    const dataDir = tempDir();
    const printer = await open(`tcp://127.0.0.1:${await deadPort()}`, dataDir);
    for (let n = 1; n <= queuedJobsMax; n++) {
      expect((await printer.printReceipt(sampleReceipt({ ticketNumber: n }))).result).toBe('queued');
    }
    const refused = await printer.printReceipt(sampleReceipt({ ticketNumber: queuedJobsMax + 1 }));
    expect(refused).toMatchObject({ result: 'refused', code: 'PRINTER_QUEUE_FULL' });
    expect(refused.result === 'refused' && refused.message).toContain("file d'attente d'impression pleine");
    expect(printer.queuedJobs).toHaveLength(queuedJobsMax);
    const lines = readFileSync(join(dataDir, queueFileName), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1 + queuedJobsMax);
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: 'caisse-printer-queue', version: 1 });
    await printer.close();
  });

  test('a printer that disconnects mid-receipt: the ticket is queued with a clear status', async () => {
    const bytesBeforeDrop = 64;
    const port = await rawServer((socket) => {
      let received = 0;
      socket.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received >= bytesBeforeDrop) socket.destroy();
      });
    });
    const printer = await open(`tcp://127.0.0.1:${port}`, tempDir());
    const outcome = await printer.printReceipt(sampleReceipt());
    expect(outcome).toMatchObject({ result: 'queued', code: 'PRINTER_DISCONNECTED' });
    expect(outcome.result === 'queued' && outcome.message).toContain("l'imprimante s'est déconnectée pendant l'impression");
    expect(printer.queuedJobs).toHaveLength(1);
    await printer.close();
  });

  test('out of paper: nothing is sent, the ticket waits, and prints once paper is back', async () => {
    const virtual = await virtualPrinter({ state: { paperOut: true } });
    const printer = await open(`tcp://127.0.0.1:${virtual.port}`, tempDir());
    expect(await printer.printReceipt(sampleReceipt())).toMatchObject({ result: 'queued', code: 'PRINTER_PAPER_OUT' });
    expect((await printer.status()).state).toBe('paper-out');
    virtual.setState({ paperOut: false, paperNearEnd: true });
    expect((await printer.status()).state).toBe('paper-near-end');
    // The next sale drains the queue first, so tickets come out in order.
    expect((await printer.printReceipt(sampleReceipt({ ticketNumber: 124 }))).result).toBe('printed');
    const tickets = await virtual.waitForTickets(2, 5_000);
    expect(tickets[0]!.lines.join('\n')).toContain('Ticket n° 123');
    expect(tickets[1]!.lines.join('\n')).toContain('Ticket n° 124');
    await printer.close();
  });

  test('the retry loop prints a waiting ticket once the printer is back', async () => {
    const virtual = await virtualPrinter({ state: { paperOut: true } });
    const printer = await open(`tcp://127.0.0.1:${virtual.port}`, tempDir());
    expect((await printer.printReceipt(sampleReceipt())).result).toBe('queued');
    virtual.setState({ paperOut: false });
    printer.startRetryLoop(50);
    const [ticket] = await virtual.waitForTickets(1, 10_000);
    expect(ticket!.lines.join('\n')).toContain('Ticket n° 123');
    await printer.close();
    expect(printer.queuedJobs).toHaveLength(0);
  });

  test('cover open and offline are told apart', async () => {
    const virtual = await virtualPrinter({ state: { coverOpen: true } });
    const target = parseTarget(`tcp://127.0.0.1:${virtual.port}`);
    expect(await checkPrinterStatus(target, testTimeouts)).toMatchObject({ state: 'cover-open', code: 'PRINTER_COVER_OPEN' });
    virtual.setState({ coverOpen: false, online: false });
    expect(await checkPrinterStatus(target, testTimeouts)).toMatchObject({ state: 'offline', code: 'PRINTER_OFFLINE' });
    virtual.setState({ online: true, fault: true });
    expect(await checkPrinterStatus(target, testTimeouts)).toMatchObject({ state: 'fault', code: 'PRINTER_FAULT' });
  });

  test('a printer that never answers status: a "silent" status after the named timeout, and printing still works', async () => {
    const virtual = await virtualPrinter({ state: { silent: true } });
    const target = parseTarget(`tcp://127.0.0.1:${virtual.port}`);
    const status = await checkPrinterStatus(target, { statusTimeoutMs: 200 });
    expect(status).toMatchObject({ state: 'silent', code: null, statusTimeoutMs: 200 });
    expect(describeStatus(status, 'fr')).toContain("ne répond pas aux demandes d'état (délai 200 ms)");
    expect(virtual.statusRequests).toBe(1);
    const printer = await open(`tcp://127.0.0.1:${virtual.port}`, tempDir());
    expect((await printer.printReceipt(sampleReceipt())).result).toBe('printed');
    expect((await virtual.waitForTickets(1, 5_000))[0]!.cut).toBe('partial');
    await printer.close();
  });

  test('a TCP peer that accepts and stays mute gives the same bounded answer', async () => {
    const port = await rawServer(() => undefined);
    const status = await checkPrinterStatus(parseTarget(`tcp://127.0.0.1:${port}`), { statusTimeoutMs: 150 });
    expect(status.state).toBe('silent');
    const unreachable = await checkPrinterStatus(parseTarget(`tcp://127.0.0.1:${await deadPort()}`), { statusTimeoutMs: 150 });
    expect(unreachable).toMatchObject({ state: 'unreachable', code: 'PRINTER_UNREACHABLE' });
    expect(describeStatus(unreachable, 'en')).toContain('printer unreachable');
  });

  test('an unreadable queue file is set aside and the printer starts with an empty queue', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, queueFileName), '{"format":"something else"}\n');
    const printer = await open(`tcp://127.0.0.1:${await deadPort()}`, dataDir);
    expect(printer.corruptQueueFile).toMatch(/printer-queue\.jsonl\.corrupt-\d+$/);
    expect(printer.queuedJobs).toHaveLength(0);
    expect(printer.startupWarning?.code).toBe('PRINTER_QUEUE_CORRUPT');
    expect(printer.startupWarning?.localized('fr')).toContain("fichier de file d'impression abîmé");
    await printer.close();
  });

  test('a damaged queue file keeps every job it can still read, and says how many lines it lost', async () => {
    const dataDir = tempDir();
    const job = (id: string) => ({ id, kind: 'settlement' as const, view: { shop: id }, queuedAtMs: 1_795_428_000_000, attempts: 1, lastCode: 'PRINTER_UNREACHABLE' });
    const text = encodeQueueState({ jobs: [job('a'), job('b'), job('c')], recent: [], reprintTotal: 4 });
    // A line of garbage in the middle and a torn one at the end: only they are lost.
    const lines = text.trimEnd().split('\n');
    const damaged = `${lines[0]}\n${lines[1]}\n\u0000garbage\n${lines[2]}\n${lines[3]}\n{"type":"job","id":"d"`;
    writeFileSync(join(dataDir, queueFileName), damaged);
    const printer = await open(`tcp://127.0.0.1:${await deadPort()}`, dataDir);
    expect(readFileSync(printer.corruptQueueFile ?? '', 'utf8')).toBe(damaged);
    expect(printer.queuedJobs.map((j) => j.id)).toEqual(['a', 'b', 'c']);
    expect(printer.corruptQueueFile).toMatch(/printer-queue\.jsonl\.corrupt-\d+$/);
    expect(printer.startupWarning?.detail).toMatch(/: 2 unreadable line\(s\) set aside, 3 job\(s\) kept$/);
    await printer.close();
    // What was kept is the queue file now; the damaged one stays beside it as it was.
    expect(decodeQueueState(readFileSync(join(dataDir, queueFileName), 'utf8'))).toMatchObject({ reprintTotal: 4, jobs: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] });
    expect(salvageQueueState('not a queue\n').unreadableLines).toBe(1);
    // A lost header: the reprint count is at least what the kept receipts record.
    const recent = JSON.stringify({ type: 'recent', key: 'caisse-1:7', view: {}, printedAtMs: 1, reprints: 2 });
    expect(salvageQueueState(`garbage\n${recent}\n`).state.reprintTotal).toBe(2);
  });
});
