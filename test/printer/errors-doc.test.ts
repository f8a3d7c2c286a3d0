import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { printerErrors } from '../../printer/errors.js';

test('docs/PRINTER.md lists every printer error code with its status, and no other', () => {
  const doc = readFileSync(new URL('../../docs/PRINTER.md', import.meta.url), 'utf8');
  const documented = new Map([...doc.matchAll(/^\| (PRINTER_[A-Z0-9_]+) \| (\d+) \|/gm)].map((m) => [m[1]!, Number(m[2])]));
  const catalogued = new Map(Object.entries(printerErrors).map(([code, spec]) => [code, spec.status]));
  expect(documented).toEqual(catalogued);
});
