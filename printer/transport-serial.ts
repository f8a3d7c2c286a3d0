import { SerialPort } from 'serialport';
import { CaisseError } from '../domain/error-spec.js';
import { printerError } from './errors.js';
import { osErrorCode, ReplyInbox, withTimeout, type PrinterConnection } from './transport.js';

/** A serial (RS-232 or USB-serial) printer. The only file that imports serialport. */
export async function openSerial(path: string, baudRate: number, openTimeoutMs: number): Promise<PrinterConnection> {
  const port = new SerialPort({ path, baudRate, autoOpen: false });
  const inbox = new ReplyInbox();
  let closing = false;
  port.on('data', (chunk: Buffer) => inbox.push(chunk));
  port.on('error', (error: Error) => inbox.break(printerError('PRINTER_DISCONNECTED', `${path} ${osErrorCode(error)}`)));
  port.on('close', () => {
    if (!closing) inbox.break(printerError('PRINTER_DISCONNECTED', `${path} closed`));
  });

  await withTimeout(
    new Promise<void>((resolve, reject) => {
      port.open((error) => (error ? reject(printerError('PRINTER_UNREACHABLE', `${path} ${error.message}`)) : resolve()));
    }),
    openTimeoutMs,
    `open ${path}`,
  ).catch((error: unknown) => {
    if (port.isOpen) port.close();
    if (error instanceof CaisseError && error.code === 'PRINTER_TIMEOUT') throw printerError('PRINTER_UNREACHABLE', `${path} did not open`);
    throw error;
  });

  const connection: PrinterConnection = {
    canAnswer: true,
    async write(bytes, timeoutMs) {
      if (inbox.broken) throw inbox.broken;
      await withTimeout(
        new Promise<void>((resolve, reject) => {
          port.write(Buffer.from(bytes), (error) => {
            if (error) reject(printerError('PRINTER_DISCONNECTED', `${path} ${error.message}`));
          });
          port.drain((error) => (error ? reject(printerError('PRINTER_DISCONNECTED', `${path} ${error.message}`)) : resolve()));
        }),
        timeoutMs,
        `write ${bytes.length} bytes to ${path}`,
      );
    },
    async request(bytes, timeoutMs) {
      inbox.clear();
      await connection.write(bytes, timeoutMs);
      return inbox.take(timeoutMs);
    },
    async close() {
      closing = true;
      if (!port.isOpen) return;
      await new Promise<void>((resolve) => port.close(() => resolve()));
    },
  };
  return connection;
}
