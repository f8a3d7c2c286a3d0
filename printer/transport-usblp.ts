import { constants, promises as fs } from 'node:fs';
import { printerError } from './errors.js';
import { isStatusByte } from './escpos-status.js';
import { statusPollIntervalMs } from './limits.js';
import { osErrorCode, sleep, withTimeout, type PrinterConnection } from './transport.js';

/**
 * A USB printer through the kernel's usblp driver (/dev/usb/lpN): the device is a character file.
 * It is opened non-blocking, so a printer that stops reading (paper out, unplugged) gives EAGAIN or
 * an error instead of freezing a worker thread; reads of status bytes are polled until the timeout.
 * Printers that only accept writes are opened write-only and report no status.
 */
export async function openUsblp(path: string, openTimeoutMs: number): Promise<PrinterConnection> {
  const flags = constants.O_NONBLOCK | constants.O_NOCTTY;
  let canAnswer = true;
  const handle = await withTimeout(
    fs.open(path, constants.O_RDWR | flags).catch(async (error: unknown) => {
      if (osErrorCode(error) !== 'EACCES' && osErrorCode(error) !== 'EINVAL') throw error;
      canAnswer = false;
      return fs.open(path, constants.O_WRONLY | flags);
    }),
    openTimeoutMs,
    `open ${path}`,
  ).catch((error: unknown) => {
    throw printerError('PRINTER_UNREACHABLE', `${path} ${osErrorCode(error)}`);
  });
  const ioError = (error: unknown): Error => {
    const code = osErrorCode(error);
    return printerError(code === 'ENODEV' || code === 'EIO' || code === 'EPIPE' ? 'PRINTER_DISCONNECTED' : 'PRINTER_IO', `${path} ${code}`);
  };

  const drainStatusBytes = async (): Promise<number | undefined> => {
    const buffer = Buffer.alloc(64);
    try {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      for (let i = 0; i < bytesRead; i++) if (isStatusByte(buffer[i]!)) return buffer[i]!;
      return undefined;
    } catch (error) {
      if (osErrorCode(error) === 'EAGAIN') return undefined;
      throw ioError(error);
    }
  };

  const connection: PrinterConnection = {
    canAnswer,
    async write(bytes, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      let offset = 0;
      while (offset < bytes.length) {
        try {
          const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, null);
          offset += bytesWritten;
        } catch (error) {
          if (osErrorCode(error) !== 'EAGAIN') throw ioError(error);
          if (Date.now() >= deadline) throw printerError('PRINTER_TIMEOUT', `write to ${path}: ${timeoutMs} ms`);
          await sleep(statusPollIntervalMs);
        }
      }
    },
    async request(bytes, timeoutMs) {
      if (!canAnswer) return undefined;
      while ((await drainStatusBytes()) !== undefined); // forget answers to earlier requests
      await connection.write(bytes, timeoutMs);
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const value = await drainStatusBytes();
        if (value !== undefined) return value;
        await sleep(statusPollIntervalMs);
      }
      return undefined;
    },
    async close() {
      await handle.close().catch(() => undefined);
    },
  };
  return connection;
}
