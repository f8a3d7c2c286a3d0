import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemErrorOf } from '../../cli/system-errors.js';

/** The real exceptions node and SQLite raise, caught, and what the command prints for each. */
function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
}

describe('what the system refused', () => {
  it('names a file call with its path and plain words, and a damaged database with the ledger code', () => {
    const dir = mkdtempSync(join(tmpdir(), 'caisse-system-'));
    try {
      const missing = systemErrorOf(caught(() => readFileSync(join(dir, 'absent.json'))));
      expect(missing?.code).toBe('SYSTEM_FILE_ERROR');
      expect(missing?.detail).toBe(`open ${join(dir, 'absent.json')}: no such file or directory (ENOENT)`);
      expect(systemErrorOf(caught(() => readFileSync(dir)))?.detail).toBe('read: is a directory (EISDIR)');
      const db = new Database(join(dir, 'x.sqlite'));
      const sqlite = systemErrorOf(caught(() => db.prepare('SELECT * FROM nowhere')));
      db.close();
      expect(sqlite?.code).toBe('SYSTEM_FILE_ERROR');
      expect(sqlite?.detail).toBe('SQLite SQLITE_ERROR: no such table: nowhere');
      const corrupt = Object.assign(new Database.SqliteError('database disk image is malformed', 'SQLITE_CORRUPT'), {});
      expect(systemErrorOf(corrupt)?.code).toBe('LEDGER_DATABASE_UNREADABLE');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names an address in use or unknown, and leaves programmer errors alone', async () => {
    const first = createServer();
    await new Promise<void>((done) => first.listen(0, '127.0.0.1', done));
    const port = (first.address() as { port: number }).port;
    const second = createServer();
    const inUse = await new Promise<unknown>((done) => {
      second.once('error', done);
      second.listen(port, '127.0.0.1');
    });
    first.close();
    expect(systemErrorOf(inUse)?.code).toBe('SYSTEM_NETWORK_ERROR');
    expect(systemErrorOf(inUse)?.detail).toBe(`listen 127.0.0.1:${port}: address already in use (EADDRINUSE)`);
    for (const other of [new Error('boom'), new TypeError('x is undefined'), 'a string', undefined, Object.assign(new Error('no call'), { code: 'ENOENT' })]) {
      expect(systemErrorOf(other)).toBeUndefined();
    }
  });
});
