import { z } from 'zod';

/**
 * A zod schema's acceptance test compiled into plain nested closures, for values that JSON.parse made:
 * the fast path of the hot decoders (every leaf an audit reads, every entry the ledger is sent).
 *
 * zod stays the one definition of each format and the one source of error messages: the predicate only
 * answers "zod would accept this value, and give back a value equal to it". When it says yes, the
 * decoder uses the parsed value itself (no copy, none of zod's per-field payloads and issue arrays:
 * about a third of zod's time on a payment's leaf); when it says no, zod decides and explains. So the
 * predicate may be stricter than zod (it then costs one zod parse), never looser;
 * test/fuzz/schema-predicate.test.ts checks it on thousands of mutated entries, leaves and baskets.
 *
 * Only what our formats use compiles: strings (length bounds and regex formats), numbers (safe
 * integers, bounds), booleans, literals, enums, objects (unknown keys refused whatever the object's
 * mode), arrays, optional, discriminated unions, records and unknown, and refinements (`refine`, whose
 * function must answer `true`). Anything else (transforms, defaults, coercion, string formats with code
 * of their own, plain unions…) throws `SchemaPredicateError` when the schema is compiled, that is when
 * the module that compiles it is loaded: no schema silently loses its fast path. Plain unions are
 * refused because being stricter is not safe under a choice: zod takes the first option that accepts,
 * and that option may change the value (strip a key) where the predicate, refusing it, would accept a
 * later one unchanged. A discriminated union leaves zod no choice: the discriminator names the option.
 */
export type JsonPredicate = (value: unknown) => boolean;

export class SchemaPredicateError extends Error {}

/** The parts of zod's schema and check definitions read here (zod/v4/core's public `_zod.def`). */
interface SchemaDef {
  readonly type: string;
  readonly checks?: readonly { readonly _zod: { readonly def: CheckDef } }[];
  readonly coerce?: boolean;
  readonly format?: string;
  readonly shape?: Readonly<Record<string, Schema>>;
  readonly catchall?: Schema;
  readonly element?: Schema;
  readonly innerType?: Schema;
  readonly options?: readonly Schema[];
  readonly discriminator?: string;
  readonly unionFallback?: boolean;
  readonly keyType?: Schema;
  readonly valueType?: Schema;
  readonly values?: readonly unknown[];
  readonly entries?: Readonly<Record<string, unknown>>;
}
interface CheckDef {
  readonly check: string;
  readonly format?: string;
  readonly pattern?: RegExp;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly length?: number;
  readonly value?: unknown;
  readonly inclusive?: boolean;
  readonly fn?: (value: unknown) => unknown;
}
interface Schema {
  readonly _zod: { readonly def: SchemaDef };
}

/** A schema's checks, gathered: each compiled predicate tests them inline, without a call per check. */
interface Constraints {
  minLength: number;
  maxLength: number;
  /** Whether any length check was met (checks whose bounds are infinite included: they still refuse a number). */
  lengthChecked: boolean;
  /** Number bounds; `…Inclusive` says whether the bound itself passes. */
  lower: number;
  lowerInclusive: boolean;
  upper: number;
  upperInclusive: boolean;
  boundChecked: boolean;
  readonly patterns: RegExp[];
  /** Refinements: each must answer `true` (a promise, from an async one, or another truthy answer is left to zod). */
  readonly refinements: ((value: unknown) => unknown)[];
}

/** Compiles `schema` (see above); throws SchemaPredicateError on a construct it does not know. */
export function compileJsonPredicate(schema: z.core.$ZodType): JsonPredicate {
  return compile(schema as unknown as Schema, '');
}

/**
 * `schema.safeParse`, with the compiled predicate in front: a value it accepts is returned as it is.
 * For values that JSON.parse made (plain objects and arrays, no undefined, no symbols).
 */
export function jsonSafeParser<T>(schema: z.ZodType<T>): (value: unknown) => z.ZodSafeParseResult<T> {
  const accepts = compileJsonPredicate(schema);
  return (value) => (accepts(value) ? { success: true, data: value as T } : explainRefusal(schema, value));
}

