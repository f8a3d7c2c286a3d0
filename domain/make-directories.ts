import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * `mkdir -p`, one directory at a time. node's recursive mkdir never returns for a path under /proc (it
 * keeps retrying a parent that exists), so a mistyped --out or --data would hang the command; here each
 * missing directory is made on its own, and the first one the system refuses throws (ENOENT, ENOTDIR,
 * EACCES…), which the command names.
 */
export function makeDirectories(path: string, mode = 0o777): void {
  const missing: string[] = [];
  for (let at = resolve(path); !existsSync(at); at = dirname(at)) {
    missing.push(at);
    if (dirname(at) === at) break;
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir, { mode });
    } catch (e) {
      // Another process made it in between (two tills saving reports): a directory is all we wanted.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(dir).isDirectory()) throw e;
    }
  }
}
