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
 * signed and sealed is exactly what was sent.
 */
function checkJsonValue(value: unknown, path: string, depth = 0): void {
  if (depth > limits.jsonDepthMax) throw ledgerError('LEDGER_INVALID_ENTRY', `${path}: nested too deeply`);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw ledgerError('LEDGER_UNSAFE_INTEGER', `${path || 'body'}: ${value}`);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkJsonValue(item, join(path, String(i)), depth + 1));
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key === '__proto__') throw ledgerError('LEDGER_INVALID_ENTRY', `${join(path, key)}: key not allowed`);
    checkJsonValue(item, join(path, key), depth + 1);
  }
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
