import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The kit's own folder (where package.json says "caisse"), found by walking up from this file: the
 * same answer from the TypeScript sources (tests) and from dist/ (the installed command).
 */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'caisse') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the caisse package folder');
    dir = parent;
  }
}

export function fixturesDir(): string {
  return join(projectRoot(), 'fixtures');
}
