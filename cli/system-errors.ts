import Database from 'better-sqlite3';
import { CaisseError, defineErrors, errorFactory } from '../domain/error-spec.js';
import { ledgerError } from '../ledger/errors.js';

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
  EROFS: 'read-only file system',
  EMFILE: 'too many open files',
  EADDRINUSE: 'address already in use',
  EADDRNOTAVAIL: 'not an address of this machine',
  ENOTFOUND: 'unknown host',
  ECONNREFUSED: 'connection refused',
};

const networkCalls = new Set(['listen', 'bind', 'connect', 'getaddrinfo']);

/** SQLite's codes for a file that is not, or no longer, a sound database. */
const damagedDatabase = /^SQLITE_(CORRUPT|NOTADB)/;

/**
 * The catalogued error for an exception the operating system or SQLite raised, or undefined for
 * anything else (a programmer error keeps its stack trace).
 */
export function systemErrorOf(e: unknown): CaisseError | undefined {
  if (e instanceof Database.SqliteError) {
    if (damagedDatabase.test(e.code)) return ledgerError('LEDGER_DATABASE_UNREADABLE', `${e.code}: ${e.message}`);
    return systemError('SYSTEM_FILE_ERROR', `SQLite ${e.code}: ${e.message}`);
  }
  if (!(e instanceof Error)) return undefined;
  const { code, syscall, path, address, port, hostname } = e as NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string };
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code) || typeof syscall !== 'string') return undefined;
  const words = plainWords[code] ?? code;
  if (networkCalls.has(syscall)) {
    const where = hostname ?? (address === undefined ? '' : port === undefined ? address : `${address}:${port}`);
    return systemError('SYSTEM_NETWORK_ERROR', `${syscall} ${where}: ${words} (${code})`);
  }
  return systemError('SYSTEM_FILE_ERROR', `${syscall}${path === undefined ? '' : ` ${path}`}: ${words} (${code})`);
}
