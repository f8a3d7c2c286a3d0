import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '../../domain/catalog/catalog.js';
import { importCatalog } from '../../domain/catalog/import.js';
import { ledgerError } from '../errors.js';

/**
 * The shops' catalogues installed beside a ledger, `<dir>/<shop>.json` as `caisse catalog import` writes
 * them (atomically). Read on first use and again when the file changes, looked at no more than once per
 * `recheckMs` per shop, so that a catalogue installed while the ledger runs is taken without a restart.
 */
export const catalogRecheckMs = 1000;

interface Cached {
  readonly catalog: Catalog | undefined;
  readonly mtimeMs: number;
  readonly checkedAtMs: number;
}

export class CatalogFiles {
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly dir: string) {}

  get(shopId: string, nowMs = Date.now()): Catalog | undefined {
    const cached = this.cache.get(shopId);
    if (cached !== undefined && nowMs - cached.checkedAtMs < catalogRecheckMs) return cached.catalog;
    const path = join(this.dir, `${shopId.slice(shopId.indexOf(':') + 1)}.json`);
    let mtimeMs: number;
    try {
      mtimeMs = statSync(path).mtimeMs;
    } catch {
      this.cache.set(shopId, { catalog: undefined, mtimeMs: 0, checkedAtMs: nowMs });
      return undefined;
    }
    if (cached !== undefined && cached.mtimeMs === mtimeMs) {
      this.cache.set(shopId, { ...cached, checkedAtMs: nowMs });
      return cached.catalog;
    }
    const result = importCatalog(readFileSync(path), { shopId, format: 'json', installed: true });
    if (!result.ok) throw ledgerError('LEDGER_INTERNAL', `installed catalogue ${path} is invalid: ${result.issues[0]?.detail ?? ''}`);
    this.cache.set(shopId, { catalog: result.catalog, mtimeMs, checkedAtMs: nowMs });
    return result.catalog;
  }
}
