import assert from 'node:assert/strict';
import { parseCode, type ParsedCode } from './barcode.js';
import { catalogFail } from './errors.js';
import { catalogFormat, type CatalogFile, type Product } from './product.js';

/**
 * A shop's catalogue, indexed once when it is loaded so that a scan is one map lookup.
 */
export interface Catalog {
  readonly shopId: string;
  readonly products: readonly Product[];
  readonly byCode: ReadonlyMap<string, Product>;
}

export function catalogFromProducts(shopId: string, products: readonly Product[]): Catalog {
  const byCode = new Map<string, Product>();
  for (const product of products) {
    // Imports refuse duplicates with a line number; a duplicate here is a caller's bug.
    assert.ok(!byCode.has(product.code), `duplicate product code ${product.code}`);
    byCode.set(product.code, product);
  }
  return { shopId, products, byCode };
}

export function catalogToFile(catalog: Catalog): CatalogFile {
  return { format: catalogFormat, shopId: catalog.shopId, products: [...catalog.products] };
}

export interface ScannedProduct {
  readonly product: Product;
  readonly scan: ParsedCode;
}

/**
 * Finds the product a scanned or typed code names. Throws CATALOG_BAD_SCAN for an unreadable code and
 * CATALOG_UNKNOWN_CODE for one the shop does not sell.
 */
export function lookupCode(catalog: Catalog, raw: string): ScannedProduct {
  const parsed = parseCode(raw);
  if (!parsed.ok) throw catalogFail('CATALOG_BAD_SCAN', parsed.error.detail);
  const product = catalog.byCode.get(parsed.code.key);
  if (product === undefined) throw catalogFail('CATALOG_UNKNOWN_CODE', `${raw.trim()} (${catalog.shopId})`);
  return { product, scan: parsed.code };
}
