import { expect } from 'vitest';
import { ledgerErrors, type LedgerErrorCode } from '../../ledger/errors.js';
import type { RawResponse } from './raw-http.js';

/** The error body every refusal of the API carries (ledger/http/respond.ts). */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly detail: string };
}

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  if (typeof error !== 'object' || error === null) return false;
  const e = error as Record<string, unknown>;
  return typeof e.code === 'string' && typeof e.message === 'string' && typeof e.detail === 'string';
}

export function isLedgerCode(code: string): code is LedgerErrorCode {
  return Object.hasOwn(ledgerErrors, code);
}

/**
 * Checks that a response is the catalogued refusal `code`: its HTTP status, a JSON error body, and the
 * catalogue's message in the language asked for (French unless `en`), followed by the detail.
 */
export function expectError(res: RawResponse, code: LedgerErrorCode, lang: 'fr' | 'en' = 'fr'): ErrorBody {
  const spec = ledgerErrors[code];
  const body = res.json;
  expect(res.contentType, `${code}: ${res.text.slice(0, 300)}`).toMatch(/^application\/json/);
  expect(isErrorBody(body), `${code}: ${res.text.slice(0, 300)}`).toBe(true);
  const error = (body as ErrorBody).error;
  expect({ status: res.status, code: error.code }, error.detail).toEqual({ status: spec.status, code });
  expect(error.message.startsWith(spec[lang]), `${error.message} should start with ${spec[lang]}`).toBe(true);
  expect(error.message).toBe(error.detail === '' ? spec[lang] : `${spec[lang]} (${error.detail})`);
  return body as ErrorBody;
}
