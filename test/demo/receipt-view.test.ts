import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eligibilityMarks, receiptViewForPayment } from '../../cli/demo/receipt-view.js';
import { runDemo } from '../../cli/demo/run-demo.js';
import { loadWorld, type World } from '../../cli/demo/world.js';
import { fixturesDir } from '../../cli/project-root.js';
import { openLedger, type OpenedLedger } from '../../ledger/home.js';
import { parseReceiptQrText } from '../../ledger/formats/receipt.js';
import { parseReceiptView } from '../../printer/views.js';

let dir: string;
let opened: OpenedLedger;
let world: World;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'caisse-demo-'));
  const quiet = { out: () => undefined, err: () => undefined, isTty: false, lang: 'fr' as const };
  await runDemo({ dir, payments: 40, clients: 1, seed: 7 }, quiet);
  opened = openLedger(dir);
  world = await loadWorld(fixturesDir());
});
afterAll(() => {
  opened.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the demo’s payments as printed receipts', () => {
  it('gives each share its own mark, 100 % always "*"', () => {
    const marks = eligibilityMarks([30, 100, 70, 30]);
    expect(marks.get(100)).toBe('*');
    expect(marks.get(70)).toBe('+');
    expect(marks.get(30)).toBe('#');
    expect(eligibilityMarks([70]).get(70)).toBe('+');
  });

  it('makes a receipt the printer accepts, whose lines add up and whose QR names the entry', () => {
    const indices = opened.store.lastOfType('payment', 10);
    expect(indices.length).toBe(10);
    for (const index of indices) {
      const view = parseReceiptView(receiptViewForPayment(opened.ledger, world, index, 'fr'));
      const lines = view.lines.reduce((sum, l) => sum + l.lineTotalCents, 0);
      expect(lines).toBe(view.totals.caissePaidCents + view.totals.paidOtherwiseCents);
      expect(view.tenders.reduce((sum, t) => sum + t.amountCents, 0)).toBe(lines);
      const qr = parseReceiptQrText(view.qrText);
      expect(qr?.index).toBe(index);
      expect(qr?.leafHash).toBe(opened.ledger.receiptForIndex(index)?.leafHash);
      expect(view.remainingAllowanceCents).toBeGreaterThanOrEqual(0);
      // Names come from the shop's catalogue, never the bare scanned code.
      expect(view.lines.every((l) => !/^\d+$/.test(l.name))).toBe(true);
    }
  });
});
