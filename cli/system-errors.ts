import Database from 'better-sqlite3';
import { CaisseError, defineErrors, errorFactory } from '../domain/error-spec.js';
import { ledgerError } from '../ledger/errors.js';
import { cliError } from './errors.js';

/**
 * What the operating system or SQLite refused while a command ran: a file or directory it could not
 * read or write, an address it could not listen on or reach. Commands check what they can before any
 * work (an output path, a port); these codes name what is left, with the call and the path, instead
 * of a stack trace.
 */
export const systemErrors = defineErrors({
  SYSTEM_FILE_ERROR: {
    status: 500,
    fr: 'Fichier ou dossier inaccessible (chemin, droits ou place sur le disque)',
    en: 'A file or directory could not be read or written (path, permissions or disk space)',
  },
  SYSTEM_NETWORK_ERROR: {
    status: 503,
    fr: "Adresse réseau inutilisable (hôte inconnu, adresse absente de cette machine, ou injoignable)",
    en: 'A network address could not be used (unknown host, not an address of this machine, or unreachable)',
  },
});

const systemError = errorFactory(systemErrors);

const plainWords: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EEXIST: 'already exists',
  ENOSPC: 'no space left on the disk',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files on the system',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many symbolic links',
  EXDEV: 'not on the same file system',
  EBUSY: 'busy',
  EIO: 'input/output error',
};

const networkWords: Readonly<Record<string, string>> = {
  EADDRNOTAVAIL: 'not an address of this machine',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'name resolution failed',
  ECONNREFUSED: 'connection refused',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'timed out',
  EACCES: 'permission denied (a port below 1024?)',
};

const networkCalls = new Set(['listen', 'bind', 'connect', 'getaddrinfo']);

/** SQLite's codes for a file that is not, or no longer, a sound database. */
const damagedDatabase = /^SQLITE_(CORRUPT|NOTADB)/;
/** SQLite's codes for what the system refused it (the rest, SQLITE_ERROR, CONSTRAINT, MISUSE…, are bugs). */
const refusedToSqlite = /^SQLITE_(CANTOPEN|IOERR|FULL|READONLY|PERM|BUSY|LOCKED)/;

export function systemErrorOf(e: unknown): CaisseError | undefined {
  if (e instanceof Database.SqliteError) {
    if (damagedDatabase.test(e.code)) return ledgerError('LEDGER_DATABASE_UNREADABLE', `${e.code}: ${e.message}`);
    if (refusedToSqlite.test(e.code)) return systemError('SYSTEM_FILE_ERROR', `SQLite ${e.code}: ${e.message}`);
    return undefined;
  }
  if (!(e instanceof Error)) return undefined;
  const { code, syscall, path, dest, address, port, hostname } = e as NodeJS.ErrnoException & { dest?: string; address?: string; port?: number; hostname?: string };
  if (typeof code !== 'string' || typeof syscall !== 'string') return undefined;
  if (networkCalls.has(syscall)) {
    const where = hostname ?? (address === undefined ? '' : port === undefined ? address : `${address}:${port}`);
    // The same answer as `ledger serve` gives for its own port.
    if (code === 'EADDRINUSE') return cliError('CLI_PORT_IN_USE', where);
    const words = networkWords[code];
    return words === undefined ? undefined : systemError('SYSTEM_NETWORK_ERROR', `${syscall} ${where}: ${words} (${code})`);
  }
  const words = plainWords[code];
  if (words === undefined) return undefined;
  // A rename names the file it was going to replace, not only the temporary one.
  const paths = path === undefined ? '' : dest === undefined ? ` ${path}` : ` ${path} -> ${dest}`;
  return systemError('SYSTEM_FILE_ERROR', `${syscall}${paths}: ${words} (${code})`);
}
