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

export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, parts, 0);
  return parts.join('');
}

export function canonicalBytes(value: unknown): Uint8Array {
  return encoder.encode(canonicalJson(value));
}

/** Nesting beyond this is refused: our formats are at most a few levels deep. */
const depthMax = 32;

function write(value: unknown, out: string[], depth: number): void {
  if (depth > depthMax) throw new JcsError('value nested too deeply');
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isSafeInteger(value)) throw new JcsError(`number ${value} is not a safe integer`);
      out.push(Object.is(value, -0) ? '0' : String(value));
      return;
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'object': {
      if (Array.isArray(value)) {
        out.push('[');
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out.push(',');
          write(value[i], out, depth + 1);
        }
        out.push(']');
        return;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      out.push('{');
      let first = true;
      for (const key of keys) {
        const item = record[key];
        // Absent optional fields are simply left out, as JSON.stringify does.
        if (item === undefined) continue;
        if (!first) out.push(',');
        first = false;
        out.push(JSON.stringify(key), ':');
        write(item, out, depth + 1);
      }
      out.push('}');
      return;
    }
    default:
      throw new JcsError(`cannot canonicalise a ${typeof value}`);
  }
}
