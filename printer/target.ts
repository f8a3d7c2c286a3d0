import { printerError } from './errors.js';

/**
 * Where the printer is, as one line of configuration:
 *   tcp://192.168.1.50:9100       network printer (raw port 9100)
 *   serial:/dev/ttyUSB0?baud=19200 serial or USB-serial printer
 *   usb:/dev/usb/lp0              USB printer through the kernel's usblp driver
 *   file:/tmp/capture.bin         bytes appended to a file (no status)
 */
export type PrinterTarget =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'serial'; readonly path: string; readonly baudRate: number }
  | { readonly kind: 'usb'; readonly path: string }
  | { readonly kind: 'file'; readonly path: string };

export const defaultTcpPort = 9100;
export const defaultBaudRate = 19200;
const baudRates = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200];

export function parseTarget(text: string): PrinterTarget {
  const value = text.trim();
  const bad = (why: string): never => {
    throw printerError('PRINTER_BAD_TARGET', `${JSON.stringify(text)}: ${why}`);
  };
  if (value.startsWith('tcp://')) {
    const rest = value.slice('tcp://'.length);
    const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?\/?$/.exec(rest);
    if (!match) return bad('host:port');
    const host = match[1]!.replace(/^\[|\]$/g, '');
    const port = match[2] === undefined ? defaultTcpPort : Number(match[2]);
    if (port < 1 || port > 65535) return bad('port');
    return { kind: 'tcp', host, port };
  }
  if (value.startsWith('serial:')) {
    const [path = '', query = ''] = value.slice('serial:'.length).split('?', 2);
    if (!path.startsWith('/') && !/^COM\d+$/i.test(path)) return bad('device path');
    let baudRate = defaultBaudRate;
    for (const pair of query.split('&').filter((p) => p.length > 0)) {
      const [key, v] = pair.split('=', 2);
      if (key !== 'baud' || v === undefined || !/^\d+$/.test(v)) return bad(`option ${pair}`);
      baudRate = Number(v);
      if (!baudRates.includes(baudRate)) return bad(`baud ${v} (${baudRates.join(', ')})`);
    }
    return { kind: 'serial', path, baudRate };
  }
  if (value.startsWith('usb:')) {
    const path = value.slice('usb:'.length);
    if (!path.startsWith('/')) return bad('device path');
    return { kind: 'usb', path };
  }
  if (value.startsWith('file:')) {
    const path = value.slice('file:'.length);
    if (path.length === 0) return bad('file path');
    return { kind: 'file', path };
  }
  return bad('unknown scheme');
}

export function describeTarget(target: PrinterTarget): string {
  switch (target.kind) {
    case 'tcp':
      return `tcp://${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
    case 'serial':
      return `serial:${target.path}?baud=${target.baudRate}`;
    case 'usb':
      return `usb:${target.path}`;
    case 'file':
      return `file:${target.path}`;
  }
}
