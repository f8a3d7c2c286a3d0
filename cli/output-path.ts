import { accessSync, constants, mkdtempSync, rmdirSync, statSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { cliError } from './errors.js';

/**
 * How the command writes its output file: `in-place` opens the file itself, to append or to write it
 * whole (an existing file needs to be writable, a new one a writable directory); `replace` writes a temporary file beside it and renames
 * it over (the directory must be writable either way). `createdFirst`: a directory the command itself
 * creates before writing (`demo` creates its --data directory), accepted although it does not exist yet.
 */
export interface OutputWrite {
  readonly writes: 'in-place' | 'replace';
  readonly createdFirst?: string;
}

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks, before any long work, that a file can be written where an option names it: the path is not
 * a directory, and the file or its directory can be written as the command writes it. An audit of a
 * million entries must not end on ENOENT when it saves its checkpoint.
 */
export function writableFilePath(option: string, path: string, how: OutputWrite): string {
  const fileStat = statOf(path);
  if (fileStat?.isDirectory() === true) throw cliError('CLI_BAD_VALUE', `--${option} ${path}: a directory, not a file`);
  if (how.writes === 'in-place' && fileStat !== undefined) {
    if (!writable(path)) throw cliError('CLI_BAD_VALUE', `--${option} ${path}: not writable`);
    return path;
  }
  const dir = dirname(path);
  const dirStat = statOf(dir);
  if (dirStat === undefined) {
    if (dir === how.createdFirst) return path;
    throw cliError('CLI_BAD_VALUE', `--${option} ${path}: no directory ${dir}`);
  }
  if (!dirStat.isDirectory()) throw cliError('CLI_BAD_VALUE', `--${option} ${path}: ${dir} is not a directory`);
  if (!writable(dir)) throw cliError('CLI_BAD_VALUE', `--${option} ${path}: ${dir} is not writable`);
  return path;
}

/**
 * Checks, before any work, that a directory of output files can be used: it exists as a writable
 * directory, or it can be created. For the latter a probe directory is made and removed at once in its
 * nearest existing parent: the system's own answer (a path under /proc, a read-only disk) comes before
 * anything is written elsewhere (`settle` appends its entry before it saves the statement).
 */
export function writableDirPath(option: string, path: string): string {
  let at = path;
  let firstMissing: string | undefined;
  for (;;) {
    const found = statOf(at);
    if (found !== undefined) {
      if (!found.isDirectory()) throw cliError('CLI_BAD_VALUE', `--${option} ${path}: ${at} is not a directory`);
      if (!writable(at)) throw cliError('CLI_BAD_VALUE', `--${option} ${path}: ${at} is not writable`);
      break;
    }
    firstMissing = at;
    const parent = dirname(at);
    // The root always exists; a path that resolves to nothing at all is refused rather than looped on.
    if (parent === at) throw cliError('CLI_BAD_VALUE', `--${option} ${path}: no such directory`);
    at = parent;
  }
  if (firstMissing !== undefined) {
    // A probe of a name of its own in the existing parent: another process making the same folder
    // meanwhile neither sees nor loses it.
    try {
      rmdirSync(mkdtempSync(join(at, '.caisse-probe-')));
    } catch (e) {
      throw cliError('CLI_BAD_VALUE', `--${option} ${path}: ${firstMissing} cannot be created (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  return path;
}
