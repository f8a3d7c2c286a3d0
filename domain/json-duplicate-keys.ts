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

/**
 * Where the first repeated name of a text JSON.parse accepted (as `value`) is, as a dotted path
 * (`entry.body.amountCents`), or undefined when every object names each key once.
 */
export function repeatedKeyPath(text: string, value: unknown): string | undefined {
  const keys = keyCount(value, 0);
  // Deeper than any of our formats: not counted; the caller refuses the nesting itself.
  if (keys === tooDeep) return undefined;
  if (colonsOutsideStrings(text) === keys) return undefined;
  return firstRepeatedKey(text) ?? '(unknown)';
}

const tooDeep = -1;

/** Deepest nesting looked into: an entry within jsonDepthMax, inside a batch's {entries: [{entry…}]}. */
const depthLookedMax = limits.jsonDepthMax + 4;

/** The colons of a JSON text that are not inside a string: one per object member. */
function colonsOutsideStrings(text: string): number {
  let colons = 0;
  let at = 0;
  for (;;) {
    const quote = text.indexOf('"', at);
    const end = quote === -1 ? text.length : quote;
    for (let colon = text.indexOf(':', at); colon !== -1 && colon < end; colon = text.indexOf(':', colon + 1)) colons++;
    if (quote === -1) return colons;
    at = stringEnd(text, quote);
    if (at === -1) return colons;
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
 * The own keys of every object in a value JSON.parse returned ("__proto__" included: for…in sees it),
 * or `tooDeep` past the nesting any of our formats has.
 */
function keyCount(value: unknown, depth: number): number {
  if (typeof value !== 'object' || value === null) return 0;
  if (depth > depthLookedMax) return tooDeep;
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
  for (const key in record) {
    const inner = keyCount(record[key], depth + 1);
    if (inner === tooDeep) return tooDeep;
    count += 1 + inner;
  }
  return count;
}

/**
 * Reads the text again, object by object, and answers the path of the first name an object gives twice
 * (names compared once unescaped: "a" and "\u0061" are the same name). Undefined when the text has none,
 * is not JSON, or nests deeper than any of our formats (the caller refuses those otherwise).
 */
export function firstRepeatedKey(text: string): string | undefined {
  const reader = new RepeatReader(text);
  try {
    reader.value(0);
  } catch (e) {
    if (e instanceof RepeatFound) return e.path;
    if (e instanceof NotJson) return undefined;
    throw e;
  }
  return undefined;
}

class RepeatFound {
  constructor(readonly path: string) {}
}

class NotJson {}

class RepeatReader {
  private at = 0;
  private readonly path: (string | number)[] = [];

  constructor(private readonly text: string) {}

  value(depth: number): void {
    if (depth > depthLookedMax) throw new NotJson();
    this.skipSpace();
    const c = this.text[this.at];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') {
      this.string();
      return;
    }
    // A number or a literal: everything up to the next delimiter.
    const start = this.at;
    while (this.at < this.text.length && !',]} \t\r\n'.includes(this.text[this.at] ?? '')) this.at++;
    if (this.at === start) throw new NotJson();
  }

  private object(depth: number): void {
    this.at++;
    const names = new Set<string>();
    this.skipSpace();
    if (this.text[this.at] === '}') {
      this.at++;
      return;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.at] !== '"') throw new NotJson();
      const name = this.string();
      this.path.push(name);
      if (names.has(name)) throw new RepeatFound(this.path.join('.'));
      names.add(name);
      this.skipSpace();
      if (this.text[this.at] !== ':') throw new NotJson();
      this.at++;
      this.value(depth + 1);
      this.path.pop();
      if (this.endOf('}')) return;
    }
  }

  private array(depth: number): void {
    this.at++;
    this.skipSpace();
    if (this.text[this.at] === ']') {
      this.at++;
      return;
    }
    for (let i = 0; ; i++) {
      this.path.push(i);
      this.value(depth + 1);
      this.path.pop();
      if (this.endOf(']')) return;
    }
  }

  /** After a member or an item: true at the closing bracket (consumed), false after a comma. */
  private endOf(close: string): boolean {
    this.skipSpace();
    const c = this.text[this.at++];
    if (c === close) return true;
    if (c !== ',') throw new NotJson();
    return false;
  }

  private string(): string {
    const end = stringEnd(this.text, this.at);
    if (end === -1) throw new NotJson();
    const raw = this.text.slice(this.at, end);
    this.at = end;
    try {
      return JSON.parse(raw) as string;
    } catch {
      throw new NotJson();
    }
  }

  private skipSpace(): void {
    while (this.at < this.text.length && ' \t\r\n'.includes(this.text[this.at] ?? '')) this.at++;
  }
}
