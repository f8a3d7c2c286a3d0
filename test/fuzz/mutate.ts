import type { Random } from '../../cli/demo/random.js';

/**
 * Mutations of JSON request bodies for the API fuzz test: structural ones on the parsed value (drop,
 * add, retype, renumber, swap, duplicate, nest) and textual ones on the bytes (flip, truncate, insert,
 * delete). All draw from one seeded generator, so a failing body can be replayed from its seed and
 * iteration number.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Path = readonly (string | number)[];

/** Numbers JSON.stringify cannot write, put in place as raw text when the body is serialised. */
export class RawNumbers {
  private readonly raw: string[] = [];
  marker(text: string): string {
    this.raw.push(text);
    return `@@raw-number-${this.raw.length - 1}@@`;
  }
  serialise(value: Json): string {
    return JSON.stringify(value).replace(/"@@raw-number-([0-9]+)@@"/g, (_m, i: string) => this.raw[Number(i)] ?? '0');
  }
}

export function clone(value: Json): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}

/** Every path to a node below the root, in document order. */
export function allPaths(value: Json, prefix: Path = []): Path[] {
  const out: Path[] = [];
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      out.push([...prefix, i]);
      out.push(...allPaths(item, [...prefix, i]));
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push([...prefix, key]);
      out.push(...allPaths(item, [...prefix, key]));
    }
  }
  return out;
}

export function getAt(value: Json, path: Path): Json | undefined {
  let node: Json | undefined = value;
  for (const step of path) {
    if (node === null || typeof node !== 'object' || node === undefined) return undefined;
    node = Array.isArray(node) ? node[step as number] : node[step as string];
  }
  return node;
}

function parentOf(value: Json, path: Path): { parent: Json[] | { [key: string]: Json }; key: string | number } | undefined {
  if (path.length === 0) return undefined;
  const parent = getAt(value, path.slice(0, -1));
  if (parent === null || typeof parent !== 'object' || parent === undefined) return undefined;
  return { parent, key: path[path.length - 1] as string | number };
}

export function setAt(value: Json, path: Path, item: Json): void {
  const p = parentOf(value, path);
  if (p === undefined) return;
  if (Array.isArray(p.parent)) p.parent[p.key as number] = item;
  else p.parent[p.key as string] = item;
}

function deleteAt(value: Json, path: Path): void {
  const p = parentOf(value, path);
  if (p === undefined) return;
  if (Array.isArray(p.parent)) p.parent.splice(p.key as number, 1);
  else delete p.parent[p.key as string];
}

const interestingNumbers = ['0', '-0', '-1', '1', '0.5', '12.50', '1e3', '-1e3', '1000000001', '-1000000001', '9007199254740991', '9007199254740992', '9007199254740993', '-9007199254740993', '1e308', '1e400', '2147483648', '4294967296', '123456789012345678901234567890'];
const interestingStrings = [
  '',
  ' ',
  'x'.repeat(281),
  'x'.repeat(5_000),
  'hh:inconnu00001',
  'shop:epi-chantenay',
  'fund:cca44',
  'reserve:moneko',
  'CCA',
  'MNK',
  'EUR',
  'payment',
  'ledger.genesis',
  '\u0000',
  '\ud800',
  'é'.repeat(50),
  '<script>alert(1)</script>',
  "'; DROP TABLE log; --",
  '../../etc/passwd',
  'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==',
  '0123456789abcdef',
  '2026-13',
  'true',
  '__proto__',
];
const unknownKeys = ['extra', '__proto__', 'constructor', 'index', 'flags', 'ledgerTimeMs', 'role', 'replayed', 'signaturesVerified', 'basket', 'memo', 'offline', 'v'];

export function randomScalar(random: Random, raw: RawNumbers): Json {
  switch (random.int(0, 6)) {
    case 0:
      return null;
    case 1:
      return random.next() < 0.5;
    case 2:
      return raw.marker(random.pick(interestingNumbers));
    case 3:
      return random.int(-1_000_000, 1_000_000);
    case 4:
      return random.pick(interestingStrings);
    case 5:
      return [];
    default:
      return {};
  }
}

function otherType(current: Json | undefined, random: Random, raw: RawNumbers): Json {
  for (;;) {
    const candidate = randomScalar(random, raw);
    if (typeof candidate !== typeof current || Array.isArray(candidate) !== Array.isArray(current)) return candidate;
  }
}

function shuffleKeys(value: Json, random: Random): Json {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, random));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  for (let i = keys.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [keys[i], keys[j]] = [keys[j] as string, keys[i] as string];
  }
  const out: { [key: string]: Json } = {};
  for (const key of keys) out[key] = shuffleKeys(value[key] as Json, random);
  return out;
}

export type ValueMutation = (value: Json, random: Random, raw: RawNumbers) => Json;

