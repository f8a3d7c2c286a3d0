import type { z } from 'zod';
import { basketSchema } from '../../domain/entry/basket.js';
import { signedEntrySchema } from '../../domain/entry/schema.js';
import { limits } from '../../domain/limits.js';
import { jsonSafeParser } from '../../domain/schema-predicate.js';
import { ledgerError } from '../errors.js';
import type { Submission } from '../core/ledger.js';

// The schemas' safeParse with their compiled predicates in front: every submission goes through them.
const parseSignedEntry = jsonSafeParser(signedEntrySchema);
const parseBasket = jsonSafeParser(basketSchema);

/**
 * The first line of defence: turns an untrusted JSON value into a typed submission or a precise error.
 * Numbers are checked before the schema so that a value past 2^53 (which JSON.parse has already
 * rounded) is named as such rather than as a generic type error.
 */
export function decodeSubmission(value: unknown, where = ''): Submission {
  checkJsonValue(value, where.replace(/\.$/, ''));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw ledgerError('LEDGER_INVALID_ENTRY', `${where || 'body'}: expected an object {entry, basket?}`);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key !== 'entry' && key !== 'basket') throw ledgerError('LEDGER_INVALID_ENTRY', `${where}${key}: unknown field`);
  }
  const entry = parseSignedEntry(record.entry);
  if (!entry.success) throw schemaError(entry.error, `${where}entry`);
  if (record.basket === undefined) return { entry: entry.data };
  const basket = parseBasket(record.basket);
  if (!basket.success) throw schemaError(basket.error, `${where}basket`);
  return { entry: entry.data, basket: basket.data };
}

export function decodeBatch(value: unknown): Submission[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw ledgerError('LEDGER_INVALID_ENTRY', 'body: expected an object {entries: […]}');
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) if (key !== 'entries') throw ledgerError('LEDGER_INVALID_ENTRY', `${key}: unknown field`);
  const entries = record.entries;
  if (!Array.isArray(entries)) throw ledgerError('LEDGER_INVALID_ENTRY', 'entries: expected an array');
  if (entries.length === 0) throw ledgerError('LEDGER_INVALID_ENTRY', 'entries: empty batch');
  if (entries.length > limits.batchEntriesMax) throw ledgerError('LEDGER_BATCH_TOO_LARGE', `${entries.length} entries, at most ${limits.batchEntriesMax}`);
  return entries as Submission[];
}

function schemaError(error: z.ZodError, prefix: string) {
  const issue = error.issues[0];
  if (issue === undefined) return ledgerError('LEDGER_INVALID_ENTRY', prefix);
  const path = [prefix, ...issue.path.map(String)].join('.');
  if (issue.code === 'unrecognized_keys') return ledgerError('LEDGER_INVALID_ENTRY', `${path}: unknown field ${issue.keys.join(', ')}`);
  if (issue.path.at(-1) === 'amountCents' && (issue.code === 'too_big' || issue.code === 'too_small')) {
    return ledgerError('LEDGER_AMOUNT_OUT_OF_RANGE', `${path}: ${issue.message}`);
  }
  return ledgerError('LEDGER_INVALID_ENTRY', `${path}: ${issue.message}`);
}

/**
 * Walks the whole value once: a number past 2^53 is named as such, and a key "__proto__" (which
 * JSON.parse makes an own key, and zod's records drop without a word) is refused, so that what is
 * signed and sealed is exactly what was sent. The path is kept as a stack of keys and written out only
 * for an error: a string per value, and an array per object's entries, were most of the walk's cost.
 */
function checkJsonValue(value: unknown, prefix: string): void {
  walkJson(value, [], prefix);
}

function walkJson(value: unknown, keys: (string | number)[], prefix: string): void {
  if (keys.length > limits.jsonDepthMax) throw ledgerError('LEDGER_INVALID_ENTRY', `${pathOf(prefix, keys)}: nested too deeply`);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw ledgerError('LEDGER_UNSAFE_INTEGER', `${pathOf(prefix, keys) || 'body'}: ${value}`);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      keys.push(i);
      walkJson(value[i], keys, prefix);
      keys.pop();
    }
    return;
  }
  const record = value as Record<string, unknown>;
  // for…in on what JSON.parse made: its own keys, "__proto__" included, and nothing inherited.
  for (const key in record) {
    keys.push(key);
    if (key === '__proto__') throw ledgerError('LEDGER_INVALID_ENTRY', `${pathOf(prefix, keys)}: key not allowed`);
    walkJson(record[key], keys, prefix);
    keys.pop();
  }
}

function pathOf(prefix: string, keys: readonly (string | number)[]): string {
  return keys.reduce<string>((path, key) => join(path, String(key)), prefix);
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
