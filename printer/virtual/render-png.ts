import { PNG } from 'pngjs';
import { dotsWidthByColumns, virtualImageHeightDotsMax } from '../limits.js';
import { qrMatrix, qrQuietModules, type QrMatrix } from '../qr-matrix.js';
import { cellHeight, cellWidth, glyphFor } from './bitmap-font.js';
import type { Align, DecodedTicket, TicketItem } from './escpos-decode.js';

/**
 * A decoded ticket drawn as the paper would look: 12 x 24 dots per character (font A), QR codes drawn
 * module by module from their data, raster images bit by bit. A QR code in the image decodes back to
 * its text with any QR reader, which is how the tests check what a printer would show.
 */

/** Font cells are drawn at twice their size: 12 x 24 dots, as font A on real printers. */
const fontScale = 2;
const charWidthDots = cellWidth * fontScale;
const charHeightDots = cellHeight * fontScale;
/** Default ESC/POS line spacing (1/6 inch at 180 dpi) minus the character height. */
const lineGapDots = 6;
const marginDots = 16;
const paperWidthsDots = Object.values(dotsWidthByColumns).sort((a, b) => a - b);

/**
 * The QR matrix of a stored payload, or null when no QR code can hold it (a printer would print
 * nothing; the preview shows an empty frame instead of failing).
 */
function safeMatrix(data: string, level: 'L' | 'M' | 'Q' | 'H'): QrMatrix | null {
  try {
    return qrMatrix(data, level);
  } catch {
    return null;
  }
}

const missingQrModules = 21;

function qrSideDots(item: { readonly data: string; readonly errorLevel: 'L' | 'M' | 'Q' | 'H'; readonly moduleDots: number }): number {
  return ((safeMatrix(item.data, item.errorLevel)?.size ?? missingQrModules) + 2 * qrQuietModules) * item.moduleDots;
}

function itemWidthDots(item: TicketItem): number {
  if (item.kind === 'text') return item.runs.reduce((w, r) => w + r.text.length * charWidthDots * r.widthScale, 0);
  if (item.kind === 'image') return item.widthBytes * 8;
  if (item.kind === 'qr') return qrSideDots(item);
  return 0;
}

function itemHeightDots(item: TicketItem): number {
  if (item.kind === 'text') return Math.max(1, ...item.runs.map((r) => r.heightScale)) * charHeightDots + lineGapDots;
  if (item.kind === 'image') return item.height;
  if (item.kind === 'qr') return qrSideDots(item);
  return item.dots;
}

/** The narrowest standard paper (384, 512 or 576 dots) that holds every item; wider items are clipped, as on paper. */
export function paperWidthFor(ticket: DecodedTicket): number {
  const needed = Math.max(0, ...ticket.items.map(itemWidthDots));
  return paperWidthsDots.find((w) => w >= needed) ?? paperWidthsDots[paperWidthsDots.length - 1]!;
}

class Canvas {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;

  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
    this.data = new Uint8Array(width * height).fill(255);
  }

  fill(x: number, y: number, w: number, h: number): void {
    for (let yy = Math.max(0, y); yy < Math.min(this.height, y + h); yy++) {
      for (let xx = Math.max(0, x); xx < Math.min(this.width, x + w); xx++) this.data[yy * this.width + xx] = 0;
    }
  }

  png(): Buffer {
    const png = new PNG({ width: this.width, height: this.height });
    for (let i = 0; i < this.data.length; i++) {
      const v = this.data[i]!;
      png.data[i * 4] = v;
      png.data[i * 4 + 1] = v;
      png.data[i * 4 + 2] = v;
      png.data[i * 4 + 3] = 255;
    }
    return PNG.sync.write(png);
  }
}

function alignedX(align: Align, width: number, paperWidth: number): number {
  if (width >= paperWidth) return marginDots;
  if (align === 'center') return marginDots + Math.floor((paperWidth - width) / 2);
  if (align === 'right') return marginDots + paperWidth - width;
  return marginDots;
}

function drawItem(canvas: Canvas, item: TicketItem, y: number, paperWidth: number): void {
  if (item.kind === 'feed') return;
  const x0 = alignedX(item.kind === 'text' || item.kind === 'qr' || item.kind === 'image' ? item.align : 'left', itemWidthDots(item), paperWidth);
  if (item.kind === 'text') {
    const lineScale = Math.max(1, ...item.runs.map((r) => r.heightScale));
    let x = x0;
    for (const run of item.runs) {
      const sx = fontScale * run.widthScale;
      const sy = fontScale * run.heightScale;
      const top = y + (lineScale - run.heightScale) * charHeightDots;
      for (const ch of run.text) {
        const glyph = glyphFor(ch);
        glyph.forEach((row, gy) =>
          row.forEach((ink, gx) => {
            if (!ink) return;
            canvas.fill(x + gx * sx, top + gy * sy, sx + (run.bold ? 1 : 0), sy);
          }),
        );
        if (run.underline) canvas.fill(x, top + (cellHeight - 1) * sy, cellWidth * sx, fontScale);
        x += cellWidth * sx;
      }
    }
  } else if (item.kind === 'qr') {
    const offset = qrQuietModules * item.moduleDots;
    const matrix = safeMatrix(item.data, item.errorLevel);
    if (matrix === null) {
      const side = missingQrModules * item.moduleDots;
      canvas.fill(x0 + offset, y + offset, side, 2);
      canvas.fill(x0 + offset, y + offset + side - 2, side, 2);
      canvas.fill(x0 + offset, y + offset, 2, side);
      canvas.fill(x0 + offset + side - 2, y + offset, 2, side);
      return;
    }
    for (let row = 0; row < matrix.size; row++) {
      for (let col = 0; col < matrix.size; col++) {
        if (matrix.isDark(row, col)) {
          canvas.fill(x0 + offset + col * item.moduleDots, y + offset + row * item.moduleDots, item.moduleDots, item.moduleDots);
        }
      }
    }
  } else {
    for (let row = 0; row < item.height; row++) {
      for (let byte = 0; byte < item.widthBytes; byte++) {
        const value = item.bits[row * item.widthBytes + byte]!;
        for (let bit = 0; bit < 8; bit++) if (value & (0x80 >> bit)) canvas.fill(x0 + byte * 8 + bit, y + row, 1, 1);
      }
    }
  }
}

/** Renders a ticket to PNG bytes; a dashed line at the bottom shows where it was cut. */
export function renderTicketPng(ticket: DecodedTicket): Buffer {
  const paperWidth = paperWidthFor(ticket);
  const contentHeight = ticket.items.reduce((h, item) => h + itemHeightDots(item), 0);
  const height = Math.min(virtualImageHeightDotsMax, contentHeight + 2 * marginDots + 4);
  const canvas = new Canvas(paperWidth + 2 * marginDots, height);
  let y = marginDots;
  for (const item of ticket.items) {
    const h = itemHeightDots(item);
    if (y + h > height - marginDots) break; // a runaway ticket is shown up to the bound
    drawItem(canvas, item, y, paperWidth);
    y += h;
  }
  if (ticket.cut !== null) {
    for (let x = 0; x < canvas.width; x += 8) canvas.fill(x, height - 3, 4, 2);
  }
  return canvas.png();
}
