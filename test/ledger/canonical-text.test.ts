import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, isCanonicalText, JcsError } from '../../domain/jcs.js';
import { limits } from '../../domain/limits.js';

/** What isCanonicalText replaces: write the canonical form and compare (a refusal is a JcsError). */
function slowAnswer(text: string): boolean | 'refused' {
  try {
    return canonicalJson(JSON.parse(text)) === text;
  } catch (e) {
    if (e instanceof JcsError) return 'refused';
    throw e;
  }
}

function fastAnswer(text: string): boolean | 'refused' {
  try {
    return isCanonicalText(JSON.parse(text), text);
  } catch (e) {
    if (e instanceof JcsError) return 'refused';
    throw e;
  }
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
