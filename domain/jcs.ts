import { limits } from './limits.js';

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS) for the values our formats allow.
 *
 * Entries hold only strings, booleans, null, safe integers, arrays and objects: amounts are integer
 * cents and times integer milliseconds, so the float branch of RFC 8785 section 3.2.2.3 (ES6 number
 * serialisation) is never needed and anything that is not a safe integer is refused rather than
 * canonicalised. Strings use ES JSON.stringify escaping, which is what RFC 8785 section 3.2.2.2
 * prescribes; object keys are sorted by UTF-16 code units, which is JavaScript's default string order.
 */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export class JcsError extends Error {}

const encoder = new TextEncoder();
const objectTag = Object.prototype.toString;

/**
 * When every object's keys already come in JCS order (what JSON.parse makes of canonical text, and what
 * our builders make), JSON.stringify writes exactly the canonical form, natively and at a fraction of
 * the cost of walking it here: the body of every entry the ledger appends is canonicalised at least
 * once. Anything else (keys out of order, keys such as "10" and "9" that JavaScript enumerates as
 * numbers, a value JCS refuses) is written by `write`, which sorts and refuses.
 */
export function canonicalJson(value: unknown): string {
  return inJcsOrder(value, 0) ? JSON.stringify(value) : write(value, 0);
}

/** A safe integer as JCS writes it; anything else is refused, as `canonicalJson` refuses it. */
export function canonicalInteger(value: number): string {
  if (!Number.isSafeInteger(value)) throw new JcsError(`number ${value} is not a safe integer`);
  return String(value);
}

export function canonicalBytes(value: unknown): Uint8Array {
  return encoder.encode(canonicalJson(value));
}

/** Nesting beyond this is refused: our formats are at most a few levels deep. */
const depthMax = limits.jsonDepthMax;

/**
 * Whether `text`, which JSON.parse turned into `value`, is exactly canonicalJson(value): the check that
 * a leaf has its one spelling, made for every leaf an audit reads.
 */
export function isCanonicalText(value: unknown, text: string): boolean {
  return canonicalJson(value) === text;
}

/**
 * Whether JSON.stringify(value) is canonicalJson(value): only the values JCS writes (strings,
 * booleans, null, safe integers, arrays, plain objects), nested within the limit, every object's keys
 * in sorted order. What JSON.stringify would write differently is refused here and left to `write`:
 * an undefined, function, symbol or bigint where `write` throws (an undefined object field both skip),
 * an object that is not plain (a Date's toJSON, a class's inherited fields, a boxed primitive), and
 * anything with a toJSON. Values are data (what JSON.parse and the builders make): a getter that
 * answers differently each time it is read is read twice here, once by this walk and once by
 * JSON.stringify.
 */
function inJcsOrder(value: unknown, depth: number): boolean {
  if (depth > depthMax) return false;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isSafeInteger(value);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (Array.isArray(value)) {
    if ((value as { toJSON?: unknown }).toJSON !== undefined) return false;
    for (let i = 0; i < value.length; i++) if (!inJcsOrder(value[i], depth + 1)) return false;
    return true;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  // A toJSON anywhere (non-enumerable, inherited from a polluted Object.prototype, or a proxy's), and
  // a boxed primitive given a plain prototype, would make JSON.stringify write something else.
  if ((value as { toJSON?: unknown }).toJSON !== undefined || objectTag.call(value) !== '[object Object]') return false;
  const record = value as Record<string, unknown>;
  let previous: string | undefined;
  // for…in rather than Object.keys (no array per object): on a plain object, its own enumerable keys
  // in JSON.stringify's order (index-like keys first, ascending, then in insertion order).
  for (const key in record) {
    if (previous !== undefined && !(previous < key)) return false;
    const item = record[key];
    if (item !== undefined && !inJcsOrder(item, depth + 1)) return false;
    previous = key;
  }
  return true;
}

/**
 * Builds the text by string concatenation (V8 ropes) rather than an array of parts joined at the end:
 * this runs several times per entry on the ledger's hot path (body, leaf, basket lines).
 */
function write(value: unknown, depth: number): string {
  if (depth > depthMax) throw new JcsError('value nested too deeply');
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(value)) throw new JcsError(`number ${value} is not a safe integer`);
      // String(-0) is "0", as RFC 8785 wants.
      return String(value);
    case 'string':
      return quote(value);
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          out += write(value[i], depth + 1);
        }
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const item = record[key];
        // Absent optional fields are simply left out, as JSON.stringify does.
        if (item === undefined) continue;
        if (!first) out += ',';
        first = false;
        out += `${quote(key)}:${write(item, depth + 1)}`;
      }
      return `${out}}`;
    }
    default:
      throw new JcsError(`cannot canonicalise a ${typeof value}`);
  }
}

/**
 * Characters JSON.stringify escapes: quote, backslash, controls, and UTF-16 surrogates (which it
 * escapes when lone). Strings without any, nearly all of ours, are quoted as they are.
 */
const needsEscape = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JCS writes it (for encoders of fixed shapes that write their own braces). */
export function quote(text: string): string {
  return needsEscape.test(text) ? JSON.stringify(text) : `"${text}"`;
}