/**
 * zod's answer for a value the predicate refused, from the smallest part that fails. zod run on the
 * whole value names every fault of every item: a batch of a thousand entries of five hundred empty
 * basket lines each made five million issues (seconds of the event loop, before any signature was
 * checked), of which the caller reads the first. The predicates find the first failing field or item,
 * in zod's order, and zod explains that part alone, its issues' paths prefixed with where it is. If zod
 * accepts the part (the predicate is allowed to be stricter), the whole value goes to zod.
 */
function explainRefusal<T>(schema: z.ZodType<T>, value: unknown): z.ZodSafeParseResult<T> {
  const failing = firstFailingPart(schema as unknown as Schema, value);
  if (failing.path.length === 0) return schema.safeParse(value);
  const part = (failing.schema as unknown as z.ZodType).safeParse(failing.value);
  if (part.success) return schema.safeParse(value);
  // The issues describe the value of type T that was refused: the error is that value's.
  const error = new z.ZodError(part.error.issues.map((issue) => ({ ...issue, path: [...failing.path, ...issue.path] }))) as z.ZodError<T>;
  return { success: false, error };
}

const predicates = new WeakMap<Schema, JsonPredicate>();

function lengthWithinBounds(def: SchemaDef, length: number): boolean {
  const { minLength, maxLength } = constraintsOf(def, '');
  return length >= minLength && length <= maxLength;
}

/** A sub-schema's predicate, compiled once (it compiled already as part of its parent). */
function predicateOf(schema: Schema): JsonPredicate {
  let accepts = predicates.get(schema);
  if (accepts === undefined) {
    accepts = compile(schema, '');
    predicates.set(schema, accepts);
  }
  return accepts;
}

/**
 * Goes down from `schema` to the first field (in the shape's order) or item that its predicate refuses,
 * as long as there is one; stops at a part whose own shape is at fault (a missing or unknown key, a
 * wrong type, a length, a discriminator no option has).
 */
function firstFailingPart(schema: Schema, value: unknown): { schema: Schema; value: unknown; path: (string | number)[] } {
  const path: (string | number)[] = [];
  for (;;) {
    const def = schema._zod.def;
    let next: { schema: Schema; value: unknown; key?: string | number } | undefined;
    if (def.type === 'optional' && value !== undefined) {
      next = { schema: required(def.innerType, ''), value };
    } else if (def.type === 'object' && isJsonObject(value)) {
      for (const [key, field] of Object.entries(def.shape ?? {})) {
        const item = value[key];
        if (item === undefined) {
          if (field._zod.def.type === 'optional') continue;
          break;
        }
        if (!predicateOf(field)(item)) {
          next = { schema: field, value: item, key };
          break;
        }
      }
    } else if (def.type === 'array' && Array.isArray(value) && lengthWithinBounds(def, value.length)) {
      // Past its length bounds, the array itself is at fault: zod names that before its items.
      const element = required(def.element, '');
      const accepts = predicateOf(element);
      const at = value.findIndex((item) => !accepts(item));
      if (at >= 0) next = { schema: element, value: value[at] as unknown, key: at };
    } else if (def.type === 'union' && def.discriminator !== undefined && isJsonObject(value)) {
      const tag = value[def.discriminator];
      const option = (def.options ?? []).find((o) => o._zod.def.shape?.[def.discriminator ?? '']?._zod.def.values?.includes(tag) === true);
      if (option !== undefined) next = { schema: option, value };
    } else if (def.type === 'record' && isJsonObject(value)) {
      const valueType = required(def.valueType, '');
      const accepts = predicateOf(valueType);
      for (const key in value) {
        if (key !== '__proto__' && !accepts(value[key])) {
          next = { schema: valueType, value: value[key], key };
          break;
        }
      }
    }
    if (next === undefined) return { schema, value, path };
    schema = next.schema;
    value = next.value;
    if (next.key !== undefined) path.push(next.key);
  }
}

/** JSON.parse's objects (arrays have another prototype); anything else (a class instance…) is left to zod. */
const isJsonObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

function fail(where: string, what: string): never {
  throw new SchemaPredicateError(`${where || 'schema'}: ${what} has no compiled predicate`);
}

