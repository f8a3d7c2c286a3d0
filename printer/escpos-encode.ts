import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import type { PrintDocument } from './document.js';
import { printerError } from './errors.js';
import { jobBytesMax } from './limits.js';
import type { PrinterProfile } from './profile.js';
import { fitModuleDots, qrImage, qrMatrix } from './qr-matrix.js';

/**
 * A document to ESC/POS bytes, through @point-of-sale/receipt-printer-encoder. Pure: no I/O.
 *
 * The code page is always set explicitly to Windows-1252 (ESC t 16): left to itself the encoder may
 * pick CP437, which has no euro sign. The document's text is already limited to what Windows-1252
 * prints (charmap.ts), so no character is lost here.
 */
export function encodeDocument(doc: PrintDocument, profile: PrinterProfile): Uint8Array {
  if (doc.columns !== profile.columns) throw new Error(`document laid out for ${doc.columns} columns, printer has ${profile.columns}`);
  const encoder = new ReceiptPrinterEncoder({
    language: 'esc-pos',
    columns: profile.columns,
    codepageMapping: 'epson',
    imageMode: 'raster',
    newline: '\n',
    feedBeforeCut: 0,
  });
  encoder.initialize().codepage('windows1252');
  for (const block of doc.blocks) {
    switch (block.kind) {
      case 'text': {
        const scale = block.large ? 2 : 1;
        encoder.align(block.align).bold(block.bold).size(scale, scale).line(block.text).size(1, 1).bold(false).align('left');
        break;
      }
      case 'rule':
        encoder.line(block.char.repeat(profile.columns));
        break;
      case 'feed':
        encoder.newline(block.lines);
        break;
      case 'qr': {
        const matrix = qrMatrix(block.text, 'M');
        const moduleDots = fitModuleDots(matrix.size, profile.dotsWidth, profile.qrModuleDots);
        encoder.align('center');
        if (profile.qr === 'native') {
          encoder.qrcode(block.text, { model: 2, size: moduleDots, errorlevel: 'm' });
        } else {
          const image = qrImage(matrix, moduleDots);
          encoder.image(image, image.width, image.height, 'threshold');
        }
        encoder.align('left');
        break;
      }
    }
  }
  if (profile.feedBeforeCutLines > 0) encoder.newline(profile.feedBeforeCutLines);
  // Printers without a cutter ignore GS V; we send it anyway because it also marks the end of a
  // ticket for the virtual printer and for anyone reading a capture.
  encoder.cut('partial');
  const bytes = encoder.encode();
  if (bytes.length > jobBytesMax) throw printerError('PRINTER_JOB_TOO_LARGE', `${bytes.length} bytes > ${jobBytesMax}`);
  return bytes;
}
