import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { encodeDocument } from '../../printer/escpos-encode.js';
import { decodeStatusBytes, encodeStatusByte, isStatusByte } from '../../printer/escpos-status.js';
import { resolveProfile } from '../../printer/profile.js';
import { receiptDocument } from '../../printer/receipt.js';
import { EscPosDecoder } from '../../printer/virtual/escpos-decode.js';
import { parseReceiptView } from '../../printer/views.js';
import { sampleReceipt } from './fixtures.js';

const bytes = encodeDocument(receiptDocument(parseReceiptView(sampleReceipt()), { columns: 42 }), resolveProfile('generic-80-42'));

describe('the ESC/POS decoder', () => {
  test('bytes arriving one at a time decode to the same ticket as all at once', () => {
    const whole = new EscPosDecoder().push(bytes).tickets;
    const decoder = new EscPosDecoder();
    const pieces = [];
    for (const b of bytes) pieces.push(...decoder.push(Uint8Array.of(b)).tickets);
    expect(pieces).toHaveLength(1);
    expect(pieces[0]!.lines).toEqual(whole[0]!.lines);
    expect(pieces[0]!.qrCodes).toEqual(whole[0]!.qrCodes);
    expect(decoder.pendingBytes).toBe(0);
  });

  test('styles, sizes and code pages other software sends', () => {
    const stream = Uint8Array.from([
      0x1b, 0x40, // init: CP437
      0x9c, 0x0a, // £ in CP437
      0x1b, 0x74, 19, 0xd5, 0x0a, // CP858: € at 0xD5
      0x1b, 0x74, 16, 0x80, 0x9c, 0x0a, // Windows-1252: € and œ
      0x1b, 0x21, 0x38, 0x41, 0x1b, 0x21, 0x00, 0x0a, // ESC ! bold, double size
      0x1b, 0x61, 0x01, 0x42, 0x0a, // centred
      0x1d, 0x6b, 0x02, 0x31, 0x32, 0x00, // a barcode, skipped
      0x1b, 0x70, 0x00, 0x19, 0xfa, // cash drawer pulse
      0x1b, 0x7e, // unknown ESC ~
      0x1d, 0x56, 0x41, 0x03, // GS V 65 n: feed and full cut
    ]);
    const [ticket] = new EscPosDecoder().push(stream).tickets;
    expect(ticket!.lines).toEqual(['£', '€', '€œ', 'A', 'B']);
    const big = ticket!.items[3]!;
    expect(big.kind === 'text' && big.runs[0]).toMatchObject({ bold: true, widthScale: 2, heightScale: 2 });
    expect(ticket!.items[4]).toMatchObject({ kind: 'text', align: 'center' });
    expect(ticket!.cut).toBe('full');
    expect(ticket!.events).toContainEqual({ type: 'codepage', n: 19, name: 'cp858' });
    expect(ticket!.events).toContainEqual({ type: 'unknown', hex: '1b7e' });
  });

  test('status requests are answered from the state, and answer bytes decode back', () => {
    const state = { online: true, coverOpen: true, paperOut: false, paperNearEnd: true, fault: false };
    const decoder = new EscPosDecoder((n) => encodeStatusByte(n, state));
    const { replies } = decoder.push(Uint8Array.from([0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 3, 0x10, 0x04, 4]));
    expect(replies.every(isStatusByte)).toBe(true);
    const [printer, offline, error, paper] = replies;
    expect(decodeStatusBytes({ printer, offline, error, paper })).toEqual({ answered: true, online: true, coverOpen: true, paperOut: false, paperNearEnd: true, fault: false });
  });

  test('random bytes never throw and stay bounded', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (random) => {
        const decoder = new EscPosDecoder(() => 0x12);
        decoder.push(random);
        decoder.finish();
        expect(decoder.pendingBytes).toBeLessThanOrEqual(random.length);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the PNG preview of hostile input', () => {
  test('an over-wide image and an impossible QR code are clipped or framed, not a crash', async () => {
    const { renderTicketPng } = await import('../../printer/virtual/render-png.js');
    const { PNG } = await import('pngjs');
    const huge = 'x'.repeat(5000);
    const qrStore = [0x1d, 0x28, 0x6b, (huge.length + 3) & 0xff, (huge.length + 3) >> 8, 49, 80, 48, ...Buffer.from(huge)];
    const wideImage = [0x1d, 0x76, 0x30, 0x00, 0xff, 0x0f, 0x02, 0x00, ...new Array<number>(0xfff * 2).fill(0xff)];
    const stream = Uint8Array.from([...qrStore, 0x1d, 0x28, 0x6b, 3, 0, 49, 81, 48, ...wideImage, 0x1d, 0x56, 0x00]);
    const [ticket] = new EscPosDecoder().push(stream).tickets;
    expect(ticket!.qrCodes).toEqual([huge]);
    const png = PNG.sync.read(renderTicketPng(ticket!));
    expect(png.width).toBeLessThanOrEqual(576 + 32);
  });
});
