import { describe, expect, it } from 'vitest';
import { fromAzertyDigitRow, parseCode } from '../../domain/catalog/barcode.js';
import { parseCsv, detectDelimiter } from '../../domain/catalog/csv.js';
import { parseScaledDecimal } from '../../domain/catalog/decimal.js';
import { expandCategories, expandLabels, slug, taxonomyId } from '../../domain/catalog/taxonomy.js';

describe('CSV records', () => {
  it('keeps the line a record starts on, across quoted line breaks and blank lines', () => {
    const table = parseCsv('a,b\r\n"x\ny",1\n\n"z",2\n');
    expect(table.records.map((r) => [r.line, ...r.fields])).toEqual([
      [1, 'a', 'b'],
      [2, 'x\ny', '1'],
      [5, 'z', '2'],
    ]);
    expect(table.problems).toEqual([]);
  });
  it.each([
    ['a;b;c\n', ';'],
    ['a,b,c\n', ','],
    ['a\tb\tc\n', '\t'],
    ['"a;b",c,d\n', ','],
  ])('detects the separator of %j', (text, delimiter) => {
    expect(detectDelimiter(text)).toBe(delimiter);
  });
  it('reports text after a closing quote and an over-long record, and goes on', () => {
    const table = parseCsv(`a,b\n"x"y,1\n${'z'.repeat(5000)},2\nok,3\n`);
    expect(table.problems.map((p) => p.line)).toEqual([2, 3]);
    expect(table.records.map((r) => r.fields[0])).toEqual(['a', 'ok']);
  });
});

describe('decimal amounts', () => {
  it.each([
    ['3,50', 2, 350],
    ['3.5', 2, 350],
    ['3', 2, 300],
    ['3,500', 2, 350],
    [' 12,49 € ', 2, 1249],
    ['5,5 %', 2, 550],
    ['0', 2, 0],
  ])('%j at scale %i is %i', (text, scale, value) => expect(parseScaledDecimal(text, scale, 1e9)).toBe(value));
  it.each(['-1', '3,505', 'abc', '', '1e3', '1 000,00x', '99999999999999'])('%j is refused', (text) => {
    expect(parseScaledDecimal(text, 2, 1e9)).toBeUndefined();
  });
});

describe('Open Food Facts taxonomy', () => {
  it.each([
    ['en:wines', 'en:wines'],
    ['Vins', 'en:wines'],
    ['Bières', 'en:beers'],
    ['AB', 'fr:ab-agriculture-biologique'],
    ['Nature & Progrès', 'fr:nature-et-progres'],
    ['Épicerie sucrée', 'fr:epicerie-sucree'],
    ['  ', undefined],
  ])('%j → %j', (text, id) => expect(taxonomyId(text)).toBe(id));
  it('expands categories and labels to their parents', () => {
    expect(expandCategories(['en:red-wines'])).toEqual(['en:red-wines', 'en:wines', 'en:alcoholic-beverages', 'en:beverages']);
    expect(expandLabels(['en:demeter', 'en:organic'])).toEqual(['en:demeter', 'en:organic']);
    expect(slug('Pâtes à tartiner')).toBe('pates-a-tartiner');
  });
});

describe('scanner keyboard layouts', () => {
  it('reads a code typed on the AZERTY digit row back as digits', () => {
    // 3017620422003 typed by a QWERTY-configured scanner on an AZERTY till.
    const garbled = `"à&è-éà'ééàà"`;
    expect(fromAzertyDigitRow(garbled)).toBe('3017620422003');
    const parsed = parseCode(garbled);
    expect(parsed.ok && parsed.code).toEqual({ key: '3017620422003', kind: 'ean13' });
    expect(fromAzertyDigitRow('VRAC-RIZ')).toBe('VRAC-RIZ');
    expect(fromAzertyDigitRow('é-x')).toBe('é-x');
  });
});
