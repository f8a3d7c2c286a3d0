import net from 'node:net';
import { CaisseError } from '../domain/error-spec.js';
import { printerError } from './errors.js';
import { closeTimeoutMs } from './limits.js';
import { osErrorCode, ReplyInbox, withTimeout, type PrinterConnection } from './transport.js';

/**
 * A network printer on its raw port (9100). A printer never closes this connection on its own, so
 * the peer closing or resetting it before we do means the printer went away mid-job.
 */
export async function openTcp(host: string, port: number, connectTimeoutMs: number): Promise<PrinterConnection> {
  const socket = new net.Socket();
  const inbox = new ReplyInbox();
  let closing = false;
  socket.on('data', (chunk: Buffer) => inbox.push(chunk));
  socket.on('error', (error) => inbox.break(printerError('PRINTER_DISCONNECTED', `${host}:${port} ${osErrorCode(error)}`)));
  socket.on('end', () => {
    if (!closing) inbox.break(printerError('PRINTER_DISCONNECTED', `${host}:${port} closed the connection`));
  });
  socket.on('close', () => inbox.break(printerError('PRINTER_DISCONNECTED', `${host}:${port} connection closed`)));

  await withTimeout(
    new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => reject(printerError('PRINTER_UNREACHABLE', `${host}:${port} ${osErrorCode(error)}`));
      socket.once('error', onError);
      socket.connect({ host, port }, () => {
        socket.off('error', onError);
        resolve();
      });
    }),
    connectTimeoutMs,
    `connect ${host}:${port}`,
  ).catch((error: unknown) => {
    socket.destroy();
    if (error instanceof CaisseError && error.code === 'PRINTER_TIMEOUT') {
      throw printerError('PRINTER_UNREACHABLE', `${host}:${port} no answer in ${connectTimeoutMs} ms`);
    }
    throw error;
  });
  socket.setNoDelay(true);

  const connection: PrinterConnection = {
    canAnswer: true,
    async write(bytes, timeoutMs) {
      if (inbox.broken) throw inbox.broken;
      await withTimeout(
        new Promise<void>((resolve, reject) => {
          socket.write(bytes, (error) => (error ? reject(inbox.broken ?? printerError('PRINTER_DISCONNECTED', osErrorCode(error))) : resolve()));
        }),
        timeoutMs,
        `write ${bytes.length} bytes to ${host}:${port}`,
      );
      if (inbox.broken) throw inbox.broken;
    },
    async request(bytes, timeoutMs) {
      inbox.clear();
      await connection.write(bytes, timeoutMs);
      return inbox.take(timeoutMs);
    },
    async close() {
      closing = true;
      if (socket.destroyed) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          socket.destroy();
          resolve();
        }, closeTimeoutMs);
        socket.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        socket.end();
      });
    },
  };
  return connection;
}
