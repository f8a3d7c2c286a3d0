/**
 * The shape of a catalogued error. Every area of the kit (ledger, till, printer, rules) keeps its own
 * catalogue file built with `defineErrors`; `cli/error-catalogue.ts` merges them, and a test keeps the
 * merged catalogue and docs/ERRORS.md in step both ways.
 *
 * Codes are part of the API: a retired code is never reused for another meaning.
 */
export type Lang = 'fr' | 'en';

export interface ErrorSpec {
  /** HTTP status when the error crosses the ledger's API; CLI exit codes derive from it too. */
  readonly status: number;
  readonly fr: string;
  readonly en: string;
}

export type ErrorCatalogue<C extends string> = { readonly [K in C]: ErrorSpec };

export function defineErrors<C extends string>(catalogue: ErrorCatalogue<C>): ErrorCatalogue<C> {
  for (const [code, spec] of Object.entries<ErrorSpec>(catalogue)) {
    if (!/^[A-Z]+(_[A-Z0-9]+)+$/.test(code)) throw new Error(`bad error code name ${code}`);
    if (spec.status < 400 || spec.status > 599) throw new Error(`bad status for ${code}`);
  }
  return Object.freeze(catalogue);
}

/**
 * An operating error: bad input or a refused operation. It carries a stable code, a detail for the
 * person who has to fix it (which field, which line, which index), and never a stack trace to show.
 */
export class CaisseError extends Error {
  readonly code: string;
  readonly status: number;
  readonly detail: string;
  readonly spec: ErrorSpec;

  constructor(code: string, spec: ErrorSpec, detail = '') {
    super(detail ? `${code}: ${spec.en} (${detail})` : `${code}: ${spec.en}`);
    this.name = 'CaisseError';
    this.code = code;
    this.status = spec.status;
    this.detail = detail;
    this.spec = spec;
  }

  localized(lang: Lang): string {
    const text = lang === 'fr' ? this.spec.fr : this.spec.en;
    return this.detail ? `${text} (${this.detail})` : text;
  }
}

/** Builds a typed thrower for one catalogue: `fail('LEDGER_OVERDRAFT', 'account hh:12')`. */
export function errorFactory<C extends string>(catalogue: ErrorCatalogue<C>) {
  return (code: C, detail = ''): CaisseError => new CaisseError(code, catalogue[code], detail);
}
