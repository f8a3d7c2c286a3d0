/**
 * Unicode text to what a receipt printer can print.
 *
 * We print with Windows-1252 (ESC t 16), not CP858: both carry the euro sign and every accented French
 * letter except one, but CP858 lacks "œ"/"Œ" (cœur, œuf, bœuf are common on food receipts) and
 * Windows-1252 has them; ESC t 16 selects it on Epson printers and on the common 58/80 mm clones
 * (POS-5890, Xprinter) alike. Typographic punctuation that Windows-1252 places in 0x80–0x9F (dashes,
 * curly quotes, ellipsis, bullet) is mapped to plain ASCII anyway: clone firmwares draw that range
 * unevenly, and a plain hyphen or quote reads the same on every printer. Anything else the code page
 * lacks (emoji, CJK, most other scripts) becomes "?" after trying to drop its accents.
 */

/** Characters replaced by plain ones, whether or not the code page has them. */
const replacements: ReadonlyMap<string, string> = new Map([
  ['\u2014', '-'], // em dash
  ['\u2013', '-'], // en dash
  ['\u2012', '-'],
  ['\u2010', '-'],
  ['\u2011', '-'], // non-breaking hyphen
  ['\u2212', '-'], // minus sign
  ['\u2018', "'"],
  ['\u2019', "'"], // typographic apostrophe: "l’épicerie"
  ['\u201A', ','],
  ['\u201B', "'"],
  ['\u2032', "'"],
  ['\u201C', '"'],
  ['\u201D', '"'],
  ['\u201E', '"'],
  ['\u201F', '"'],
  ['\u2033', '"'],
  ['\u2039', '<'],
  ['\u203A', '>'],
  ['\u2026', '...'],
  ['\u2022', '*'],
  ['\u00B7', '.'],
  ['\u2020', '+'],
  ['\u2021', '+'],
  ['\u2030', 'o/oo'],
  ['\u2122', 'TM'],
  ['\u02C6', '^'],
  ['\u02DC', '~'],
  ['\u0192', 'f'],
  ['\u00A0', ' '], // no-break space: printers draw it, but a plain space lays out the same
  ['\u202F', ' '], // narrow no-break space, used by French number formatting
  ['\u2007', ' '],
  ['\u2009', ' '],
  ['\u200A', ' '],
  ['\u2002', ' '],
  ['\u2003', ' '],
  ['\t', ' '],
  ['\u0141', 'L'], // letters with a stroke do not decompose: Ł, ł, Đ, đ, ı
  ['\u0142', 'l'],
  ['\u0110', 'D'],
  ['\u0111', 'd'],
  ['\u0131', 'i'],
  ['\u2713', 'v'], // check mark
  ['\u2714', 'v'],
  ['\u00AD', ''], // soft hyphen
  ['\u200B', ''], // zero-width space
  ['\u200C', ''],
  ['\u200D', ''],
  ['\uFEFF', ''],
]);

/** Windows-1252 letters in 0x80–0x9F that we keep (the rest of that range is punctuation, mapped above). */
const keptHighLetters = new Set(['€', 'Š', 'š', 'Œ', 'œ', 'Ž', 'ž', 'Ÿ']);

/** The character printed for anything the code page cannot show. */
export const replacementChar = '?';

function isPrintable1252(ch: string): boolean {
  const code = ch.codePointAt(0)!;
  if (code >= 0x20 && code <= 0x7e) return true;
  if (code >= 0xa1 && code <= 0xff) return true;
  return keptHighLetters.has(ch);
}

/**
 * Maps one string to characters printable with Windows-1252, so that its length is also the number
 * of columns it takes. Control characters are dropped: a product name must never smuggle an ESC/POS
 * command onto the printer.
 */
export function toPrintable(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const replaced = replacements.get(ch);
    if (replaced !== undefined) {
      out += replaced;
      continue;
    }
    if (isPrintable1252(ch)) {
      out += ch;
      continue;
    }
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) continue; // C0 and C1 controls, DEL
    if (code >= 0xfe00 && code <= 0xfe0f) continue; // variation selectors (after emoji)
    if (code >= 0x1f3fb && code <= 0x1f3ff) continue; // skin-tone modifiers
    // "ā", "ő", "ș": drop the accent when the bare letter is printable.
    const bare = ch.normalize('NFD').replace(/\p{M}/gu, '');
    out += bare.length > 0 && [...bare].every(isPrintable1252) ? bare : replacementChar;
  }
  return out;
}
