import { displayCode } from '../catalog/barcode.js';
import type { Catalog } from '../catalog/catalog.js';
import type { CompiledRules } from './compile.js';
import { explainCatalogProduct } from './explain.js';

/**
 * The approved product list of one shop as CSV, for a shop whose own till should flag eligible products
 * (the way WIC states publish an approved product list): `barcode,name,share`, comma separated, UTF-8,
 * CRLF line ends, one line per eligible product at the given instant. `share` is the percentage the
 * caisse pays; when it depends on the member's tier it is a range `30-100`. Weighed products are listed
 * by the 13-digit label their scale prints with a zero value.
 */
export function approvedListCsv(rules: CompiledRules, catalog: Catalog, shopId: string, atMs: number): string {
  const rows = ['barcode,name,share'];
  for (const product of catalog.products) {
    const explanation = explainCatalogProduct(rules, catalog, shopId, product, atMs);
    if (!explanation.found || !explanation.eligible) continue;
    const min = percent(explanation.minShareBasisPoints);
    const max = percent(explanation.maxShareBasisPoints);
    rows.push([displayCode(product.code, product.kind), csvField(product.name), min === max ? min : `${min}-${max}`].join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}

function percent(shareBasisPoints: number): string {
  const whole = Math.trunc(shareBasisPoints / 100);
  const frac = shareBasisPoints % 100;
  return frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(2, '0')}`;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
