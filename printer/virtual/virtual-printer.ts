import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { encodeStatusByte, type PrinterSelfReport } from '../escpos-status.js';
import { closeTimeoutMs, virtualConnectionBytesMax, virtualConnectionsMax, virtualTicketsMax } from '../limits.js';
import { EscPosDecoder, type DecodedTicket } from './escpos-decode.js';
import { renderTicketPng } from './render-png.js';
import { makeDirectories } from '../../domain/make-directories.js';

/**
 * A receipt printer that lives in the process: a TCP server speaking the raw port 9100 protocol. It
 * decodes what it receives into tickets (text, QR codes, images, cuts), renders each to a PNG preview,
 * and answers DLE EOT status requests from a state the caller controls (paper out, cover open,
 * offline, or silent like a printer without status support). Listens on 127.0.0.1 only.
 */

export interface VirtualPrinterState extends Omit<PrinterSelfReport, 'answered'> {
  /** Never answer status requests, like many cheap printers. */
  readonly silent: boolean;
}

export interface VirtualTicket extends DecodedTicket {
  /** 1, 2, 3… in order of arrival since the printer started. */
  readonly number: number;
  readonly receivedAtMs: number;
  readonly png: Buffer;
  /** Where the preview was saved, when an output folder was given. */
  readonly pngPath: string | null;
}

export interface VirtualPrinterOptions {
  /** TCP port; 0 picks a free one (tests). Default 9100. */
  readonly port?: number;
  readonly host?: string;
  /** Folder for ticket-NNNNNN.png and .txt previews; none when absent. */
  readonly outDir?: string;
  readonly state?: Partial<VirtualPrinterState>;
  readonly onTicket?: (ticket: VirtualTicket) => void;
}

export interface VirtualPrinter {
  readonly port: number;
  /** The most recent tickets (at most `virtualTicketsMax`). */
  readonly tickets: readonly VirtualTicket[];
  /** Status requests seen, by DLE EOT n. */
  readonly statusRequests: number;
  setState(change: Partial<VirtualPrinterState>): void;
  /** Resolves when at least `count` tickets have arrived since start; rejects after `timeoutMs`. */
  waitForTickets(count: number, timeoutMs: number): Promise<readonly VirtualTicket[]>;
  /** Stops listening; open connections get up to `closeTimeoutMs` to finish. */
  close(): Promise<void>;
}

const readyState: VirtualPrinterState = { online: true, coverOpen: false, paperOut: false, paperNearEnd: false, fault: false, silent: false };

export async function startVirtualPrinter(options: VirtualPrinterOptions = {}): Promise<VirtualPrinter> {
  let state: VirtualPrinterState = { ...readyState, ...options.state };
  const tickets: VirtualTicket[] = [];
  let received = 0;
  let statusRequests = 0;
  const waiters = new Set<() => void>();
  const sockets = new Set<net.Socket>();
  if (options.outDir) makeDirectories(options.outDir);

  const keep = (decoded: DecodedTicket): void => {
    if (state.paperOut || state.coverOpen || !state.online) return; // nothing reaches paper
    received += 1;
    let png: Buffer;
    try {
      png = renderTicketPng(decoded);
    } catch {
      png = Buffer.alloc(0); // a preview that cannot be drawn must not stop the printer; the text is kept
    }
    let pngPath: string | null = null;
    if (options.outDir) {
      const base = join(options.outDir, `ticket-${String(received).padStart(6, '0')}`);
      if (png.length > 0) {
        pngPath = `${base}.png`;
        writeFileSync(pngPath, png);
      }
      writeFileSync(`${base}.txt`, decoded.lines.join('\n') + '\n');
    }
    const ticket: VirtualTicket = { ...decoded, number: received, receivedAtMs: Date.now(), png, pngPath };
    tickets.push(ticket);
    if (tickets.length > virtualTicketsMax) tickets.shift();
    options.onTicket?.(ticket);
    for (const wake of waiters) wake();
  };

  const server = net.createServer((socket) => {
    if (sockets.size >= virtualConnectionsMax) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    let bytes = 0;
    const decoder = new EscPosDecoder((n) => {
      statusRequests += 1;
      return state.silent ? undefined : encodeStatusByte(n, state);
    });
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > virtualConnectionBytesMax) {
        socket.destroy();
        return;
      }
      const { tickets: done, replies } = decoder.push(chunk);
      for (const t of done) keep(t);
      if (replies.length > 0 && !socket.destroyed) socket.write(Uint8Array.from(replies));
    });
    socket.on('error', () => undefined); // a client that resets is not the printer's problem
    socket.on('close', () => {
      sockets.delete(socket);
      const rest = decoder.finish();
      if (rest) keep(rest);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 9100, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('virtual printer has no TCP address');

  return {
    port: address.port,
    get tickets() {
      return tickets;
    },
    get statusRequests() {
      return statusRequests;
    },
    setState(change) {
      state = { ...state, ...change };
    },
    waitForTickets(count, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (received < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(tickets);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`virtual printer: ${received} of ${count} tickets after ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async close() {
      // Let clients finish what they are doing (a status check after the last ticket), within a bound.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const deadline = Date.now() + closeTimeoutMs;
      while (sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
