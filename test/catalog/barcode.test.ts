import { describe, expect, it } from 'vitest';
import { displayCode, gs1CheckDigit, parseCode, priceCheckDigit4, variableMeasureCode, withCheckDigit } from '../../domain/catalog/barcode.js';

describe('barcodes', () => {
  it.each([
    // [raw, kind, key, embedded]
    ['3017620422003', 'ean13', '3017620422003', undefined],
    ['  3760123450010 ', 'ean13', '3760123450010', undefined],
    ['96385074', 'ean8', '96385074', undefined],
    ['036000291452', 'upca', '0036000291452', undefined],
    ['0036000291452', 'ean13', '0036000291452', undefined],
    [withCheckDigit('201234500000'), 'restricted', withCheckDigit('201234500000'), undefined],
    [withCheckDigit('291234500000'), 'restricted', withCheckDigit('291234500000'), undefined],
    [withCheckDigit('211234501234'), 'variable-weight', '2112345', { measure: 'weight', weightGrams: 1234 }],
    [withCheckDigit('225432101250'), 'variable-price', '2254321', { measure: 'price', priceCents: 1250 }],
    // 23 54321 K 0500: K = 7 (0 + 9 + 0 + 0 = 9, × 3 = 27).
    [withCheckDigit('235432170500'), 'variable-price', '2354321', { measure: 'price', priceCents: 500 }],
    [withCheckDigit('241111170250'), 'variable-weight', '2411111', { measure: 'weight', weightGrams: 250 }],
    ['2112345', 'variable-weight', '2112345', undefined],
    ['4011', 'plu', '4011', undefined],
    ['94011', 'plu', '94011', undefined],
    ['vrac-riz-1', 'internal', 'VRAC-RIZ-1', undefined],
  ])('%s is %s', (raw, kind, key, embedded) => {
    const result = parseCode(raw);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.code).toEqual({ key, kind, ...(embedded === undefined ? {} : { embedded }) });
  });

  it.each([
    ['3017620422004', 'bad-check-digit'],
    ['96385075', 'bad-check-digit'],
    ['036000291453', 'bad-check-digit'],
    [withCheckDigit('235432180500'), 'bad-check-digit'], // the price check digit is wrong, the EAN check digit right
    ['', 'bad-barcode'],
    ['123', 'bad-barcode'],
    ['123456', 'bad-barcode'],
    ['1234567', 'bad-barcode'],
    ['12345678901', 'bad-barcode'],
    ['30176204220031', 'bad-barcode'],
    ['1ABC', 'bad-barcode'],
    ['RIZ BASMATI', 'bad-barcode'],
    ['A'.repeat(21), 'bad-barcode'],
  ])('%s is refused: %s', (raw, problem) => {
    const result = parseCode(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.problem).toBe(problem);
  });

  it('computes GS1 check digits', () => {
    expect(gs1CheckDigit('301762042200')).toBe(3);
    expect(gs1CheckDigit('9638507')).toBe(4);
    expect(gs1CheckDigit('03600029145')).toBe(2);
    expect(withCheckDigit('376012345001')).toBe('3760123450010');
  });

  it('computes the 4-digit price check digit of GS1 §7.9.3', () => {
    expect(priceCheckDigit4('2875')).toBe(9);
    expect(priceCheckDigit4('0000')).toBe(0);
    expect(priceCheckDigit4('0500')).toBe(7);
  });

  it('builds labels that parse back to their value', () => {
    for (const [key, value] of [['2112345', 99_999], ['2254321', 1], ['2354321', 9_999], ['2411111', 5]] as const) {
      const code = variableMeasureCode(key, value);
      const parsed = parseCode(code);
      expect(parsed.ok && parsed.code.key).toBe(key);
      expect(parsed.ok && parsed.code.embedded !== undefined && ('weightGrams' in parsed.code.embedded ? parsed.code.embedded.weightGrams : parsed.code.embedded.priceCents)).toBe(value);
    }
    expect(() => variableMeasureCode('2354321', 10_000)).toThrow();
    expect(displayCode('2112345', 'variable-weight')).toBe('2112345000008');
    expect(displayCode('3017620422003', 'ean13')).toBe('3017620422003');
  });
});
