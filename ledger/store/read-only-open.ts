import { accessSync, constants, copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { CaisseError } from '../../domain/error-spec.js';
import { SqliteStore } from './sqlite-store.js';

export interface ReadOnlyStore {
  readonly store: SqliteStore;
  /** Closes the store and removes the copy, if any. */
  close(): void;
}

/**
 * Opens a ledger's database for reading only. SQLite reads a WAL database through its `-shm` index,
 * which it must create when it is missing: in a directory the reader cannot write (a read-only
 * mount, a backup owned by another user) a stopped ledger's database, or its copy with its `-wal`,
 * cannot be opened in place. It is then copied, with its `-wal`, into a directory of `tempDir` and
 * read there; the copy is refused if either file changed while it was made. Its directory is named
 * for the process: a copy left by a process that was killed is removed by the next one.
 */
export function openReadOnlyStore(path: string, tempDir = tmpdir()): ReadOnlyStore {
  try {
    const store = SqliteStore.open(path, { readonly: true });
    return { store, close: () => store.close() };
  } catch (e) {
    if (!(e instanceof CaisseError && e.code === 'LEDGER_DATABASE_UNREADABLE' && readableInReadOnlyDirectory(path))) throw e;
  }
  removeCopiesOfDeadProcesses(tempDir);
  const copyDir = mkdtempSync(join(tempDir, `${copyPrefix}${process.pid}-`));
  try {
    const copy = join(copyDir, basename(path));
    const files = existsSync(`${path}-wal`) ? [path, `${path}-wal`] : [path];
    const before = files.map(fingerprint);
    for (const file of files) copyFileSync(file, join(copyDir, basename(file)));
    if (files.map(fingerprint).join() !== before.join()) throw new Error(`${path} changed while it was copied to be read: run again`);
    const store = SqliteStore.open(copy, { readonly: true });
    return {
      store,
      close() {
        store.close();
        rmSync(copyDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(copyDir, { recursive: true, force: true });
    throw e;
  }
}

const copyPrefix = 'caisse-lecture-';

function removeCopiesOfDeadProcesses(tempDir: string): void {
  for (const name of readdirSync(tempDir)) {
    if (!name.startsWith(copyPrefix)) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(copyPrefix.length))?.[1]);
    if (Number.isSafeInteger(pid) && pid > 0 && !processAlive(pid)) rmSync(join(tempDir, name), { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: alive, another user's.
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** The file is readable, and its directory is not writable (so SQLite could not make its -shm there). */
function readableInReadOnlyDirectory(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
  } catch {
    return false;
  }
  try {
    accessSync(dirname(path), constants.W_OK);
    return false;
  } catch {
    return true;
  }
}

function fingerprint(file: string): string {
  const stat = statSync(file);
  return `${stat.size}:${stat.mtimeMs}`;
}
