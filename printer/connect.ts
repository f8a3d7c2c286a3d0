import type { PrinterTarget } from './target.js';
import type { PrinterConnection } from './transport.js';
import { openFile } from './transport-file.js';
import { openSerial } from './transport-serial.js';
import { openTcp } from './transport-tcp.js';
import { openUsblp } from './transport-usblp.js';

/** Opens the transport a target names. Rejects with PRINTER_UNREACHABLE when it cannot. */
export function openConnection(target: PrinterTarget, timeoutMs: number): Promise<PrinterConnection> {
  switch (target.kind) {
    case 'tcp':
      return openTcp(target.host, target.port, timeoutMs);
    case 'serial':
      return openSerial(target.path, target.baudRate, timeoutMs);
    case 'usb':
      return openUsblp(target.path, timeoutMs);
    case 'file':
      return openFile(target.path);
  }
}
