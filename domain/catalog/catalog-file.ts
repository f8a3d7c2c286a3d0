import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';
import { canonicalJson } from '../jcs.js';
import { catalogToFile, type Catalog } from './catalog.js';
import { catalogFail } from './errors.js';
import { importCatalog, type CatalogImportOptions, type CatalogIssue } from './import.js';
import { catalogBytesMax } from './limits.js';
import { makeDirectories } from '../make-directories.js';

/**
 * The file edge of the catalogue: bounded reads and atomic writes. The size is checked with fstat before
 * anything is read, so a 100 MB file is refused at once; the read itself stops one byte past the limit
 * in case the file grows meanwhile (or is a pipe whose size fstat does not know).
 */
export async function readFileBounded(path: string, bytesMax: number): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw catalogFail('CATALOG_UNREADABLE', `${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw catalogFail('CATALOG_UNREADABLE', `${path} is a directory`);
    if (stat.size > bytesMax) throw catalogFail('CATALOG_TOO_LARGE', `${path}: ${stat.size} bytes, at most ${bytesMax}`);
    // Start from the reported size (exact for a regular file) and grow for pipes and growing files,
    // never past one byte over the limit.
    let buffer = Buffer.alloc(Math.min(bytesMax + 1, Math.max(stat.size + 1, 64 * 1024)));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > bytesMax) throw catalogFail('CATALOG_TOO_LARGE', `${path}: more than ${bytesMax} bytes`);
        const grown = Buffer.alloc(Math.min(bytesMax + 1, buffer.length * 2));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > bytesMax) throw catalogFail('CATALOG_TOO_LARGE', `${path}: more than ${bytesMax} bytes`);
    }
    return new Uint8Array(buffer.buffer, buffer.byteOffset, length);
  } finally {
    await handle.close();
  }
}

/** One line per issue, for a person: `ligne 12 : CATALOG_BAD_CHECK_DIGIT clé … (détail)`. */
export function formatIssues(issues: readonly CatalogIssue[], lang: 'fr' | 'en'): string {
  return issues.map((i) => `${i.line > 0 ? (lang === 'fr' ? `ligne ${i.line}` : `line ${i.line}`) : lang === 'fr' ? 'fichier' : 'file'}: ${i.code} ${i.detail}`).join('\n');
}

/**
 * Reads and imports a catalogue file (CSV or JSON). Throws CATALOG_INVALID whose detail lists the first
 * issues; callers that want every issue use `importCatalog` on `readFileBounded`'s bytes.
 */
export async function loadCatalogFile(path: string, options: CatalogImportOptions): Promise<Catalog> {
  const bytes = await readFileBounded(path, catalogBytesMax);
  const result = importCatalog(bytes, options);
  if (!result.ok) throw catalogFail('CATALOG_INVALID', `${path}: ${result.issues.length} issue(s); ${formatIssues(result.issues.slice(0, 5), 'en').replace(/\n/g, '; ')}`);
  return result.catalog;
}

/** The normalised catalogue JSON: canonical (JCS) so that two imports of the same data are the same bytes. */
export function catalogJson(catalog: Catalog): string {
  return `${canonicalJson(catalogToFile(catalog))}\n`;
}

/** Writes `<dir>/<slug>.json` atomically and durably (domain/atomic-file.ts): readers see the old or the new file. */
export async function writeCatalogAtomic(dir: string, catalog: Catalog): Promise<string> {
  makeDirectories(dir);
  const target = join(dir, `${catalog.shopId.slice('shop:'.length)}.json`);
  writeFileAtomic(target, catalogJson(catalog));
  return target;
}

/**
 * Loads a catalogue for a command line: a normalised JSON names its shop, a CSV export needs `shopId`.
 * Throws CATALOG_BAD_FIELD when neither says which shop it is.
 */
export async function loadCatalogForShop(path: string, shopId: string | undefined): Promise<Catalog> {
  if (shopId !== undefined) return loadCatalogFile(path, { shopId });
  const bytes = await readFileBounded(path, catalogBytesMax);
  let named: string | undefined;
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof value === 'object' && value !== null && 'shopId' in value && typeof value.shopId === 'string') named = value.shopId;
  } catch {
    named = undefined;
  }
  if (named === undefined) throw catalogFail('CATALOG_BAD_FIELD', `${path}: a CSV catalogue needs --shop`);
  const result = importCatalog(bytes, { shopId: named, format: 'json' });
  if (!result.ok) throw catalogFail('CATALOG_INVALID', `${path}: ${formatIssues(result.issues.slice(0, 5), 'en').replace(/\n/g, '; ')}`);
  return result.catalog;
}