function compile(schema: Schema, where: string): JsonPredicate {
  const def = schema._zod.def;
  if (def.coerce === true) fail(where, 'coercion');
  const constraints = constraintsOf(def, where);
  const { lengthChecked, boundChecked, patterns, refinements } = constraints;
  if ((lengthChecked && def.type !== 'string' && def.type !== 'array') || (patterns.length > 0 && def.type !== 'string')) fail(where, `a length or pattern check on ${def.type}`);
  if (boundChecked && def.type !== 'number') fail(where, `a bound on ${def.type}`);
  const own = compileType(def, constraints, where);
  if (refinements.length === 0) return own;
  return (v) => {
    if (!own(v)) return false;
    for (const refine of refinements) if (refine(v) !== true) return false;
    return true;
  };
}

function constraintsOf(def: SchemaDef, where: string): Constraints {
  const constraints: Constraints = {
    minLength: 0,
    maxLength: Infinity,
    lengthChecked: false,
    lower: -Infinity,
    lowerInclusive: true,
    upper: Infinity,
    upperInclusive: true,
    boundChecked: false,
    patterns: [],
    refinements: [],
  };
  for (const check of def.checks ?? []) gather(constraints, check._zod.def, where);
  return constraints;
}

function compileType(def: SchemaDef, c: Constraints, where: string): JsonPredicate {
  switch (def.type) {
    case 'string': {
      // A string format (email, uuid…) is a check of the schema itself, some with code of their own.
      if (def.format !== undefined) fail(where, `string format ${def.format}`);
      const { minLength, maxLength, patterns } = c;
      return (v) => {
        if (typeof v !== 'string' || !lengthWithin(v, minLength, maxLength)) return false;
        for (const p of patterns) {
          p.lastIndex = 0;
          if (!p.test(v)) return false;
        }
        return true;
      };
    }
    case 'number': {
      const { lower, lowerInclusive, upper, upperInclusive } = c;
      const integer = def.format === 'safeint';
      if (!integer && def.format !== undefined && def.format !== 'float64') fail(where, `number format ${def.format}`);
      return (v) =>
        typeof v === 'number' &&
        (integer ? Number.isSafeInteger(v) : Number.isFinite(v)) &&
        (lowerInclusive ? v >= lower : v > lower) &&
        (upperInclusive ? v <= upper : v < upper);
    }
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'unknown':
      return () => true;
    case 'literal': {
      const values = new Set(def.values ?? []);
      return (v) => values.has(v);
    }
    case 'enum': {
      const values = Object.values(def.entries ?? {});
      if (!values.every((v) => typeof v === 'string')) fail(where, 'an enum of non-strings');
      const set = new Set<unknown>(values);
      return (v) => set.has(v);
    }
    case 'optional': {
      const inner = compile(required(def.innerType, where), where);
      return (v) => v === undefined || inner(v);
    }
    case 'array': {
      const element = compile(required(def.element, where), `${where}[]`);
      const { minLength, maxLength } = c;
      return (v) => {
        if (!Array.isArray(v) || v.length < minLength || v.length > maxLength) return false;
        for (const item of v) if (!element(item)) return false;
        return true;
      };
    }
    case 'object':
      return compileObject(def, where);
    case 'union':
      return compileUnion(def, where);
    case 'record':
      return compileRecord(def, where);
    default:
      return fail(where, `type ${def.type}`);
  }
}

/**
 * Every own key must be in the shape (whatever the object's mode: a stripped or passed-through key
 * would make zod's value differ from the input), and an absent key is accepted only for an optional
 * field. zod reads fields with `in`, so shape keys that Object.prototype has (toString, __proto__…) are
 * not compiled; then, on a JSON object, a field reads undefined exactly when it is absent, and the
 * fields found are every own key exactly when they are as many as the keys `for…in` counts.
 */
function compileObject(def: SchemaDef, where: string): JsonPredicate {
  const shape = def.shape ?? {};
  // A symbol key zod requires, and no JSON value has: left to zod rather than skipped by Object.entries.
  if (Object.getOwnPropertySymbols(shape).length > 0) fail(where, 'a symbol key');
  const fields = Object.entries(shape).map(([key, field]) => {
    if (key in Object.prototype) fail(where, `field ${key}`);
    return { key, optional: field._zod.def.type === 'optional', accepts: compile(field, `${where}.${key}`) };
  });
  return (v) => {
    if (!isJsonObject(v)) return false;
    let found = 0;
    for (const field of fields) {
      const item = v[field.key];
      if (item === undefined) {
        if (field.optional) continue;
        return false;
      }
      if (!field.accepts(item)) return false;
      found++;
    }
    let keys = 0;
    for (const _key in v) keys++;
    return keys === found;
  };
}

