import { toPrintable } from './charmap.js';
import { leftRight, truncate, wrap } from './layout.js';
import type { Columns } from './limits.js';

/**
 * A laid-out document: what a receipt or report looks like, line by line, before it becomes bytes.
 * The same document is encoded to ESC/POS (escpos-encode.ts) and exported to HTML or PDF
 * (report-export.ts), so there is one layout for paper and for files.
 */

export type TextAlign = 'left' | 'center' | 'right';

export type PrintBlock =
  /** One printed line, already mapped to printable characters and fitted: at most `columns` characters, or half that when large. */
  | { readonly kind: 'text'; readonly text: string; readonly align: TextAlign; readonly bold: boolean; readonly large: boolean }
  | { readonly kind: 'rule'; readonly char: '-' | '=' }
  | { readonly kind: 'qr'; readonly text: string }
  | { readonly kind: 'feed'; readonly lines: number };

export interface PrintDocument {
  readonly columns: Columns;
  /** A short title for files and previews ("Ticket 123", "Z 2026-11-23"). */
  readonly title: string;
  readonly blocks: readonly PrintBlock[];
}

export interface LineStyle {
  readonly align?: TextAlign;
  readonly bold?: boolean;
  /** Double width and height: half as many columns. */
  readonly large?: boolean;
}

/** Builds a document line by line; every method fits its text to the paper, so no block can overflow. */
export class DocumentBuilder {
  readonly columns: Columns;
  readonly #blocks: PrintBlock[] = [];

  constructor(columns: Columns) {
    this.columns = columns;
  }

  /** Free text, word-wrapped (at most a few lines, then cut with "..."). */
  text(value: string, style: LineStyle = {}): this {
    const large = style.large ?? false;
    const width = large ? this.columns / 2 : this.columns;
    for (const line of wrap(toPrintable(value), width)) this.#push(line, style);
    return this;
  }

  /** A label and a right-aligned value on one line (the label wraps when needed). */
  row(left: string, right: string, style: Omit<LineStyle, 'align'> = {}): this {
    const large = style.large ?? false;
    const width = large ? this.columns / 2 : this.columns;
    for (const line of leftRight(toPrintable(left), toPrintable(right), width)) this.#push(line, { ...style, align: 'left' });
    return this;
  }

  /** One line cut to the paper width, never wrapped (identifiers, hashes). */
  single(value: string, style: LineStyle = {}): this {
    const width = (style.large ?? false) ? this.columns / 2 : this.columns;
    this.#push(truncate(toPrintable(value), width), style);
    return this;
  }

  rule(char: '-' | '=' = '-'): this {
    this.#blocks.push({ kind: 'rule', char });
    return this;
  }

  qr(text: string): this {
    this.#blocks.push({ kind: 'qr', text });
    return this;
  }

  feed(lines = 1): this {
    if (!Number.isInteger(lines) || lines < 1 || lines > 10) throw new Error(`feed of ${lines} lines`);
    this.#blocks.push({ kind: 'feed', lines });
    return this;
  }

  build(title: string): PrintDocument {
    return { columns: this.columns, title, blocks: [...this.#blocks] };
  }

  #push(line: string, style: LineStyle): void {
    const large = style.large ?? false;
    if (line.length > (large ? this.columns / 2 : this.columns)) throw new Error(`line overflows the paper: ${line}`);
    this.#blocks.push({ kind: 'text', text: line, align: style.align ?? 'left', bold: style.bold ?? false, large });
  }
}

/**
 * The document as plain text lines, as a person reads the paper: centred and right-aligned lines are
 * padded, large lines are shown once (at normal width), a QR code is a "[QR: …]" line.
 */
export function documentLines(doc: PrintDocument): string[] {
  const out: string[] = [];
  for (const block of doc.blocks) {
    if (block.kind === 'rule') out.push(block.char.repeat(doc.columns));
    else if (block.kind === 'feed') for (let i = 0; i < block.lines; i++) out.push('');
    else if (block.kind === 'qr') out.push(`[QR: ${block.text}]`);
    else {
      const width = block.large ? doc.columns / 2 : doc.columns;
      const pad = width - block.text.length;
      const left = block.align === 'center' ? Math.floor(pad / 2) : block.align === 'right' ? pad : 0;
      out.push(' '.repeat(left) + block.text);
    }
  }
  return out;
}
