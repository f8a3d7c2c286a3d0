import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogErrors } from '../../domain/catalog/errors.js';
import { catalogBytesMax, catalogProductsMax } from '../../domain/catalog/limits.js';
import { amountCentsMax } from '../../domain/money.js';
import { rulesErrors } from '../../domain/rules/errors.js';
import { basketTotalCentsMax, lineQuantityMax } from '../../domain/rules/limits.js';

const docs = join(import.meta.dirname, '..', '..', 'docs', 'formats');

function documented(file: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const match of readFileSync(join(docs, file), 'utf8').matchAll(/^\| `([A-Z_0-9]+)` \| (\d+) \| (.+) \| (.+) \|$/gm)) {
    rows.set(match[1]!, `${match[2]}|${match[3]}|${match[4]}`);
  }
  return rows;
}

describe('error catalogues and their documentation', () => {
  it.each([
    ['catalog.md', catalogErrors],
    ['rules.md', rulesErrors],
  ] as const)('%s lists exactly the catalogue, with the same words', (file, catalogue) => {
    const expected = new Map(Object.entries(catalogue).map(([code, spec]) => [code, `${spec.status}|${spec.fr}|${spec.en}`]));
    expect(documented(file)).toEqual(expected);
  });
});

describe('limits fit together', () => {
  it('a basket total is always a valid ledger amount', () => {
    expect(basketTotalCentsMax).toBe(amountCentsMax);
    expect(lineQuantityMax * 10_000_000).toBeLessThan(Number.MAX_SAFE_INTEGER);
    expect(catalogProductsMax * 100).toBeLessThanOrEqual(catalogBytesMax);
  });
});