function compileUnion(def: SchemaDef, where: string): JsonPredicate {
  const options = def.options ?? [];
  const discriminator = def.discriminator;
  // See the header: under a plain union, a stricter predicate could pick another option than zod.
  if (discriminator === undefined) fail(where, 'a plain union');
  // Each option is an object whose discriminator field is a literal: its values name the option.
  const byValue = new Map<unknown, JsonPredicate>();
  for (const option of options) {
    const tag = option._zod.def.shape?.[discriminator]?._zod.def;
    if (option._zod.def.type !== 'object' || tag?.type !== 'literal') fail(where, 'a discriminated union option');
    const accepts = compile(option, `${where}<${String(tag.values?.[0])}>`);
    for (const value of tag.values ?? []) {
      if (byValue.has(value)) fail(where, `discriminator value ${String(value)} twice`);
      byValue.set(value, accepts);
    }
  }
  // The option checks the value is a JSON object before anything else.
  return (v) => {
    const option = byValue.get((v as { [key: string]: unknown } | null | undefined)?.[discriminator]);
    return option !== undefined && option(v);
  };
}

/** zod drops an own "__proto__" key from a record's value: such a record is left to zod. */
function compileRecord(def: SchemaDef, where: string): JsonPredicate {
  const keyType = required(def.keyType, where);
  // A key type with values of its own (an enum) makes zod check each of them is present.
  if (keyType._zod.def.type !== 'string') fail(where, `record key type ${keyType._zod.def.type}`);
  const key = compile(keyType, `${where}{key}`);
  const value = compile(required(def.valueType, where), `${where}{}`);
  return (v) => {
    if (!isJsonObject(v)) return false;
    for (const k in v) if (k === '__proto__' || !key(k) || !value(v[k])) return false;
    return true;
  };
}

function gather(c: Constraints, check: CheckDef, where: string): void {
  switch (check.check) {
    case 'min_length':
      c.lengthChecked = true;
      c.minLength = Math.max(c.minLength, check.minimum ?? 0);
      return;
    case 'max_length':
      c.lengthChecked = true;
      c.maxLength = Math.min(c.maxLength, check.maximum ?? Infinity);
      return;
    case 'length_equals':
      c.lengthChecked = true;
      c.minLength = Math.max(c.minLength, check.length ?? 0);
      c.maxLength = Math.min(c.maxLength, check.length ?? 0);
      return;
    case 'string_format':
      if (check.format !== 'regex' || check.pattern === undefined) fail(where, `string format ${check.format ?? '?'}`);
      c.patterns.push(check.pattern);
      return;
    case 'greater_than': {
      const bound = check.value;
      if (typeof bound !== 'number') fail(where, 'a non-number bound');
      c.boundChecked = true;
      if (bound > c.lower || (bound === c.lower && check.inclusive !== true)) {
        c.lower = bound;
        c.lowerInclusive = check.inclusive === true;
      }
      return;
    }
    case 'less_than': {
      const bound = check.value;
      if (typeof bound !== 'number') fail(where, 'a non-number bound');
      c.boundChecked = true;
      if (bound < c.upper || (bound === c.upper && check.inclusive !== true)) {
        c.upper = bound;
        c.upperInclusive = check.inclusive === true;
      }
      return;
    }
    case 'custom':
      if (check.fn === undefined) fail(where, 'a refinement without a function');
      c.refinements.push(check.fn);
      return;
    default:
      fail(where, `check ${check.check}`);
  }
}

/**
 * A string's length in code points, as zod measures it, within [min, max]. A code point is one or two
 * UTF-16 units, so the count is made only where the units alone cannot decide.
 */
function lengthWithin(s: string, min: number, max: number): boolean {
  const units = s.length;
  if (units >= min * 2 && units <= max) return true;
  const count = units < min || units > max * 2 ? units : codePoints(s);
  return count >= min && count <= max;
}

/** Code points of a string: a high surrogate followed by a low one counts once, a lone one once. */
function codePoints(s: string): number {
  let count = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    if ((s.charCodeAt(i) & 0xfc00) === 0xd800 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      count--;
      i++;
    }
  }
  return count;
}

function required(schema: Schema | undefined, where: string): Schema {
  if (schema === undefined) fail(where, 'a missing inner schema');
  return schema;
}