/** Structural mutations; each returns the mutated value (the root itself may be replaced). */
export const valueMutations: Readonly<Record<string, ValueMutation>> = {
  dropField(value, random) {
    const paths = allPaths(value);
    if (paths.length > 0) deleteAt(value, random.pick(paths));
    return value;
  },
  addUnknownField(value, random, raw) {
    const objects = [[], ...allPaths(value)].filter((p) => {
      const node = getAt(value, p);
      return node !== null && typeof node === 'object' && !Array.isArray(node);
    });
    const target = getAt(value, random.pick(objects)) as { [key: string]: Json };
    Object.defineProperty(target, random.pick(unknownKeys), { value: randomScalar(random, raw), enumerable: true, configurable: true, writable: true });
    return value;
  },
  changeType(value, random, raw) {
    const paths = allPaths(value);
    if (paths.length === 0) return value;
    const path = random.pick(paths);
    setAt(value, path, otherType(getAt(value, path), random, raw));
    return value;
  },
  swapNumber(value, random, raw) {
    const numbers = allPaths(value).filter((p) => typeof getAt(value, p) === 'number');
    if (numbers.length === 0) return value;
    const path = random.pick(numbers);
    const current = getAt(value, path) as number;
    const choice = random.int(0, 3);
    const replacement = choice === 0 ? raw.marker(random.pick(interestingNumbers)) : choice === 1 ? -current : choice === 2 ? current + random.int(1, 1000) : random.int(-5, 5);
    setAt(value, path, replacement);
    return value;
  },
  swapValues(value, random) {
    const paths = allPaths(value);
    if (paths.length < 2) return value;
    const a = random.pick(paths);
    const b = random.pick(paths);
    const va = getAt(value, a);
    const vb = getAt(value, b);
    // Swapping a node with one of its own descendants would build a cycle: copy instead.
    if (va === undefined || vb === undefined) return value;
    setAt(value, a, clone(vb));
    setAt(value, b, clone(va));
    return value;
  },
  duplicateArrayItem(value, random) {
    const arrays = allPaths(value).filter((p) => Array.isArray(getAt(value, p)) && (getAt(value, p) as Json[]).length > 0);
    if (arrays.length === 0) return value;
    const array = getAt(value, random.pick(arrays)) as Json[];
    array.push(clone(random.pick(array)));
    return value;
  },
  floodArray(value, random) {
    // Many items, some junk: past the array's bounds or not, with faults in the items or not.
    const arrays = allPaths(value).filter((p) => Array.isArray(getAt(value, p)));
    if (arrays.length === 0) return value;
    const array = getAt(value, random.pick(arrays)) as Json[];
    const junk: Json = random.pick<Json>([{}, 0, 'x', null]);
    for (let n = random.int(1, 1500); n > 0; n--) array.push(array.length > 0 && random.next() < 0.5 ? clone(random.pick(array)) : clone(junk));
    return value;
  },
  dropArrayItem(value, random) {
    const arrays = allPaths(value).filter((p) => Array.isArray(getAt(value, p)) && (getAt(value, p) as Json[]).length > 0);
    if (arrays.length === 0) return value;
    const array = getAt(value, random.pick(arrays)) as Json[];
    array.splice(random.int(0, array.length - 1), 1);
    return value;
  },
  replaceString(value, random) {
    const strings = allPaths(value).filter((p) => typeof getAt(value, p) === 'string');
    if (strings.length === 0) return value;
    const path = random.pick(strings);
    const current = getAt(value, path) as string;
    const choice = random.int(0, 3);
    setAt(value, path, choice === 0 ? random.pick(interestingStrings) : choice === 1 ? current.toUpperCase() : choice === 2 ? `${current}x` : current.slice(0, Math.max(0, current.length - 1)));
    return value;
  },
  nestDeep(value, random) {
    const paths = allPaths(value);
    if (paths.length === 0) return value;
    let nested: Json = 1;
    const depth = random.int(20, 120);
    for (let i = 0; i < depth; i++) nested = random.next() < 0.5 ? [nested] : { a: nested };
    setAt(value, random.pick(paths), nested);
    return value;
  },
  reorderKeys(value, random) {
    return shuffleKeys(value, random);
  },
};

/** Byte-level mutations of the serialised body (they may break UTF-8, JSON, or both). */
export type ByteMutation = (bytes: Buffer, random: Random) => Buffer;

export const byteMutations: Readonly<Record<string, ByteMutation>> = {
  flipBit(bytes, random) {
    const out = Buffer.from(bytes);
    const at = random.int(0, out.length - 1);
    out[at] = (out[at] ?? 0) ^ (1 << random.int(0, 7));
    return out;
  },
  truncate(bytes, random) {
    return bytes.subarray(0, random.int(0, bytes.length - 1));
  },
  insertChar(bytes, random) {
    const at = random.int(0, bytes.length);
    const char = Buffer.from(random.pick(['{', '}', '[', ']', ',', ':', '"', '\\', '0', '-', 'e', ' ', '\u0000', 'é', '\uffff']), 'utf8');
    return Buffer.concat([bytes.subarray(0, at), char, bytes.subarray(at)]);
  },
  deleteByte(bytes, random) {
    const at = random.int(0, bytes.length - 1);
    return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
  },
  duplicateKey(bytes) {
    return Buffer.concat([Buffer.from('{"entry":{"body":{},"signatures":[]},'), bytes.subarray(1)]);
  },
};
