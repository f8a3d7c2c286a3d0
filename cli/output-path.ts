import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { cliError } from './errors.js';

/**
 * Checks, before any long work, that a file can be written where an option names it: its directory
 * exists and is writable, and the path is not itself a directory. An audit of a million entries must
 * not end on ENOENT when it saves its checkpoint.
 */
export function writableFilePath(option: string, path: string): string {
  const dir = dirname(path);
  const stat = (p: string): Stats | undefined => {
    try {
      return statSync(p);
    } catch {
      return undefined;
    }
  };
  const dirStat = stat(dir);
  if (dirStat === undefined) throw cliError('CLI_BAD_VALUE', `--${option} ${path}: no directory ${dir}`);
  if (!dirStat.isDirectory()) throw cliError('CLI_BAD_VALUE', `--${option} ${path}: ${dir} is not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw cliError('CLI_BAD_VALUE', `--${option} ${path}: ${dir} is not writable`);
  }
  if (stat(path)?.isDirectory() === true) throw cliError('CLI_BAD_VALUE', `--${option} ${path}: a directory, not a file`);
  return path;
}
