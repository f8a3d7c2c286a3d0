import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorAreas, type ErrorArea } from './error-catalogue.js';

/**
 * docs/ERRORS.md, generated from the merged error catalogue so that the page never lags behind the code.
 * test/docs/errors-doc.test.ts parses the page and checks it against the catalogue both ways; when it
 * fails, regenerate with `npm run docs:errors` (build, then run this file).
 */

/** The table header; the test's parser looks for exactly this line. */
export const errorTableHeader = '| Code | HTTP | Français | English |';

/** A table cell: `|` would end the cell and a newline the row, so both are escaped. */
export function escapeCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function areaTable(area: ErrorArea): string {
  const rows = Object.entries(area.errors)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([code, spec]) => `| \`${code}\` | ${spec.status} | ${escapeCell(spec.fr)} | ${escapeCell(spec.en)} |`);
  return [
    `## ${area.title}`,
    '',
    `<a id="${area.id}"></a>Defined in \`${area.file}\`. ${area.about}`,
    '',
    errorTableHeader,
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/** What each status means across the kit, for the page's legend. */
const statusMeanings: { readonly [status: number]: string } = {
  400: 'the input is malformed (bad JSON, wrong type, bad value)',
  401: 'authentication is missing, or a signature does not prove who signed',
  403: 'the key or party is known but not allowed to do this',
  404: 'not found',
  409: 'refused by the current state (balance, an id already used, an account closed…)',
  413: 'too large (a body, a batch, a file)',
  415: 'not JSON',
  422: 'well-formed, but a check failed (a proof, a signature in an audit, a document)',
  500: 'internal error or damaged storage',
  502: 'a device or upstream service answered wrongly',
  503: 'unavailable or overloaded: retry later',
  504: 'a device or upstream service did not answer in time',
  507: 'no room left (a full queue or disk)',
};

function statusesUsed(): number[] {
  const statuses = new Set<number>();
  for (const area of errorAreas) for (const spec of Object.values(area.errors)) statuses.add(spec.status);
  return [...statuses].sort((a, b) => a - b);
}

export function renderErrorsDoc(): string {
  const total = errorAreas.reduce((n, area) => n + Object.keys(area.errors).length, 0);
  const intro = [
    '# Error codes',
    '',
    '<!-- Generated from cli/error-catalogue.ts by cli/error-doc.ts: do not edit by hand.',
    '     Regenerate with `npm run docs:errors`; test/docs/errors-doc.test.ts checks this page. -->',
    '',
    'Every refusal in the kit carries a stable code from one catalogue. A code is part of the API: its',
    'meaning never changes and a retired code is never reused for another meaning. Messages are French',
    'first, English on request; the detail that comes with an error (a field path, an account, a log',
    'index) is not translated and is not part of the catalogue.',
    '',
    `${total} codes in ${errorAreas.length} areas:`,
    '',
    ...errorAreas.map((area) => `- [${area.title}](#${area.id}): ${Object.keys(area.errors).length} codes`),
    '',
    '## How an error reaches a person',
    '',
    '- **Over HTTP** (the ledger, docs/API.md): the response has the status of the table and the body',
    '  `{"error": {"code": "LEDGER_OVERDRAFT", "message": "Solde insuffisant (…)", "detail": "…"}}`.',
    '  `message` is the French text followed by the detail in parentheses, or the English text when the',
    '  request\'s `Accept-Language` header starts with `en`. In a batch answer each refused entry has',
    '  `{"ok": false, "error": {…}}` with the same fields, and the batch itself answers 200.',
    '- **On the command line**: `Erreur CODE : message (détail)` on standard error, or',
    '  `Error CODE: message (detail)` with `--lang en`; the exit code is 2 for `CLI_` codes and 1 for',
    '  every other code.',
    '- **Elsewhere** (printer, catalogue import, rules evaluation on the till) the status is not sent',
    '  anywhere but still classifies the error as HTTP would: 4xx the input is wrong, 5xx the system is.',
    '',
    'Statuses used:',
    '',
    ...statusesUsed().map((status) => `- ${status}: ${statusMeanings[status] ?? 'see the codes below'}`),
    '',
  ].join('\n');
  return `${intro}\n${errorAreas.map(areaTable).join('\n')}`;
}

/** Writes the page; run from the repository root after a build: `node dist/domain/error-doc.js`. */
export function writeErrorsDoc(path: string): void {
  writeFileSync(path, renderErrorsDoc());
}

const invokedPath = process.argv[1];
if (invokedPath !== undefined && resolve(invokedPath) === fileURLToPath(import.meta.url)) {
  const target = process.argv[2] ?? 'docs/ERRORS.md';
  writeErrorsDoc(target);
  process.stdout.write(`wrote ${target}\n`);
}
