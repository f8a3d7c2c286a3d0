import assert from 'node:assert/strict';
import { shareBasisPointsFull } from './limits.js';

/**
 * Integer arithmetic of the split. The rounding rule, the one documented in docs/formats/rules.md:
 * the caisse's part of a line is `price × share / 10 000` rounded half up to the cent, and the member
 * pays the rest, so the two parts always add up to the price exactly.
 */

/** a / b rounded half up, for non-negative safe integers a and positive b. */
export function divideRoundHalfUp(a: number, b: number): number {
  assert.ok(Number.isSafeInteger(a) && a >= 0 && Number.isSafeInteger(b) && b > 0, `divideRoundHalfUp(${a}, ${b})`);
  assert.ok(Number.isSafeInteger(2 * a + b), 'divideRoundHalfUp overflows');
  return Math.floor((2 * a + b) / (2 * b));
}

export interface Split {
  readonly caisseCents: number;
  readonly memberCents: number;
}

export function splitByShare(priceCents: number, shareBasisPoints: number): Split {
  assert.ok(shareBasisPoints >= 0 && shareBasisPoints <= shareBasisPointsFull, `share ${shareBasisPoints}`);
  const caisseCents = divideRoundHalfUp(priceCents * shareBasisPoints, shareBasisPointsFull);
  const split = { caisseCents, memberCents: priceCents - caisseCents };
  assert.ok(split.memberCents >= 0 && split.caisseCents + split.memberCents === priceCents);
  return split;
}

/** The price of a weighed quantity at a price per kilogram, rounded half up to the cent. */
export function priceOfWeight(centsPerKg: number, weightGrams: number): number {
  return divideRoundHalfUp(centsPerKg * weightGrams, 1000);
}
