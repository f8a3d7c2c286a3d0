import type { Request, Response } from 'express';
import { CaisseError, type Lang } from '../../domain/error-spec.js';
import { ledgerError } from '../errors.js';

/** The language of an answer: English only when the client asks for it first. */
export function requestLang(req: Request): Lang {
  const header = req.headers['accept-language'];
  return typeof header === 'string' && header.trim().toLowerCase().startsWith('en') ? 'en' : 'fr';
}

export function errorBody(error: CaisseError, lang: Lang): { error: { code: string; message: string; detail: string } } {
  return { error: { code: error.code, message: error.localized(lang), detail: error.detail } };
}

export function sendError(req: Request, res: Response, e: unknown): void {
  const error = e instanceof CaisseError ? e : ledgerError('LEDGER_INTERNAL');
  if (!(e instanceof CaisseError)) console.error(e);
  res.status(error.status).json(errorBody(error, requestLang(req)));
}

/** Parses a non-negative decimal integer query parameter, or answers LEDGER_BAD_QUERY. */
export function queryIndex(value: unknown, name: string): number {
  if (typeof value !== 'string' || !/^(0|[1-9][0-9]{0,15})$/.test(value)) throw ledgerError('LEDGER_BAD_QUERY', `${name} must be a non-negative integer`);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw ledgerError('LEDGER_BAD_QUERY', `${name} too large`);
  return n;
}

/** An optional text query parameter: '' when absent, LEDGER_BAD_QUERY when given twice (an array). */
export function queryText(value: unknown, name: string): string {
  if (value === undefined) return '';
  if (typeof value !== 'string') throw ledgerError('LEDGER_BAD_QUERY', `${name} must be given once, as text`);
  return value;
}
