import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, isCanonicalText, JcsError } from '../../domain/jcs.js';
import { limits } from '../../domain/limits.js';

/**
 * RFC 8785 for the values our formats allow, written independently of domain/jcs.ts and as plainly as
 * possible: keys sorted, strings as JSON.stringify quotes them, safe integers, nothing else.
 */
function referenceJcs(value: unknown, depth = 0): string {
  if (depth > limits.jsonDepthMax) throw new JcsError('too deep');
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new JcsError('not a safe integer');
    return String(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${Array.from(value, (item: unknown) => referenceJcs(item, depth + 1)).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const fields = Object.keys(record)
      .sort()
      .filter((k) => record[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${referenceJcs(record[k], depth + 1)}`);
    return `{${fields.join(',')}}`;
  }
  throw new JcsError(`a ${typeof value}`);
}

function answer(write: () => string | boolean): string | boolean {
  try {
    return write();
  } catch (e) {
    if (e instanceof JcsError) return 'refused';
    throw e;
  }
}

/** What isCanonicalText replaces: write the canonical form and compare (a refusal is a JcsError). */
function slowAnswer(text: string): boolean | string {
  return answer(() => referenceJcs(JSON.parse(text)) === text);
}

function fastAnswer(text: string): boolean | string {
  return answer(() => isCanonicalText(JSON.parse(text), text));
}

// Keys JavaScript enumerates as array indices ("9" before "10") and keys needing escapes.
const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('9', '10', '0', '01', 'a', 'B', '\u00e9', '"', '__proto__', '\ud800'));
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.integer(),
    fc.constantFrom(2 ** 53, -0, 1.5, 1e21, true, false, null),
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  ),
})).value;

class Point {
  x = 1;
}

/** Values JSON.stringify writes otherwise than JCS, or at all where JCS refuses. */
const notJson = fc.constantFrom<unknown>(
  undefined,
  () => 1,
  Symbol('s'),
  10n,
  new Date(0),
  new Point(),
  new Map([['a', 1]]),
  Object.assign([1, 2], { toJSON: () => 'x' }),
  Object.assign(Object.create(null) as object, { b: 1, a: 2 }),
  Object.assign(Object.create({ inherited: 1 }) as object, { own: 2 }),
  [1, , 3],
  { toJSON: () => 'x' },
  { a: undefined, b: 1 },
  { b: undefined, a: 1 },
);

const anyValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    json,
    notJson,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** The same object with its keys in sorted order at every level: what the fast path takes. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(record).sort()) out[k] = sortedKeys(record[k]);
  return out;
}

describe('canonicalJson', () => {
  it('writes what a plain RFC 8785 writer writes, or refuses as it does, keys in any order and values of any kind', () => {
    fc.assert(
      fc.property(anyValue, fc.boolean(), (raw, sort) => {
        const value = sort ? sortedKeys(raw) : raw;
        expect(answer(() => canonicalJson(value))).toBe(answer(() => referenceJcs(value)));
      }),
      { numRuns: 10000 },
    );
  });

  it('takes neither a toJSON nor an inherited field nor an undefined in an array, in key order or not', () => {
    expect(canonicalJson({ a: 1, b: new Date(0) })).toBe('{"a":1,"b":{}}');
    expect(canonicalJson({ a: Object.assign([1], { toJSON: () => 'x' }) })).toBe('{"a":[1]}');
    expect(canonicalJson({ a: 1, c: undefined })).toBe('{"a":1}');
    expect(() => canonicalJson([1, undefined])).toThrow(JcsError);
    expect(() => canonicalJson({ a: () => 1 })).toThrow(JcsError);
    expect(() => canonicalJson({ a: 10n })).toThrow(JcsError);
    expect(canonicalJson(Object.assign(Object.create({ z: 1 }) as object, { a: 1 }))).toBe('{"a":1}');
    expect(canonicalJson({ '10': 1, '9': 2, a: '\ud800' })).toBe('{"10":1,"9":2,"a":"\\ud800"}');
    // A toJSON JSON.stringify would call and a walk of the keys does not see; boxed primitives.
    const hidden = { a: 1 };
    Object.defineProperty(hidden, 'toJSON', { value: () => ({ z: 1.5 }) });
    expect(canonicalJson({ x: hidden })).toBe('{"x":{"a":1}}');
    const proxied = new Proxy({ a: 1 }, { get: (target, key) => (key === 'toJSON' ? () => 'p' : Reflect.get(target, key)) });
    expect(canonicalJson(proxied)).toBe('{"a":1}');
    expect(canonicalJson(Object.setPrototypeOf(new Boolean(false), Object.prototype))).toBe('{}');
    expect(canonicalJson(Object.setPrototypeOf(new String('ab'), Object.prototype))).toBe('{"0":"a","1":"b"}');
    expect(canonicalJson(Object.setPrototypeOf(new Number(2), null))).toBe('{}');
    const prototype = Object.prototype as { toJSON?: unknown };
    prototype.toJSON = () => 'polluted';
    try {
      expect(canonicalJson({ a: 1 })).toBe('{"a":1}');
    } finally {
      delete prototype.toJSON;
    }
  });
});

describe('isCanonicalText', () => {
  it('gives the answer of writing the canonical form and comparing, for canonical and other spellings', () => {
    fc.assert(
      fc.property(json, fc.constantFrom('canonical', 'stringify', 'indented'), (value, spelling) => {
        let text: string;
        try {
          text = spelling === 'canonical' ? canonicalJson(value) : spelling === 'stringify' ? JSON.stringify(value) : JSON.stringify(value, null, 1);
        } catch (e) {
          if (e instanceof JcsError) return;
          throw e;
        }
        expect(fastAnswer(text)).toBe(slowAnswer(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('refuses keys out of order, whitespace, escapes written another way, and non-integers', () => {
    expect(isCanonicalText(JSON.parse('{"a":1,"b":2}'), '{"a":1,"b":2}')).toBe(true);
    expect(isCanonicalText(JSON.parse('{"b":2,"a":1}'), '{"b":2,"a":1}')).toBe(false);
    expect(isCanonicalText(JSON.parse('{"a": 1}'), '{"a": 1}')).toBe(false);
    expect(isCanonicalText(JSON.parse('["\\u0041"]'), '["\\u0041"]')).toBe(false);
    expect(isCanonicalText(JSON.parse('{"10":1,"9":2}'), '{"10":1,"9":2}')).toBe(true);
    expect(isCanonicalText(JSON.parse('{"9":2,"10":1}'), '{"9":2,"10":1}')).toBe(false);
    expect(() => isCanonicalText(JSON.parse('[1.5]'), '[1.5]')).toThrow(JcsError);
    expect(() => isCanonicalText(JSON.parse('[9007199254740992]'), '[9007199254740992]')).toThrow(JcsError);
    expect(isCanonicalText(JSON.parse('{"a":1,"a":1}'), '{"a":1,"a":1}')).toBe(false);
    expect(isCanonicalText(JSON.parse('[-0]'), '[-0]')).toBe(false);
    expect(isCanonicalText(JSON.parse('[0]'), '[0]')).toBe(true);
  });

  it('refuses nesting past the limit as canonicalJson does, and accepts it up to the limit', () => {
    const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
    const atLimit = nested(limits.jsonDepthMax);
    expect(isCanonicalText(JSON.parse(atLimit), atLimit)).toBe(true);
    expect(slowAnswer(atLimit)).toBe(true);
    const past = nested(limits.jsonDepthMax + 1);
    expect(fastAnswer(past)).toBe('refused');
    expect(slowAnswer(past)).toBe('refused');
  });
});
