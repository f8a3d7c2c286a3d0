import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** bench/out/ at the project root (gitignored): big logs kept between runs, and scratch ledgers. */
export const benchOutDir = fileURLToPath(new URL('../../bench/out/', import.meta.url));

/** A fresh scratch directory under bench/out/tmp/, removed by the returned function. */
export function scratchDir(prefix: string): { dir: string; remove: () => void } {
  const parent = join(benchOutDir, 'tmp');
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, `${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
