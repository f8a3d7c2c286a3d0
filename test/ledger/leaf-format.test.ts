import { describe, expect, it } from 'vitest';
import { limits } from '../../domain/limits.js';
import { decodeSubmission } from '../../ledger/http/decode.js';
import { decodeLeaf, LeafFormatError } from '../../ledger/formats/leaf.js';
import { CaisseError } from '../../domain/error-spec.js';

/**
 * decodeLeaf on hand-written leaves: what the schema's copy of a leaf holds must be exactly what the
 * leaf holds, or two leaves would decode to one entry.
 */
const signature = Buffer.alloc(64, 9).toString('base64');
const hash = 'ab'.repeat(32);

/** A rules.publish leaf in canonical form (keys sorted), with `document` written as given. */
function rulesLeaf(documentJson: string, sig = signature): Uint8Array {
  const body = `{"createdAtMs":1795464201425,"document":${documentJson},"documentHash":"${hash}","id":"rules-nantes-1","territory":"nantes","type":"rules.publish","v":1,"version":"1"}`;
  return Buffer.from(`{"body":${body},"index":3,"ledgerTimeMs":1795464201452,"signatures":[{"keyId":"0123456789abcdef","signature":"${sig}"}]}`, 'utf8');
}

function refusal(leaf: Uint8Array): string {
  try {
    decodeLeaf(leaf);
  } catch (e) {
    if (e instanceof LeafFormatError) return e.message;
    throw e;
  }
  return 'accepted';
}

describe('leaf format', () => {
  it('accepts a canonical rules leaf, and refuses it once its document has a "__proto__" key', () => {
    const sealed = decodeLeaf(rulesLeaf('{"a":1,"b":{"c":[1,2]}}'));
    expect(sealed.body.type).toBe('rules.publish');
    // zod's record would drop the key and return the first leaf's entry for the second leaf.
    expect(refusal(rulesLeaf('{"__proto__":{},"a":1,"b":{"c":[1,2]}}'))).toMatch(/__proto__/);
    expect(refusal(rulesLeaf('{"a":1,"b":{"__proto__":[],"c":[1,2]}}'))).toMatch(/__proto__/);
    // A key that only ends with those characters is an ordinary key.
    expect(refusal(rulesLeaf('{"a":1,"x\\"__proto__":2}'))).toBe('accepted');
    // Spelled with an escape it slips past the text search, and is refused as not canonical.
    expect(refusal(rulesLeaf('{"\\u005f_proto__":{},"a":1}'))).toMatch(/canonical/);
    // A fraction or nesting past the limit in a document: refused as a leaf, never another error.
    expect(refusal(rulesLeaf('{"a":1.5}'))).toMatch(/canonical form/);
    expect(refusal(rulesLeaf(`{"a":${'['.repeat(40)}1${']'.repeat(40)}}`))).toMatch(/canonical form/);
  });

  it('refuses signatures that are not the canonical base64 of exactly 64 bytes', () => {
    // 88 digits without padding are 66 bytes, 87 and one '=' are 65: the old length check let both by.
    for (const sig of ['A'.repeat(88), `${'A'.repeat(87)}=`, `${signature.slice(0, 85)}B==`]) expect(refusal(rulesLeaf('{"a":1}', sig))).toMatch(/signature/);
    expect(refusal(rulesLeaf('{"a":1}', signature))).toBe('accepted');
  });

  it('refuses a submission with a "__proto__" key anywhere, before any other check', () => {
    const value: unknown = JSON.parse('{"entry":{"body":{"document":{"__proto__":{"admin":true}}},"signatures":[]}}');
    try {
      decodeSubmission(value);
      expect.unreachable('a __proto__ key was accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(CaisseError);
      expect((e as CaisseError).code).toBe('LEDGER_INVALID_ENTRY');
      expect((e as CaisseError).detail).toBe('entry.body.document.__proto__: key not allowed');
    }
  });

  it('names where a submission goes wrong: unsafe numbers, nesting and "__proto__", in arrays and under a batch prefix', () => {
    const refusal = (json: string, where = ''): string => {
      try {
        decodeSubmission(JSON.parse(json), where);
        return 'accepted';
      } catch (e) {
        return e instanceof CaisseError ? `${e.code} ${e.detail}` : String(e);
      }
    };
    const nested = (depth: number) => `{"entry":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const zeros = (count: number) => Array.from({ length: count }, () => '0').join('.');
    expect(refusal('{"entry":{"body":{"postings":[{"amountCents":1},{"amountCents":9007199254740993}]}}}', 'entries.3.')).toBe('LEDGER_UNSAFE_INTEGER entries.3.entry.body.postings.1.amountCents: 9007199254740992');
    expect(refusal('5e300')).toBe('LEDGER_UNSAFE_INTEGER body: 5e+300');
    expect(refusal('[1,[2,{"a":1.5}]]')).toBe('LEDGER_UNSAFE_INTEGER 1.1.a: 1.5');
    expect(refusal(nested(40))).toBe(`LEDGER_INVALID_ENTRY entry.${zeros(limits.jsonDepthMax)}: nested too deeply`);
    expect(refusal(nested(40), 'entries.0.')).toBe(`LEDGER_INVALID_ENTRY entries.0.entry.${zeros(limits.jsonDepthMax)}: nested too deeply`);
    // Exactly at the limit, the nesting itself is accepted (the entry is then refused for its shape).
    expect(refusal(nested(limits.jsonDepthMax - 1))).toMatch(/^LEDGER_INVALID_ENTRY entry: /);
    expect(refusal('{"entry":{"body":{"document":{"__proto__":{"admin":true}}},"signatures":[]}}', 'entries.7.')).toBe('LEDGER_INVALID_ENTRY entries.7.entry.body.document.__proto__: key not allowed');
  });
});
