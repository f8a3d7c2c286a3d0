import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstRepeatedKey, JsonTooDeepError, repeatedKeyPath } from '../../domain/json-duplicate-keys.js';
import { limits } from '../../domain/limits.js';

// Keys and strings that trip a scanner: colons, quotes, backslashes, escapes, "__proto__".
const tricky = fc.constantFrom('a', ':', '":"', '\\', '\\"', 'x\\', '"', '__proto__', '\u00e9', '{', '}', ',', 'a:b');
const key = fc.oneof(fc.string({ maxLength: 5 }), tricky);
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.integer(),
    fc.constantFrom(true, false, null, 1.5, -0),
    fc.oneof(fc.string({ maxLength: 6 }), tricky),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A key written with every character escaped as \uXXXX: the same name to any JSON parser. */
function escapedName(name: string): string {
  return `"${Array.from(name, (ch) => Array.from({ length: ch.length }, (_, i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`).join('')).join('')}"`;
}

/**
 * Writes `value` as JSON with spaces here and there, repeating, in the `target`-th non-empty object met
 * (depth first), its first name at its end (escaped when `escape`). Answers the text and the path of the
 * repeated name, when there was such an object.
 */
function writeWithRepeat(value: unknown, target: number, escape: boolean): { text: string; path?: string } {
  let seen = 0;
  let path: string | undefined;
  const write = (v: unknown, at: (string | number)[]): string => {
    if (Array.isArray(v)) return `[ ${v.map((item, i) => write(item, [...at, i])).join(' ,\n')} ]`;
    if (typeof v === 'object' && v !== null) {
      const record = v as Record<string, unknown>;
      const keys = Object.keys(record);
      const members = keys.map((k) => `${JSON.stringify(k)} : ${write(record[k], [...at, k])}`);
      if (keys.length > 0 && path === undefined && seen++ === target) {
        const first = keys[0] ?? '';
        path = [...at, first].join('.');
        members.push(`${escape ? escapedName(first) : JSON.stringify(first)}:"again"`);
      }
      return `{${members.join(',\t')}}`;
    }
    return JSON.stringify(v);
  };
  const text = write(value, []);
  return path === undefined ? { text } : { text, path };
}

describe('names given twice in a JSON object', () => {
  it('finds none where there is none, whatever the strings and keys hold', () => {
    fc.assert(
      fc.property(json, (value) => {
        const text = writeWithRepeat(value, -1, false).text;
        expect(repeatedKeyPath(text, JSON.parse(text))).toBeUndefined();
        expect(firstRepeatedKey(text)).toBeUndefined();
      }),
      { numRuns: 3000 },
    );
  });

  it('names the one repeated, escaped or not, at any depth', () => {
    fc.assert(
      fc.property(json, fc.nat(20), fc.boolean(), (value, target, escape) => {
        const { text, path } = writeWithRepeat(value, target, escape);
        const found = repeatedKeyPath(text, JSON.parse(text));
        expect(found).toBe(path);
        expect(firstRepeatedKey(text)).toBe(path);
      }),
      { numRuns: 3000 },
    );
  });

  it('examples: the money field of a payment, a key and its escaped spelling, "__proto__"', () => {
    const payment = '{"entry":{"body":{"amountCents":100,"type":"payment","amountCents":10000}}}';
    expect(repeatedKeyPath(payment, JSON.parse(payment))).toBe('entry.body.amountCents');
    expect(firstRepeatedKey('{"a":1,"\\u0061":2}')).toBe('a');
    expect(firstRepeatedKey('[{"x":[1,{"__proto__":1,"__proto__":2}]}]')).toBe('0.x.1.__proto__');
    expect(firstRepeatedKey('{"a:b":1,"a":2,"b":{"a":3}}')).toBeUndefined();
  });

  it('leaves what is not JSON to the parser', () => {
    expect(firstRepeatedKey('{"a":1,"b"')).toBeUndefined();
    expect(firstRepeatedKey('{"a":1,"b":}')).toBeUndefined();
    // Text that repeats a name before it stops being JSON is refused for either reason alike.
    expect(firstRepeatedKey('{"a":1,"a":}')).toBe('a');
    expect(firstRepeatedKey('{"a" 1}')).toBeUndefined();
  });

  it('refuses whole a text nested deeper than any format, rather than read it again', () => {
    const levels = 100_000;
    const deep = `${'{"a":'.repeat(levels)}{"b":1,"b":2}${'}'.repeat(levels)}`;
    expect(() => repeatedKeyPath(deep, JSON.parse(deep))).toThrow(JsonTooDeepError);
    const batch = `{"entries":[{"entry":${'['.repeat(levels)}${']'.repeat(levels)}},{"entry":{"amountCents":1,"amountCents":999}}]}`;
    expect(() => repeatedKeyPath(batch, JSON.parse(batch))).toThrow(JsonTooDeepError);
    // Within the depth a batch of entries has, a repeat is found at its place.
    const nested = `{"entries":[{"entry":${'{"a":'.repeat(limits.jsonDepthMax)}{"b":1,"b":2}${'}'.repeat(limits.jsonDepthMax)}}]}`;
    expect(repeatedKeyPath(nested, JSON.parse(nested))).toBe(`entries.0.entry.${'a.'.repeat(limits.jsonDepthMax)}b`);
  });

  it('reads in time linear in the text: a body of a million strings and no colon is counted, not searched to its end each time', () => {
    // Quadratic, this took minutes (the test's timeout stops it); linear, a few milliseconds.
    const strings = `[${'"",'.repeat(1_000_000)}""]`;
    expect(repeatedKeyPath(strings, JSON.parse(strings))).toBeUndefined();
    const keyed = `[${'{"":""},'.repeat(300_000)}{"a":1,"a":2}]`;
    expect(repeatedKeyPath(keyed, JSON.parse(keyed))).toBe('300000.a');
  });

  it('counts own keys only, whatever Object.prototype holds', () => {
    const polluted = Object.prototype as Record<string, unknown>;
    polluted.injected = 1;
    try {
      expect(repeatedKeyPath('{"a":1}', JSON.parse('{"a":1}'))).toBeUndefined();
    } finally {
      delete polluted.injected;
    }
  });
});
