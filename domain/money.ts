import type { Lang } from './error-spec.js';

/**
 * Money is integer cents, always. A branded type keeps a count of cents from being mixed up with any
 * other number; `cents()` is the one validating constructor.
 */
export type Cents = number & { readonly __brand: 'Cents' };

/** 10 million euros: far above any single posting a food caisse makes, far below 2^53. */
export const amountCentsMax = 1_000_000_000;
/** Balances are sums of postings; this bound keeps every sum exact in a double. */
export const balanceCentsMax = Number.MAX_SAFE_INTEGER;

export const assets = ['CCA', 'MNK'] as const;
/** CCA: the caisse's earmarked food allowance. MNK: Moneko, Loire-Atlantique's local currency. 1 = 1 EUR. */
export type Asset = (typeof assets)[number];

export function isAsset(value: unknown): value is Asset {
  return value === 'CCA' || value === 'MNK';
}

export function cents(value: number): Cents {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not an integer number of cents`);
  return value as Cents;
}

/** Adds with an overflow check: a sum past 2^53 would silently lose cents. */
export function addCents(a: number, b: number): Cents {
  const sum = a + b;
  if (!Number.isSafeInteger(sum)) throw new RangeError(`sum of ${a} and ${b} cents overflows`);
  return sum as Cents;
}

/**
 * "1 234,56 €" in French, "€1,234.56" in English. Uses plain spaces (not U+202F) so that receipts on
 * code-page printers and terminals show the same text.
 */
export function formatCents(amountCents: number, lang: Lang, unit = '€'): string {
  const negative = amountCents < 0;
  const abs = Math.abs(amountCents);
  const whole = Math.trunc(abs / 100);
  const frac = String(abs % 100).padStart(2, '0');
  const sep = lang === 'fr' ? ' ' : ',';
  const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  const sign = negative ? '-' : '';
  return lang === 'fr' ? `${sign}${grouped},${frac} ${unit}` : `${sign}${unit}${grouped}.${frac}`;
}
