/**
 * Decimal text to a scaled integer without ever going through a float: "3,50" at scale 2 is 350,
 * "12.5" at scale 2 is 1250. Accepts a comma or a dot, surrounding spaces, and a trailing unit sign
 * (€, %, "EUR") as till exports write them. Undefined for anything else, negative numbers included:
 * the caller reports the line.
 */
export function parseScaledDecimal(text: string, scaleDigits: number, max: number): number | undefined {
  const cleaned = text
    .trim()
    .replace(/\s*(€|%|eur|euros?)$/i, '')
    .replace(/\s/g, '');
  const match = /^(\d{1,12})(?:[.,](\d+))?$/.exec(cleaned);
  if (match === null) return undefined;
  const whole = match[1] ?? '0';
  const frac = match[2] ?? '';
  if (frac.length > scaleDigits) {
    // Extra decimals are accepted only when they are zeros ("3,500"): anything else would need rounding.
    if (!/^0*$/.test(frac.slice(scaleDigits))) return undefined;
  }
  const value = Number(whole) * 10 ** scaleDigits + Number(frac.slice(0, scaleDigits).padEnd(scaleDigits, '0') || '0');
  if (!Number.isSafeInteger(value) || value > max) return undefined;
  return value;
}

/** "1,2345" style coordinates to micro-degrees; signed. */
export function parseMicroDegrees(text: string, maxAbs: number): number | undefined {
  const t = text.trim();
  const negative = t.startsWith('-');
  const value = parseScaledDecimal(negative ? t.slice(1) : t, 6, maxAbs);
  if (value === undefined) return undefined;
  return negative ? -value : value;
}
