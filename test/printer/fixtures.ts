import type { ClosureReportView, ReceiptView, SettlementStatementView } from '../../printer/views.js';

/** A sale at a Nantes grocery, with every French letter the receipts must print right. */
export function sampleReceipt(overrides: Partial<ReceiptView> = {}): ReceiptView {
  return {
    lang: 'fr',
    shopName: "L'Épicerie du Chantier — coopérative",
    shopAddress: ['12 rue de l’Hermitage', '44100 Nantes'],
    tillId: 'caisse-1',
    ticketNumber: 123,
    timeMs: Date.UTC(2026, 10, 23, 17, 30),
    lines: [
      { name: 'Pommes Golden bio', quantity: { kind: 'weight', weightGrams: 1250 }, unitPriceCents: 320, lineTotalCents: 400, eligibility: { mark: 'A', sharePercent: 100 } },
      { name: 'Œufs plein air ×6', quantity: { kind: 'count', count: 1 }, unitPriceCents: 350, lineTotalCents: 350, eligibility: { mark: 'B', sharePercent: 70 } },
      { name: 'Crème fraîche épaisse', quantity: { kind: 'count', count: 2 }, unitPriceCents: 185, lineTotalCents: 370, eligibility: { mark: 'A', sharePercent: 100 } },
      { name: 'Bière de Noël à la châtaigne', quantity: { kind: 'count', count: 1 }, unitPriceCents: 230, lineTotalCents: 230, eligibility: null },
    ],
    totals: { caissePaidCents: 1000, paidOtherwiseCents: 350 },
    tenders: [
      { kind: 'cca', amountCents: 1000 },
      { kind: 'cash', amountCents: 350 },
    ],
    remainingAllowanceCents: 9000,
    ledgerIndex: 4821,
    shortHash: '3fa9c2e1',
    qrText: 'https://caisse.example/e/4821#3fa9c2e1',
    duplicate: false,
    ...overrides,
  };
}

export function sampleClosure(overrides: Partial<ClosureReportView> = {}): ClosureReportView {
  return {
    lang: 'fr',
    scope: { kind: 'till', tillId: 'caisse-1' },
    shopName: "L'Épicerie du Chantier",
    businessDate: '2026-11-23',
    closureNumber: 87,
    generatedAtMs: Date.UTC(2026, 10, 23, 19, 5),
    ticketCount: 42,
    firstTicketNumber: 101,
    lastTicketNumber: 142,
    salesTotalCents: 123_456,
    caisseTotalCents: 80_000,
    paidOtherwiseCents: 43_456,
    totalsByTender: [
      { kind: 'cca', amountCents: 80_000 },
      { kind: 'cash', amountCents: 20_000 },
      { kind: 'card', amountCents: 23_456 },
    ],
    refunds: { count: 1, amountCents: -450 },
    perpetualGrandTotalCents: 9_876_543,
    reprintCount: 2,
    tills: [],
    ledgerIndex: 4900,
    shortHash: 'b1e2c3d4',
    ...overrides,
  };
}

export function sampleSettlement(overrides: Partial<SettlementStatementView> = {}): SettlementStatementView {
  return {
    lang: 'fr',
    merchant: { name: "L'Épicerie du Chantier", accountId: 'shop:epicerie-chantier', address: ['44100 Nantes'] },
    period: { fromDate: '2026-11-01', toDate: '2026-11-15' },
    generatedAtMs: Date.UTC(2026, 10, 16, 9, 0),
    ccaReceivedCents: 45_000,
    mnkPaidCents: 45_000,
    ledgerIndex: 5012,
    shortHash: 'aa11bb22',
    days: [
      { date: '2026-11-02', ticketCount: 12, ccaReceivedCents: 20_000 },
      { date: '2026-11-09', ticketCount: 15, ccaReceivedCents: 25_000 },
    ],
    ...overrides,
  };
}
