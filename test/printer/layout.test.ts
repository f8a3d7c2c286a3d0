import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, test } from 'vitest';
import { amountCentsMax } from '../../domain/money.js';
import { toPrintable } from '../../printer/charmap.js';
import { documentLines } from '../../printer/document.js';
import { encodeDocument } from '../../printer/escpos-encode.js';
import { formatCents, formatDateTime, formatWeight } from '../../printer/format.js';
import { leftRight, truncate, wrap } from '../../printer/layout.js';
import { checkPrinterLimits, supportedColumns } from '../../printer/limits.js';
import { resolveProfile } from '../../printer/profile.js';
import { receiptDocument } from '../../printer/receipt.js';
import { EscPosDecoder } from '../../printer/virtual/escpos-decode.js';
import { parseReceiptView } from '../../printer/views.js';
import { sampleReceipt } from './fixtures.js';

describe('characters', () => {
  test('French letters, œ and the euro sign are kept; typographic punctuation becomes plain', () => {
    expect(toPrintable('àâäçéèêëîïôöùûüÿ ÀÂÇÉÈÊËÎÏÔÙÛÜŸ œŒ € « »')).toBe('àâäçéèêëîïôöùûüÿ ÀÂÇÉÈÊËÎÏÔÙÛÜŸ œŒ € « »');
    expect(toPrintable('Pain — “complet” ‘bio’ l’épicerie… • 12\u202f345')).toBe('Pain - "complet" \'bio\' l\'épicerie... * 12 345');
  });

  test('emoji, CJK and other scripts are replaced; accents of other languages are dropped; controls removed', () => {
    expect(toPrintable('Pommes 🍎 bio')).toBe('Pommes ? bio');
    expect(toPrintable('👍🏽 ok')).toBe('? ok');
    expect(toPrintable('豆腐 tofu')).toBe('?? tofu');
    expect(toPrintable('Łódź Ștefan ā')).toBe('Lódz Stefan a'); // ó is in Windows-1252
    expect(toPrintable('Сыр')).toBe('???');
    expect(toPrintable('bad\x1b@\x1dV\x00name\r\n')).toBe('bad@Vname');
  });

  test('whatever the input, every printed character exists in Windows-1252 and is not a control', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (text) => {
        const printable = toPrintable(text);
        const back = iconv.decode(iconv.encode(printable, 'windows1252'), 'windows1252');
        expect(back).toBe(printable);
        expect(printable).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
      }),
      { numRuns: 300 },
    );
  });
});

describe('layout', () => {
  test('wrap and truncate never overflow, and mark cuts', () => {
    expect(truncate('Camembert de Normandie au lait cru', 20)).toBe('Camembert de Norm...');
    expect(wrap('Camembert de Normandie au lait cru AOP moulé à la louche', 20, 2)).toEqual(['Camembert de', 'Normandie au lait...']);
    expect(wrap('x'.repeat(70), 32)).toEqual(['x'.repeat(32), 'x'.repeat(32), 'x'.repeat(6)]);
    expect(wrap('', 32)).toEqual(['']);
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.constantFrom(...supportedColumns), (text, width) => {
        const lines = wrap(toPrintable(text), width);
        expect(lines.length).toBeLessThanOrEqual(3);
        for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
        for (const line of leftRight(toPrintable(text), '-10 000 000,00 €', width)) expect(line.length).toBeLessThanOrEqual(width);
      }),
      { numRuns: 300 },
    );
  });

  test('a label and an amount: same line when they fit, the amount flush right otherwise', () => {
    expect(leftRight('TOTAL', '13,50 €', 20)).toEqual(['TOTAL        13,50 €']);
    expect(leftRight('  Caisse alimentation (CCA)', '10,00 €', 32)).toEqual(['  Caisse alimentation (CCA)', '                         10,00 €']);
  });

  test('amounts: zero, negative, huge; weights; dates in Paris time', () => {
    expect(formatCents(0, 'fr')).toBe('0,00 €');
    expect(formatCents(-450, 'fr')).toBe('-4,50 €');
    expect(formatCents(-5, 'fr')).toBe('-0,05 €');
    expect(formatCents(amountCentsMax, 'fr')).toBe('10 000 000,00 €');
    expect(formatCents(-amountCentsMax, 'en')).toBe('-€10,000,000.00');
    expect(formatWeight(1250, 'fr')).toBe('1,250 kg');
    expect(formatWeight(5, 'en')).toBe('0.005 kg');
    expect(formatDateTime(Date.UTC(2026, 6, 14, 10, 5), 'fr')).toBe('14/07/2026 12:05'); // summer time
    expect(formatDateTime(Date.UTC(2026, 11, 31, 23, 30), 'fr')).toBe('01/01/2027 00:30');
  });

  test('extreme receipts still fit every paper width', () => {
    const long = 'Très long nom de produit 🍓 avec des émojis et 中文 et un mot interminableinterminableinterminable';
    const view = parseReceiptView(
      sampleReceipt({
        shopName: long,
        lines: [
          { name: long, quantity: { kind: 'count', count: 1 }, unitPriceCents: amountCentsMax, lineTotalCents: amountCentsMax, eligibility: { mark: 'A', sharePercent: 100 } },
          { name: 'Remboursement', quantity: { kind: 'count', count: -1 }, unitPriceCents: amountCentsMax, lineTotalCents: -amountCentsMax, eligibility: null },
          { name: 'Offert', quantity: { kind: 'weight', weightGrams: 0 }, unitPriceCents: 0, lineTotalCents: 1350, eligibility: null },
        ],
        totals: { caissePaidCents: 0, paidOtherwiseCents: 1350 },
        tenders: [{ kind: 'other', amountCents: 1350 }],
        remainingAllowanceCents: -amountCentsMax,
      }),
    );
    for (const columns of supportedColumns) {
      const doc = receiptDocument(view, { columns });
      const profile = resolveProfile('generic-80', { columns });
      const [ticket] = new EscPosDecoder().push(encodeDocument(doc, profile)).tickets;
      for (const line of ticket!.lines) expect(line.length).toBeLessThanOrEqual(columns);
      const text = ticket!.lines.join('\n');
      expect(text).toContain('10 000 000,00 €');
      expect(text).toContain('-10 000 000,00 €');
      expect(text).toContain('0,000 kg x 0,00 €/kg');
      expect(text).toContain('Très long nom de produit ?');
      expect(documentLines(doc).every((l) => l.length <= columns || l.startsWith('[QR:'))).toBe(true);
    }
  });

  test('the limits fit together', () => {
    expect(() => checkPrinterLimits()).not.toThrow();
  });
});
