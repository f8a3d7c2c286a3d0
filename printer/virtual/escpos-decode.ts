import iconv from 'iconv-lite';
import { virtualTicketLinesMax } from '../limits.js';

/**
 * An ESC/POS byte stream back into what a printer would put on paper: text lines with their style,
 * QR codes (from the GS ( k data), raster images (GS v 0), feeds and cuts. Used by the virtual printer
 * and by tests; it understands what our encoder sends plus the common commands of other software, and
 * skips anything else with an "unknown" event rather than failing. Bytes may arrive in any chunks.
 */

export type Align = 'left' | 'center' | 'right';

export interface TextRun {
  readonly text: string;
  readonly bold: boolean;
  readonly underline: boolean;
  readonly widthScale: number;
  readonly heightScale: number;
}

export type TicketItem =
  | { readonly kind: 'text'; readonly runs: readonly TextRun[]; readonly align: Align }
  | { readonly kind: 'qr'; readonly data: string; readonly moduleDots: number; readonly errorLevel: 'L' | 'M' | 'Q' | 'H'; readonly align: Align }
  /** `bits`: rows of `widthBytes` bytes, most significant bit first, 1 = black (as in GS v 0). */
  | { readonly kind: 'image'; readonly widthBytes: number; readonly height: number; readonly bits: Uint8Array; readonly align: Align }
  | { readonly kind: 'feed'; readonly dots: number };

export type DecoderEvent =
  | { readonly type: 'init' }
  | { readonly type: 'codepage'; readonly n: number; readonly name: string }
  | { readonly type: 'qr'; readonly data: string }
  | { readonly type: 'image'; readonly widthDots: number; readonly height: number }
  | { readonly type: 'cut'; readonly mode: 'full' | 'partial' }
  | { readonly type: 'status-request'; readonly n: number }
  | { readonly type: 'unknown'; readonly hex: string };

export interface DecodedTicket {
  readonly items: readonly TicketItem[];
  /** The text of each text item, without styles (leading spaces of aligned lines kept). */
  readonly lines: readonly string[];
  /** How the ticket ended: a cut, or `null` when the stream ended (or overflowed) without one. */
  readonly cut: 'full' | 'partial' | null;
  readonly qrCodes: readonly string[];
  readonly events: readonly DecoderEvent[];
}

/** ESC t n numbers as Epson and the common clones number them. */
const codepageNames: ReadonlyMap<number, string> = new Map([
  [0, 'cp437'],
  [2, 'cp850'],
  [3, 'cp860'],
  [4, 'cp863'],
  [5, 'cp865'],
  [16, 'windows1252'],
  [17, 'cp866'],
  [18, 'cp852'],
  [19, 'cp858'],
]);

const tableCache = new Map<string, string[]>();

function codepageTable(name: string): string[] {
  let table = tableCache.get(name);
  if (!table) {
    const bytes = Buffer.alloc(256);
    for (let i = 0; i < 256; i++) bytes[i] = i;
    table = [...iconv.decode(bytes, name)];
    if (table.length !== 256) throw new Error(`code page ${name} does not map one byte to one character`);
    tableCache.set(name, table);
  }
  return table;
}

const NEED_MORE = -1;

interface Style {
  bold: boolean;
  underline: boolean;
  widthScale: number;
  heightScale: number;
  align: Align;
}

function initialStyle(): Style {
  return { bold: false, underline: false, widthScale: 1, heightScale: 1, align: 'left' };
}

function alignOf(n: number): Align {
  const v = n >= 48 ? n - 48 : n;
  return v === 1 ? 'center' : v === 2 ? 'right' : 'left';
}

/**
 * A streaming decoder. `push` returns the tickets completed by the bytes given (each ends with a cut)
 * and answers to status requests; `answer` decides those (return undefined to stay silent).
 */
export class EscPosDecoder {
  readonly #answer: (n: number) => number | undefined;
  #pending: Uint8Array = new Uint8Array(0);
  #style: Style = initialStyle();
  #table = codepageTable('cp437');
  #runs: TextRun[] = [];
  #runText = '';
  #lineAlign: Align | null = null;
  #items: TicketItem[] = [];
  #events: DecoderEvent[] = [];
  #qr = { data: '', moduleDots: 3, errorLevel: 'L' as 'L' | 'M' | 'Q' | 'H' };
  #completed: DecodedTicket[] = [];
  #replies: number[] = [];

