import { internalCodeCharsMax } from './limits.js';

/**
 * Product codes as shops print and scan them, and the key under which a catalogue files each product.
 *
 * - GTINs: EAN-13, EAN-8 and UPC-A, each with its GS1 check digit (General Specifications §7.9). A UPC-A
 *   is filed as the EAN-13 with a leading 0, so that a scanner reporting either form finds the product.
 * - GS1 restricted-circulation codes (EAN-13 starting with 2): the prefixes of `variableMeasureFormats`
 *   embed a weight or a price, as shop scales print them on weighed and bulk products; the other
 *   prefix-2 codes (20, 25–29) are shop-internal numbers looked up whole.
 * - PLUs (4 or 5 digits) for loose produce typed at the till.
 * - Shop-internal codes: a letter, then letters, digits and dashes (`VRAC-RIZ-1`).
 *
 * An all-digit code of any other length is refused: it is almost always a GTIN that lost a digit.
 */

export type CodeKind =
  | 'ean13'
  | 'ean8'
  | 'upca'
  | 'restricted'
  | 'variable-weight'
  | 'variable-price'
  | 'plu'
  | 'internal';

export interface VariableMeasureFormat {
  /** The two leading digits (GS1 prefixes 21–24, assigned by the shop's scale configuration). */
  readonly prefix: string;
  readonly measure: 'weight' | 'price';
  /** 5 value digits, or 4 value digits preceded by a price/weight check digit (GS1 §7.9.3). */
  readonly valueDigits: 4 | 5;
}

/**
 * Layouts (positions 1–13): `PP IIIII VVVVV C` for 5 value digits, `PP IIIII K VVVV C` for 4 value digits
 * with the check digit K over the value. Weights are in grams, prices in cents. These are the GS1 layouts
 * French scales (Bizerba, Mettler-Toledo, Dibal) offer; the prefix assignment below is this kit's default
 * and is documented in docs/formats/catalog.md.
 */
export const variableMeasureFormats: readonly VariableMeasureFormat[] = [
  { prefix: '21', measure: 'weight', valueDigits: 5 },
  { prefix: '22', measure: 'price', valueDigits: 5 },
  { prefix: '23', measure: 'price', valueDigits: 4 },
  { prefix: '24', measure: 'weight', valueDigits: 4 },
];

const formatByPrefix: ReadonlyMap<string, VariableMeasureFormat> = new Map(
  variableMeasureFormats.map((f) => [f.prefix, f]),
);

/** Length of the key of a variable-measure product: prefix and item reference, `21` + 5 digits. */
export const variableMeasureKeyDigits = 7;

export interface ParsedCode {
  /** The catalogue key: what `Catalog` indexes products by. */
  readonly key: string;
  readonly kind: CodeKind;
  /** Present for a 13-digit variable-measure code: the weight or price printed in it. */
  readonly embedded?: { readonly measure: 'weight'; readonly weightGrams: number } | { readonly measure: 'price'; readonly priceCents: number };
}

export interface CodeProblem {
  readonly problem: 'bad-barcode' | 'bad-check-digit';
  readonly detail: string;
}

export type CodeResult = { readonly ok: true; readonly code: ParsedCode } | { readonly ok: false; readonly error: CodeProblem };

/** GS1 mod-10 check digit of the digits before it (weights 3,1,3,… from the right). */
export function gs1CheckDigit(digitsWithoutCheck: string): number {
  let sum = 0;
  let weight = 3;
  for (let i = digitsWithoutCheck.length - 1; i >= 0; i--) {
    const d = digitsWithoutCheck.charCodeAt(i) - 48;
    if (d < 0 || d > 9) throw new Error(`not a digit string: ${digitsWithoutCheck}`);
    sum += d * weight;
    weight = 4 - weight;
  }
  return (10 - (sum % 10)) % 10;
}

// GS1 General Specifications §7.9.2: the weighted products of the price check digit algorithm.
const twoMinus = [0, 2, 4, 6, 8, 9, 1, 3, 5, 7] as const;
const three = [0, 3, 6, 9, 2, 5, 8, 1, 4, 7] as const;
const fiveMinus = [0, 5, 9, 4, 8, 3, 7, 2, 6, 1] as const;

/** GS1 §7.9.3: check digit over a 4-digit price or weight (weights 2-, 2-, 3, 5-, sum times 3). */
export function priceCheckDigit4(value: string): number {
  if (!/^\d{4}$/.test(value)) throw new Error(`a 4-digit value is expected, got ${value}`);
  const d = (i: number): number => value.charCodeAt(i) - 48;
  const sum = twoMinus[d(0)]! + twoMinus[d(1)]! + three[d(2)]! + fiveMinus[d(3)]!;
  return (sum * 3) % 10;
}

const isDigits = (s: string): boolean => /^\d+$/.test(s);

function checkGtin(code: string): CodeProblem | undefined {
  const expected = gs1CheckDigit(code.slice(0, -1));
  const actual = code.charCodeAt(code.length - 1) - 48;
  if (expected === actual) return undefined;
  return { problem: 'bad-check-digit', detail: `${code}: check digit ${actual}, expected ${expected}` };
}

