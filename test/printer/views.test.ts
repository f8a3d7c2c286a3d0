import { describe, expect, test } from 'vitest';
import { CaisseError } from '../../domain/error-spec.js';
import { amountCentsMax } from '../../domain/money.js';
import { parseClosureReportView, parseReceiptView, parseSettlementStatementView } from '../../printer/views.js';
import { parseTarget } from '../../printer/target.js';
import { resolveProfile } from '../../printer/profile.js';
import { sampleClosure, sampleReceipt, sampleSettlement } from './fixtures.js';

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof CaisseError) return `${error.code}: ${error.detail}`;
    throw error;
  }
  return 'accepted';
}

describe('views are checked at the boundary', () => {
  test('good views pass', () => {
    expect(parseReceiptView(sampleReceipt()).ticketNumber).toBe(123);
    expect(parseClosureReportView(sampleClosure()).closureNumber).toBe(87);
    expect(parseSettlementStatementView(sampleSettlement()).ledgerIndex).toBe(5012);
  });

  test('bad receipts get PRINTER_VIEW_INVALID naming the problem', () => {
    expect(codeOf(() => parseReceiptView(sampleReceipt({ totals: { caissePaidCents: 1000, paidOtherwiseCents: 0 } })))).toMatch(/^PRINTER_VIEW_INVALID: lines add up to 1350/);
    expect(codeOf(() => parseReceiptView(sampleReceipt({ tenders: [{ kind: 'cash', amountCents: 1 }] })))).toMatch(/tenders add up to 1 cents/);
    expect(codeOf(() => parseReceiptView(sampleReceipt({ qrText: 'référence' })))).toMatch(/qrText: printable ASCII only/);
    expect(codeOf(() => parseReceiptView(sampleReceipt({ ticketNumber: 1.5 })))).toMatch(/^PRINTER_VIEW_INVALID: ticketNumber/);
    expect(codeOf(() => parseReceiptView(sampleReceipt({ remainingAllowanceCents: amountCentsMax + 1 })))).toMatch(/remainingAllowanceCents/);
    expect(codeOf(() => parseReceiptView({ ...sampleReceipt(), extra: 1 }))).toMatch(/^PRINTER_VIEW_INVALID/);
    expect(codeOf(() => parseReceiptView(sampleReceipt({ lines: Array.from({ length: 301 }, () => sampleReceipt().lines[0]!) })))).toMatch(/lines/);
    expect(codeOf(() => parseReceiptView(null))).toMatch(/^PRINTER_VIEW_INVALID/);
  });

  test('bad reports too', () => {
    expect(codeOf(() => parseClosureReportView(sampleClosure({ caisseTotalCents: 1 })))).toMatch(/do not add up/);
    expect(codeOf(() => parseClosureReportView(sampleClosure({ firstTicketNumber: null })))).toMatch(/both/);
    expect(codeOf(() => parseClosureReportView(sampleClosure({ businessDate: '23/11/2026' })))).toMatch(/businessDate/);
    expect(codeOf(() => parseSettlementStatementView(sampleSettlement({ ccaReceivedCents: 1 })))).toMatch(/days add up/);
  });

  test('printer addresses and profiles', () => {
    expect(parseTarget('tcp://192.0.2.10:9100')).toEqual({ kind: 'tcp', host: '192.0.2.10', port: 9100 });
    expect(parseTarget('tcp://imprimante.local')).toEqual({ kind: 'tcp', host: 'imprimante.local', port: 9100 });
    expect(parseTarget('tcp://[::1]:9101')).toEqual({ kind: 'tcp', host: '::1', port: 9101 });
    expect(parseTarget('serial:/dev/ttyUSB0?baud=9600')).toEqual({ kind: 'serial', path: '/dev/ttyUSB0', baudRate: 9600 });
    expect(parseTarget('serial:/dev/ttyS0')).toEqual({ kind: 'serial', path: '/dev/ttyS0', baudRate: 19200 });
    expect(parseTarget('usb:/dev/usb/lp0')).toEqual({ kind: 'usb', path: '/dev/usb/lp0' });
    expect(parseTarget('file:/tmp/x.bin')).toEqual({ kind: 'file', path: '/tmp/x.bin' });
    for (const bad of ['', 'lpt1', 'tcp://', 'tcp://host:99999', 'serial:/dev/ttyUSB0?baud=123', 'serial:ttyUSB0', 'usb:lp0', 'http://x']) {
      expect(codeOf(() => parseTarget(bad))).toMatch(/^PRINTER_BAD_TARGET/);
    }
    expect(resolveProfile('generic-58', { columns: 48, qr: 'raster' })).toMatchObject({ columns: 48, dotsWidth: 576, qr: 'raster' });
    expect(codeOf(() => resolveProfile('nope'))).toMatch(/^PRINTER_BAD_PROFILE/);
    expect(codeOf(() => resolveProfile('generic-58', { columns: 40 }))).toMatch(/^PRINTER_BAD_PROFILE/);
  });
});
