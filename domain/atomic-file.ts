import { closeSync, fsyncSync, linkSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that a crash leaves either the old content or the new, never half of it: a
 * temporary file beside it, fsync, rename, then fsync of the directory so that the rename itself is
 * durable. With `exclusive`, an existing file is never replaced (EEXIST).
 */
export function writeFileAtomic(path: string, content: string | Uint8Array, options: { mode?: number; exclusive?: boolean } = {}): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(tmp, 'wx', options.mode ?? 0o644);
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  moveIntoPlace(tmp, path, options.exclusive === true);
}

/**
 * Puts a finished file in place under its final name, durably: a rename (or, `exclusive`, a hard link
 * that fails if the target exists, where a rename would silently replace it), then an fsync of the
 * directory so that the new name survives a crash. `from` is gone afterwards either way.
 */
export function moveIntoPlace(from: string, to: string, exclusive: boolean): void {
  try {
    if (exclusive) linkSync(from, to);
    else renameSync(from, to);
  } finally {
    rmSync(from, { force: true });
  }
  const dir = openSync(dirname(to), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
