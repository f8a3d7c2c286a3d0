import { promises as fs } from 'node:fs';
import { printerError } from './errors.js';
import { osErrorCode, type PrinterConnection } from './transport.js';

/** Bytes appended to a file: a capture for debugging or for another program. It never answers status. */
export async function openFile(path: string): Promise<PrinterConnection> {
  const handle = await fs.open(path, 'a').catch((error: unknown) => {
    throw printerError('PRINTER_UNREACHABLE', `${path} ${osErrorCode(error)}`);
  });
  return {
    canAnswer: false,
    async write(bytes) {
      await handle.write(bytes).catch((error: unknown) => {
        throw printerError('PRINTER_IO', `${path} ${osErrorCode(error)}`);
      });
    },
    async request() {
      return undefined;
    },
    async close() {
      await handle.sync().catch(() => undefined);
      await handle.close().catch(() => undefined);
    },
  };
}
