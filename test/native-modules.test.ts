import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

/**
 * The native modules build from source on install (no prebuilt binaries can be downloaded here): this
 * checks that each one was really built and loads, which npm's install-script warnings leave in doubt.
 */
const require = createRequire(import.meta.url);

describe('native modules built from source', () => {
  it('better-sqlite3 opens a database and reports its SQLite version', () => {
    const Database = require('better-sqlite3') as new (path: string) => { prepare(sql: string): { pluck(): { get(): unknown } }; close(): void };
    const db = new Database(':memory:');
    expect(String(db.prepare('SELECT sqlite_version()').pluck().get())).toMatch(/^3\.\d+\.\d+$/);
    db.close();
  });

  it('node-hid loads (libusb and libudev present) and lists devices', () => {
    const hid = require('node-hid') as { devices(): unknown[] };
    expect(Array.isArray(hid.devices())).toBe(true);
  });

  it('serialport loads and lists ports through udev', async () => {
    const { SerialPort } = require('serialport') as { SerialPort: { list(): Promise<unknown[]> } };
    expect(Array.isArray(await SerialPort.list())).toBe(true);
  });
});
