import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
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
      // A bad statement is a programmer's error: it keeps its stack trace.
      const db = new Database(join(dir, 'x.sqlite'));
      expect(systemErrorOf(caught(() => db.prepare('SELECT * FROM nowhere')))).toBeUndefined();
      db.close();
      const readonly = Object.assign(new Database.SqliteError('attempt to write a readonly database', 'SQLITE_READONLY'), {});
      expect(systemErrorOf(readonly)?.code).toBe('SYSTEM_FILE_ERROR');
      // A rename names both files.
      const renamed = systemErrorOf(caught(() => renameSync(join(dir, 'absent.tmp'), join(dir, 'target.json'))));
      expect(renamed?.detail).toBe(`rename ${join(dir, 'absent.tmp')} -> ${join(dir, 'target.json')}: no such file or directory (ENOENT)`);
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
    // The answer `ledger serve` gives for its own port, whoever listens.
    expect(systemErrorOf(inUse)?.code).toBe('CLI_PORT_IN_USE');
    expect(systemErrorOf(inUse)?.detail).toBe(`127.0.0.1:${port}`);
    const unknownHost = await new Promise<unknown>((done) => {
      const probe = createServer();
      probe.once('error', done);
      probe.listen(0, 'pas-un-hote.invalid');
    });
    expect(systemErrorOf(unknownHost)?.code).toBe('SYSTEM_NETWORK_ERROR');
    for (const other of [new Error('boom'), new TypeError('x is undefined'), 'a string', undefined, Object.assign(new Error('no call'), { code: 'ENOENT' })]) {
      expect(systemErrorOf(other)).toBeUndefined();
    }
  });
});
