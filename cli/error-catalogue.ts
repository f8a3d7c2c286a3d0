import type { ErrorCatalogue, ErrorSpec } from '../domain/error-spec.js';
import { catalogErrors } from '../domain/catalog/errors.js';
import { rulesErrors } from '../domain/rules/errors.js';
import { keyFileErrors } from '../domain/key-file.js';
import { ledgerErrors } from '../ledger/errors.js';
import { merkleErrors } from '../ledger/merkle/errors.js';
import { auditErrors } from '../ledger/audit/errors.js';
import { reportErrors } from '../ledger/reports/errors.js';
import { printerErrors } from '../printer/errors.js';
import { cliErrors } from './errors.js';
import { systemErrors } from './system-errors.js';

/**
 * Every area's error catalogue, merged into one map of stable codes. It lives with the command, the one
 * layer that may import every other (domain code never imports the ledger, the printer or the CLI). docs/ERRORS.md is generated from
 * this list (cli/error-doc.ts) and test/docs/errors-doc.test.ts keeps the two in step both ways; the
 * same test finds every `defineErrors(` call in the sources, so a new area cannot be left out.
 *
 * The order of `errorAreas` is the order of the tables in docs/ERRORS.md.
 */
export interface ErrorArea {
  /** Short name of the area, used as the anchor of its table. */
  readonly id: string;
  /** Heading of its table in docs/ERRORS.md. */
  readonly title: string;
  /** The file that defines the catalogue, from the repository root. */
  readonly file: string;
  /** One sentence: where these codes are raised and how they reach a person. */
  readonly about: string;
  readonly errors: ErrorCatalogue<string>;
}

export const errorAreas: readonly ErrorArea[] = [
  {
    id: 'ledger',
    title: 'Ledger: HTTP API and state machine',
    file: 'ledger/errors.ts',
    about: 'Answers of the ledger API (`POST /v1/entries`, reads) and of the rules every entry is checked against.',
    errors: ledgerErrors,
  },
  {
    id: 'merkle',
    title: 'Ledger: Merkle proofs, signed notes and checkpoints',
    file: 'ledger/merkle/errors.ts',
    about: 'Raised when proofs, notes and checkpoints are built or verified; see docs/formats/merkle.md and docs/formats/checkpoint.md.',
    errors: merkleErrors,
  },
  {
    id: 'audit',
    title: 'Audit (`caisse ledger verify`)',
    file: 'ledger/audit/errors.ts',
    about: 'Failures found while replaying the log; the detail names the log index, account or checkpoint.',
    errors: auditErrors,
  },
  {
    id: 'reports',
    title: 'Reports and settlement (`caisse report`, `caisse settle`)',
    file: 'ledger/reports/errors.ts',
    about: "The shop owner's and operator's reports: the daily closure (Z report) and the merchant settlement with its statement.",
    errors: reportErrors,
  },
  {
    id: 'rules',
    title: 'Rules (conventionnement documents and basket evaluation)',
    file: 'domain/rules/errors.ts',
    about: 'Rules documents, their committee signatures, and the evaluation of a basket against them.',
    errors: rulesErrors,
  },
  {
    id: 'catalog',
    title: 'Product catalogue import',
    file: 'domain/catalog/errors.ts',
    about: "A shop's product file: each refused line is reported with one of these codes.",
    errors: catalogErrors,
  },
  {
    id: 'key-file',
    title: 'Key files',
    file: 'domain/key-file.ts',
    about: 'Secret key files on disk (the ledger, committee, operator, Moneko and till keys), read and written by the commands.',
    errors: keyFileErrors,
  },
  {
    id: 'printer',
    title: 'Printer',
    file: 'printer/errors.ts',
    about: 'ESC/POS printing: most are turned into a "can retry / refused" outcome rather than thrown.',
    errors: printerErrors,
  },
  {
    id: 'cli',
    title: 'The `caisse` command',
    file: 'cli/errors.ts',
    about: 'How the command was called; these exit with code 2 (every other catalogued error exits with 1).',
    errors: cliErrors,
  },
  {
    id: 'system',
    title: 'What the system refused',
    file: 'cli/system-errors.ts',
    about: 'A file, directory or network address the operating system refused while a command ran, named with the call and the path instead of a stack trace; exit code 1.',
    errors: systemErrors,
  },
];

type CodeOf<T> = T extends ErrorCatalogue<infer C> ? C : never;
/** Every catalogued code. */
export type ErrorCode =
  | CodeOf<typeof ledgerErrors>
  | CodeOf<typeof merkleErrors>
  | CodeOf<typeof auditErrors>
  | CodeOf<typeof reportErrors>
  | CodeOf<typeof rulesErrors>
  | CodeOf<typeof catalogErrors>
  | CodeOf<typeof keyFileErrors>
  | CodeOf<typeof printerErrors>
  | CodeOf<typeof cliErrors>
  | CodeOf<typeof systemErrors>;

/** Codes defined by more than one area (each with the areas defining it); empty when all is well. */
export function duplicateCodes(areas: readonly ErrorArea[]): { code: string; areas: string[] }[] {
  const owners = new Map<string, string[]>();
  for (const area of areas) {
    for (const code of Object.keys(area.errors)) owners.set(code, [...(owners.get(code) ?? []), area.id]);
  }
  return [...owners].filter(([, ids]) => ids.length > 1).map(([code, ids]) => ({ code, areas: ids }));
}

/**
 * Merges the areas' catalogues. A code defined twice is a programmer error (two meanings for one stable
 * code), so it stops the program at start-up rather than letting one definition shadow the other.
 */
export function mergeCatalogues(areas: readonly ErrorArea[]): { readonly [code: string]: ErrorSpec } {
  const ids = new Set(areas.map((a) => a.id));
  if (ids.size !== areas.length) throw new Error('an error area is listed twice');
  const duplicates = duplicateCodes(areas);
  if (duplicates.length > 0) {
    throw new Error(`error codes defined twice: ${duplicates.map((d) => `${d.code} (${d.areas.join(', ')})`).join('; ')}`);
  }
  const merged: { [code: string]: ErrorSpec } = {};
  for (const area of areas) Object.assign(merged, area.errors);
  return Object.freeze(merged);
}

export const errorCatalogue = mergeCatalogues(errorAreas) as ErrorCatalogue<ErrorCode>;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(errorCatalogue, code);
}

/** The area that defines a code, or undefined for a code no catalogue knows. */
export function errorAreaOf(code: string): ErrorArea | undefined {
  return errorAreas.find((area) => Object.hasOwn(area.errors, code));
}