  constructor(answer: (n: number) => number | undefined = () => undefined) {
    this.#answer = answer;
  }

  push(chunk: Uint8Array): { tickets: DecodedTicket[]; replies: number[] } {
    const data = new Uint8Array(this.#pending.length + chunk.length);
    data.set(this.#pending, 0);
    data.set(chunk, this.#pending.length);
    let at = 0;
    while (at < data.length) {
      const used = this.#step(data, at);
      if (used === NEED_MORE) break;
      at += used;
    }
    this.#pending = data.slice(at);
    const out = { tickets: this.#completed, replies: this.#replies };
    this.#completed = [];
    this.#replies = [];
    return out;
  }

  /** Ends the stream: whatever was printed since the last cut becomes an uncut ticket. */
  finish(): DecodedTicket | null {
    this.#endLine(false);
    // Blank lines after the last cut (encoders often end with a line feed) are not a ticket.
    const blank = this.#items.every((item) => item.kind === 'feed' || (item.kind === 'text' && item.runs.every((r) => r.text.trim() === '')));
    if (blank) {
      this.#items = [];
      return null;
    }
    return this.#closeTicket(null);
  }

  /** Bytes of an incomplete command still waiting for the rest. */
  get pendingBytes(): number {
    return this.#pending.length;
  }

  #step(d: Uint8Array, at: number): number {
    const b = d[at]!;
    const left = d.length - at;
    const arg = (i: number): number => d[at + i]!;
    if (b === 0x0a || b === 0x0c) {
      this.#endLine(true);
      return 1;
    }
    if (b === 0x0d) return 1;
    if (b === 0x09) {
      this.#char(' ');
      return 1;
    }
    if (b === 0x1b) {
      if (left < 2) return NEED_MORE;
      const c = arg(1);
      const threeByte = (apply: (n: number) => void): number => {
        if (left < 3) return NEED_MORE;
        apply(arg(2));
        return 3;
      };
      switch (c) {
        case 0x40: // ESC @
          this.#endLine(false);
          this.#style = initialStyle();
          this.#setCodepage(0, false);
          this.#events.push({ type: 'init' });
          return 2;
        case 0x74: // ESC t n
          return threeByte((n) => this.#setCodepage(n, true));
        case 0x45: // ESC E n
        case 0x47: // ESC G n
          return threeByte((n) => this.#setStyle({ bold: (n & 1) === 1 }));
        case 0x2d: // ESC - n
          return threeByte((n) => this.#setStyle({ underline: (n & 3) !== 0 && n !== 48 }));
        case 0x61: // ESC a n
          return threeByte((n) => {
            this.#style.align = alignOf(n);
          });
        case 0x21: // ESC ! n
          return threeByte((n) =>
            this.#setStyle({ bold: (n & 0x08) !== 0, heightScale: n & 0x10 ? 2 : 1, widthScale: n & 0x20 ? 2 : 1, underline: (n & 0x80) !== 0 }),
          );
        case 0x64: // ESC d n: print and feed n lines
          return threeByte((n) => {
            this.#endLine(true);
            for (let i = 0; i < n; i++) this.#endLine(true);
          });
        case 0x4a: // ESC J n: print and feed n dots
          return threeByte((n) => {
            this.#endLine(false);
            this.#items.push({ kind: 'feed', dots: n });
          });
        case 0x32: // ESC 2
        case 0x3c: // ESC <
        case 0x69: // ESC i (cut, old)
        case 0x6d: // ESC m (cut, old)
          if (c === 0x69 || c === 0x6d) this.#cut(c === 0x69 ? 'full' : 'partial');
          return 2;
        case 0x33: // ESC 3 n line spacing
        case 0x4d: // ESC M n font
        case 0x52: // ESC R n international set
        case 0x7b: // ESC { n upside down
        case 0x56: // ESC V n rotation
        case 0x72: // ESC r n colour
        case 0x20: // ESC SP n character spacing
        case 0x55: // ESC U n
        case 0x3d: // ESC = n
        case 0x34: // ESC 4 n (italic on some models)
        case 0x63: // ESC c n (panel keys, paper sensors) — 4 bytes for "ESC c 3/4/5 n"
          if (c === 0x63) return left < 4 ? NEED_MORE : 4;
          return left < 3 ? NEED_MORE : 3;
        case 0x70: // ESC p m t1 t2: drawer pulse
          return left < 5 ? NEED_MORE : 5;
        case 0x44: {
          // ESC D n1 … nk NUL: tab positions
          for (let i = at + 2; i < d.length; i++) if (d[i] === 0) return i - at + 1;
          return NEED_MORE;
        }
        case 0x2a: {
          // ESC * m nL nH data: column image; skipped (our encoder sends raster images)
          if (left < 5) return NEED_MORE;
          const width = arg(3) + arg(4) * 256;
          const total = 5 + width * (arg(2) >= 32 ? 3 : 1);
          if (left < total) return NEED_MORE;
          this.#unknown(d, at, 5);
          return total;
        }
        default:
          this.#unknown(d, at, 2);
          return 2;
      }
    }
    if (b === 0x1c) {
      // FS: Kanji mode commands, all harmless here
      if (left < 2) return NEED_MORE;
      const c = arg(1);
      if (c === 0x2e || c === 0x26) return 2;
      if (c === 0x43 || c === 0x21 || c === 0x2d || c === 0x57) return left < 3 ? NEED_MORE : 3;
      this.#unknown(d, at, 2);
      return 2;
    }
    if (b === 0x1d) return this.#gs(d, at);
    if (b === 0x10) {
      if (left < 2) return NEED_MORE;
      const c = arg(1);
      if (c === 0x04) {
        if (left < 3) return NEED_MORE;
        const n = arg(2);
        const extra = n === 7 || n === 8 || n === 18 ? 1 : 0;
        if (left < 3 + extra) return NEED_MORE;
        this.#events.push({ type: 'status-request', n });
        const reply = this.#answer(n);
        if (reply !== undefined) this.#replies.push(reply);
        return 3 + extra;
      }
      if (c === 0x05) return left < 3 ? NEED_MORE : 3;
      if (c === 0x14) return left < 5 ? NEED_MORE : 5;
      return 1; // a lone DLE
    }
    if (b < 0x20 || b === 0x7f) return 1; // other control bytes: nothing to print
    this.#char(this.#table[b]!);
    return 1;
  }

  #gs(d: Uint8Array, at: number): number {
    const left = d.length - at;
    if (left < 2) return NEED_MORE;
    const arg = (i: number): number => d[at + i]!;
    const c = arg(1);
    switch (c) {
      case 0x21: // GS ! n
        if (left < 3) return NEED_MORE;
        this.#setStyle({ widthScale: ((arg(2) >> 4) & 7) + 1, heightScale: (arg(2) & 7) + 1 });
        return 3;
      case 0x56: {
        // GS V m [n]
        if (left < 3) return NEED_MORE;
        const m = arg(2);
        const length = m >= 65 ? 4 : 3;
        if (left < length) return NEED_MORE;
        this.#cut(m === 0 || m === 48 || m === 65 || m === 97 || m === 103 ? 'full' : 'partial');
        return length;
      }
      case 0x28: {
        // GS ( X pL pH …
        if (left < 5) return NEED_MORE;
        const length = arg(3) + arg(4) * 256;
        if (left < 5 + length) return NEED_MORE;
        if (arg(2) === 0x6b) this.#symbol(d.subarray(at + 5, at + 5 + length));
        else this.#unknown(d, at, 5);
        return 5 + length;
      }
      case 0x38: {
        // GS 8 L p1 p2 p3 p4 …: large graphics data, skipped
        if (left < 7) return NEED_MORE;
        const length = arg(3) + arg(4) * 256 + arg(5) * 65536 + arg(6) * 16777216;
        if (left < 7 + length) return NEED_MORE;
        this.#unknown(d, at, 7);
        return 7 + length;
      }
      case 0x76: {
        // GS v 0 m xL xH yL yH data
        if (left < 8) return NEED_MORE;
        const widthBytes = arg(4) + arg(5) * 256;
        const height = arg(6) + arg(7) * 256;
        const total = 8 + widthBytes * height;
        if (left < total) return NEED_MORE;
        this.#endLine(false);
        this.#items.push({ kind: 'image', widthBytes, height, bits: d.slice(at + 8, at + total), align: this.#style.align });
        this.#events.push({ type: 'image', widthDots: widthBytes * 8, height });
        return total;
      }
      case 0x6b: {
        // GS k m …: barcode, skipped
        if (left < 3) return NEED_MORE;
        const m = arg(2);
        if (m <= 6) {
          for (let i = at + 3; i < d.length; i++) if (d[i] === 0) return i - at + 1;
          return NEED_MORE;
        }
        if (left < 4) return NEED_MORE;
        const total = 4 + arg(3);
        if (left < total) return NEED_MORE;
        this.#unknown(d, at, 3);
        return total;
      }
      case 0x4c: // GS L nL nH
      case 0x57: // GS W nL nH
      case 0x50: // GS P x y
        return left < 4 ? NEED_MORE : 4;
      case 0x42: // GS B n
        return left < 3 ? NEED_MORE : 3;
      case 0x48: // GS H n
      case 0x68: // GS h n
      case 0x77: // GS w n
      case 0x66: // GS f n
      case 0x61: // GS a n
      case 0x62: // GS b n
      case 0x72: // GS r n
      case 0x49: // GS I n
        return left < 3 ? NEED_MORE : 3;
      default:
        this.#unknown(d, at, 2);
        return 2;
    }
  }

  /** GS ( k: cn 49 is QR (the rest, PDF417 and others, is skipped). */
  #symbol(p: Uint8Array): void {
    const cn = p[0];
    const fn = p[1];
    if (cn !== 49) {
      this.#events.push({ type: 'unknown', hex: `1d286b..${Buffer.from(p.subarray(0, 2)).toString('hex')}` });
      return;
    }
    if (fn === 67) this.#qr.moduleDots = Math.min(16, Math.max(1, p[2] ?? 3));
    else if (fn === 69) {
      const levels = ['L', 'M', 'Q', 'H'] as const;
      this.#qr.errorLevel = levels[((p[2] ?? 48) - 48) & 3]!;
    } else if (fn === 80) {
      this.#qr.data = Buffer.from(p.subarray(3)).toString('utf8');
    } else if (fn === 81) {
      this.#endLine(false);
      this.#items.push({ kind: 'qr', data: this.#qr.data, moduleDots: this.#qr.moduleDots, errorLevel: this.#qr.errorLevel, align: this.#style.align });
      this.#events.push({ type: 'qr', data: this.#qr.data });
    }
  }

  #setCodepage(n: number, announce: boolean): void {
    const name = codepageNames.get(n);
    this.#table = codepageTable(name ?? 'cp437');
    if (announce) this.#events.push({ type: 'codepage', n, name: name ?? `unknown ${n} (cp437 used)` });
  }

  #setStyle(change: Partial<Style>): void {
    this.#flushRun();
    this.#style = { ...this.#style, ...change };
  }

  #char(ch: string): void {
    if (this.#lineAlign === null) this.#lineAlign = this.#style.align;
    this.#runText += ch;
  }

  #flushRun(): void {
    if (this.#runText.length === 0) return;
    const s = this.#style;
    this.#runs.push({ text: this.#runText, bold: s.bold, underline: s.underline, widthScale: s.widthScale, heightScale: s.heightScale });
    this.#runText = '';
  }

  /** Ends the current line. `always`: a line feed prints an empty line too; other commands only flush text. */
  #endLine(always: boolean): void {
    this.#flushRun();
    if (this.#runs.length === 0 && !always) return;
    this.#items.push({ kind: 'text', runs: this.#runs, align: this.#lineAlign ?? this.#style.align });
    this.#runs = [];
    this.#lineAlign = null;
    if (this.#items.length >= virtualTicketLinesMax) this.#completed.push(this.#closeTicket(null));
  }

  #cut(mode: 'full' | 'partial'): void {
    this.#endLine(false);
    this.#events.push({ type: 'cut', mode });
    this.#completed.push(this.#closeTicket(mode));
  }

  #closeTicket(cut: 'full' | 'partial' | null): DecodedTicket {
    const items = this.#items;
    const lines: string[] = [];
    const qrCodes: string[] = [];
    for (const item of items) {
      if (item.kind === 'text') lines.push(item.runs.map((r) => r.text).join(''));
      if (item.kind === 'qr') qrCodes.push(item.data);
    }
    const ticket: DecodedTicket = { items, lines, cut, qrCodes, events: this.#events };
    this.#items = [];
    this.#events = [];
    return ticket;
  }

  #unknown(d: Uint8Array, at: number, length: number): void {
    this.#events.push({ type: 'unknown', hex: Buffer.from(d.subarray(at, Math.min(d.length, at + length))).toString('hex') });
  }
}