/**
 * A USB scanner is a keyboard: set up as QWERTY on a French AZERTY till, it types the digit row unshifted,
 * `&é"'(-è_çà` for 1234567890. A code made only of those characters is read back as digits; no real code
 * looks like that (internal codes start with a letter A–Z).
 */
const azertyDigitRow: Readonly<Record<string, string>> = { '&': '1', 'é': '2', '"': '3', "'": '4', '(': '5', '-': '6', 'è': '7', '_': '8', 'ç': '9', 'à': '0' };
const azertyDigitRowPattern = /^[&é"'(\-è_çà]+$/;

export function fromAzertyDigitRow(text: string): string {
  if (!azertyDigitRowPattern.test(text)) return text;
  let digits = '';
  for (const ch of text) digits += azertyDigitRow[ch] ?? ch;
  return digits;
}

/** Parses a code from a catalogue line or a scanner. Never throws on bad input. */
export function parseCode(raw: string): CodeResult {
  const text = fromAzertyDigitRow(raw.trim());
  if (text.length === 0) return { ok: false, error: { problem: 'bad-barcode', detail: 'empty code' } };
  if (!isDigits(text)) {
    const upper = text.toUpperCase();
    if (upper.length <= internalCodeCharsMax && /^[A-Z][A-Z0-9-]*$/.test(upper)) {
      return { ok: true, code: { key: upper, kind: 'internal' } };
    }
    return {
      ok: false,
      error: { problem: 'bad-barcode', detail: `${JSON.stringify(text.slice(0, 40))}: neither digits nor an internal code (letter, then letters, digits, dashes)` },
    };
  }
  switch (text.length) {
    case 4:
    case 5:
      return { ok: true, code: { key: text, kind: 'plu' } };
    case 7: {
      const format = formatByPrefix.get(text.slice(0, 2));
      if (format === undefined) break;
      return { ok: true, code: { key: text, kind: format.measure === 'weight' ? 'variable-weight' : 'variable-price' } };
    }
    case 8: {
      const bad = checkGtin(text);
      return bad ? { ok: false, error: bad } : { ok: true, code: { key: text, kind: 'ean8' } };
    }
    case 12: {
      const bad = checkGtin(text);
      return bad ? { ok: false, error: bad } : { ok: true, code: { key: `0${text}`, kind: 'upca' } };
    }
    case 13:
      return parseEan13(text);
    default:
      break;
  }
  return {
    ok: false,
    error: { problem: 'bad-barcode', detail: `${text}: ${text.length} digits (EAN-13, EAN-8, UPC-A, a PLU of 4–5 digits or a weighed-product key 21xxxxx expected)` },
  };
}

function parseEan13(text: string): CodeResult {
  const bad = checkGtin(text);
  if (bad) return { ok: false, error: bad };
  const format = text[0] === '2' ? formatByPrefix.get(text.slice(0, 2)) : undefined;
  if (format === undefined) {
    return { ok: true, code: { key: text, kind: text[0] === '2' ? 'restricted' : 'ean13' } };
  }
  const key = text.slice(0, variableMeasureKeyDigits);
  const kind: CodeKind = format.measure === 'weight' ? 'variable-weight' : 'variable-price';
  let valueText: string;
  if (format.valueDigits === 4) {
    valueText = text.slice(8, 12);
    const expected = priceCheckDigit4(valueText);
    const actual = text.charCodeAt(7) - 48;
    if (expected !== actual) {
      return { ok: false, error: { problem: 'bad-check-digit', detail: `${text}: value check digit ${actual}, expected ${expected}` } };
    }
  } else {
    valueText = text.slice(7, 12);
  }
  const value = Number(valueText);
  const embedded = format.measure === 'weight' ? { measure: 'weight' as const, weightGrams: value } : { measure: 'price' as const, priceCents: value };
  return { ok: true, code: { key, kind, embedded } };
}

/** Builds a full EAN-13 from 12 digits: used by fixtures, tests and the approved-list export. */
export function withCheckDigit(digitsWithoutCheck: string): string {
  return `${digitsWithoutCheck}${gs1CheckDigit(digitsWithoutCheck)}`;
}

/**
 * The 13-digit label a scale prints for a variable-measure product key and a value (grams or cents),
 * or with value 0 the template a shop's till lists. Throws on a value that does not fit: callers pass
 * their own data.
 */
export function variableMeasureCode(key: string, value: number): string {
  const format = formatByPrefix.get(key.slice(0, 2));
  if (format === undefined || key.length !== variableMeasureKeyDigits || !isDigits(key)) throw new Error(`not a variable-measure key: ${key}`);
  if (!Number.isSafeInteger(value) || value < 0 || value >= 10 ** format.valueDigits) throw new Error(`value ${value} does not fit ${format.valueDigits} digits`);
  const valueText = String(value).padStart(format.valueDigits, '0');
  const body = format.valueDigits === 4 ? `${key}${priceCheckDigit4(valueText)}${valueText}` : `${key}${valueText}`;
  return withCheckDigit(body);
}

/** The code a shop's own till or scanner knows a product by, from its catalogue key. */
export function displayCode(key: string, kind: CodeKind): string {
  return kind === 'variable-weight' || kind === 'variable-price' ? variableMeasureCode(key, 0) : key;
}
