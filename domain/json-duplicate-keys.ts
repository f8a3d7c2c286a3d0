import { limits } from './limits.js';

/**
 * Names given twice in one JSON object. JSON.parse keeps the last value without a word, another parser
 * may keep the first: a signed body with `"amountCents": 100, "amountCents": 10000` would then read as
 * two different payments. RFC 8785 canonicalises I-JSON (RFC 7493), which forbids such names, so
 * what the ledger accepts must have none.
 *
 * The hot path counts instead of tracking names: in a text JSON.parse accepted, every object member
 * has exactly one colon outside strings, so the text has a repeated name exactly when it has more
 * colons than the parsed value has keys. Only then is the text read again to name the place.
 */

/** A JSON text that gives a name twice in one object; `path` is where (`entry.body.amountCents`). */
export class RepeatedKeyError extends SyntaxError {
  constructor(readonly path: string) {
    super(`a name given twice in one object: ${path}`);
  }
}

/** JSON.parse, refusing (RepeatedKeyError) a text that gives a name twice in one object. */
export function parseJsonWithoutRepeats(text: string): unknown {
  const value = JSON.parse(text) as unknown;
  const path = repeatedKeyPath(text, value);
  if (path !== undefined) throw new RepeatedKeyError(path);
  return value;
}

/** A JSON text nested deeper than any of our formats (a batch of entries included). */
export class JsonTooDeepError extends SyntaxError {
  constructor() {
    super(`nested more than ${depthCountedMax} levels deep`);
  }
}

/**
 * Where the first repeated name of a text JSON.parse accepted (as `value`) is, as a dotted path
 * (`entry.body.amountCents`), or undefined when every object names each key once. Throws
 * JsonTooDeepError for a value nested deeper than any format: it is refused whole rather than read
 * again (a batch's other entry must not hide a repeat behind one that is refused on its own).
 */
export function repeatedKeyPath(text: string, value: unknown): string | undefined {
  const keys = keyCount(value, 0);
  if (keys === tooDeep) throw new JsonTooDeepError();
  if (colonsOutsideStrings(text) === keys) return undefined;
  return firstRepeatedKey(text) ?? '(unknown)';
}

const tooDeep = -1;

/** Deepest nesting of a text: an entry within jsonDepthMax, inside a batch's {entries: [{entry…}]}. */
const depthCountedMax = limits.jsonDepthMax + 4;

/** The colons of a JSON text that are not inside a string: one per object member. */
function colonsOutsideStrings(text: string): number {
  let colons = 0;
  let at = 0;
  // The next colon at or after `at`: searched again only once passed, so that the scan stays linear
  // (a text of many strings and few colons would otherwise search to its end after each string).
  let colon = text.indexOf(':');
  for (;;) {
    const quote = text.indexOf('"', at);
    const end = quote === -1 ? text.length : quote;
    while (colon !== -1 && colon < end) {
      colons++;
      colon = text.indexOf(':', colon + 1);
    }
    if (quote === -1) return colons;
    at = stringEnd(text, quote);
    if (at === -1) return colons;
    if (colon !== -1 && colon < at) colon = text.indexOf(':', at);
  }
}

/** The index just past the string opened by the quote at `quote`, or -1 when it is never closed. */
function stringEnd(text: string, quote: number): number {
  let close = text.indexOf('"', quote + 1);
  while (close !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(close - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return close + 1;
    close = text.indexOf('"', close + 1);
  }
  return -1;
}

/**
 * The own keys of every object in a value JSON.parse returned ("__proto__" included), or `tooDeep`
 * past the nesting the count walks.
 */
function keyCount(value: unknown, depth: number): number {
  if (typeof value !== 'object' || value === null) return 0;
  if (depth > depthCountedMax) return tooDeep;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) {
      const inner = keyCount(item, depth + 1);
      if (inner === tooDeep) return tooDeep;
      count += inner;
    }
    return count;
  }
  const record = value as Record<string, unknown>;
  // Object.keys, not for…in: a key added to Object.prototype must not count as one of the text's.
  for (const key of Object.keys(record)) {
    const inner = keyCount(record[key], depth + 1);
    if (inner === tooDeep) return tooDeep;
    count += 1 + inner;
  }
  return count;
}

/** An object being read (its names so far) or an array; `key` is the member or item being read. */
interface Frame {
  readonly names: Set<string> | undefined;
  key: string | number;
}

const space = new Set([' ', '\t', '\r', '\n']);

/**
 * Reads the text again, name by name, and answers the path of the first name an object gives twice
 * (names compared once unescaped: "a" and "\u0061" are the same name), or undefined when none does or
 * the text stops being JSON first. Iterative, with a frame per open object or array: any depth.
 */
export function firstRepeatedKey(text: string): string | undefined {
  const frames: Frame[] = [];
  let at = 0;
  const skipSpace = () => {
    while (at < text.length && space.has(text[at] ?? '')) at++;
  };
  /** Reads a member's name and its colon into the top frame; the path when the name is a repeat. */
  const memberName = (frame: Frame): string | undefined | false => {
    skipSpace();
    if (text[at] !== '"') return false;
    const name = readString();
    if (name === undefined) return false;
    frame.key = name;
    if (frame.names?.has(name)) return frames.map((f) => f.key).join('.');
    frame.names?.add(name);
    skipSpace();
    if (text[at] !== ':') return false;
    at++;
    return undefined;
  };
  const readString = (): string | undefined => {
    const end = stringEnd(text, at);
    if (end === -1) return undefined;
    const raw = text.slice(at, end);
    at = end;
    try {
      return JSON.parse(raw) as string;
    } catch {
      return undefined;
    }
  };
  for (;;) {
    // A value starts here.
    skipSpace();
    const c = text[at];
    if (c === '{' || c === '[') {
      at++;
      skipSpace();
      if (text[at] === (c === '{' ? '}' : ']')) {
        at++;
      } else {
        const frame: Frame = { names: c === '{' ? new Set() : undefined, key: 0 };
        frames.push(frame);
        if (c === '{') {
          const named = memberName(frame);
          if (named === false) return undefined;
          if (named !== undefined) return named;
        }
        continue;
      }
    } else if (c === '"') {
      if (readString() === undefined) return undefined;
    } else {
      const start = at;
      while (at < text.length && !',]} \t\r\n'.includes(text[at] ?? ',')) at++;
      if (at === start) return undefined;
    }
    // A value ended: close what it ends, up to the next member or item.
    let next = false;
    while (!next) {
      const frame = frames.at(-1);
      if (frame === undefined) return undefined;
      skipSpace();
      const d = text[at++];
      if (d === (frame.names === undefined ? ']' : '}')) {
        frames.pop();
      } else if (d !== ',') {
        return undefined;
      } else if (frame.names === undefined) {
        frame.key = (frame.key as number) + 1;
        next = true;
      } else {
        const named = memberName(frame);
        if (named === false) return undefined;
        if (named !== undefined) return named;
        next = true;
      }
    }
  }
}
