import type { Lang } from '../domain/error-spec.js';
import type { ReceiptView } from './views.js';

/**
 * The receipt `caisse printer test` prints: every accented letter of French, the ligature œ, the euro
 * sign, an eligibility mark, and a QR code — the first thing a shop prints when it plugs a printer in,
 * so it shows at a glance whether the code page, the paper width and QR codes work.
 */
export function testReceiptView(lang: Lang, timeMs: number): ReceiptView {
  return {
    lang,
    shopName: lang === 'fr' ? "TEST D'IMPRESSION - caisse" : 'PRINT TEST - caisse',
    shopAddress: ['àâä éèêë îï ôö ùûü ÿ ç', 'ÀÂ ÉÈÊË ÎÏ Ô ÙÛÜ Ç Œ œ « » €'],
    tillId: 'test',
    ticketNumber: 1,
    timeMs,
    lines: [
      { name: 'Crème brûlée à la châtaigne', quantity: { kind: 'count', count: 2 }, unitPriceCents: 250, lineTotalCents: 500, eligibility: { mark: 'A', sharePercent: 100 } },
      { name: 'Bœuf haché (façon bouchère)', quantity: { kind: 'weight', weightGrams: 450 }, unitPriceCents: 1690, lineTotalCents: 761, eligibility: { mark: 'B', sharePercent: 70 } },
      { name: 'Œufs frais — plein air', quantity: { kind: 'count', count: 1 }, unitPriceCents: 1239, lineTotalCents: 1239, eligibility: null },
    ],
    totals: { caissePaidCents: 1000, paidOtherwiseCents: 1500 },
    tenders: [
      { kind: 'cca', amountCents: 1000 },
      { kind: 'cash', amountCents: 1500 },
    ],
    remainingAllowanceCents: 123_456,
    ledgerIndex: 0,
    shortHash: '00000000',
    qrText: 'CAISSE TEST: e acute, e grave, a grave, c cedilla, oe, EUR',
    duplicate: false,
  };
}
