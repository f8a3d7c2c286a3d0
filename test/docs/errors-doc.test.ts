import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ErrorSpec } from '../../domain/error-spec.js';
import { duplicateCodes, errorAreaOf, errorAreas, errorCatalogue, mergeCatalogues, type ErrorArea } from '../../cli/error-catalogue.js';
import { errorTableHeader, escapeCell, renderErrorsDoc } from '../../cli/error-doc.js';
import { splitRow, tableRows } from './markdown-table.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const docPath = join(root, 'docs', 'ERRORS.md');
const regenerate = "docs/ERRORS.md is out of step with the error catalogues: regenerate it with `npm run docs:errors` (that is: npm run build && node dist/cli/error-doc.js docs/ERRORS.md)";
const sourceDirs = ['domain', 'ledger', 'terminal', 'printer', 'cli', 'bench'];

interface DocumentedError extends ErrorSpec {
  readonly code: string;
  readonly heading: string;
  readonly line: number;
}

function documentedErrors(markdown: string): DocumentedError[] {
  return tableRows(markdown, errorTableHeader).map((row) => {
    const [code, status, fr, en, ...extra] = row.cells;
    if (code === undefined || status === undefined || fr === undefined || en === undefined || extra.length > 0) {
      throw new Error(`docs/ERRORS.md line ${row.line}: expected 4 cells, got ${row.cells.length}`);
    }
    const bare = /^`([A-Z0-9_]+)`$/.exec(code)?.[1];
    if (bare === undefined) throw new Error(`docs/ERRORS.md line ${row.line}: code ${code} is not written as \`CODE\``);
    return { code: bare, status: Number(status), fr, en, heading: row.heading, line: row.line };
  });
}

function sourceFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

function isCatalogue(value: unknown): value is Record<string, ErrorSpec> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.keys(value).length === 0) return false;
  return Object.values(value).every(
    (spec: unknown) =>
      typeof spec === 'object' && spec !== null && typeof (spec as ErrorSpec).status === 'number' && typeof (spec as ErrorSpec).fr === 'string' && typeof (spec as ErrorSpec).en === 'string',
  );
}

describe('docs/ERRORS.md and the merged error catalogue', () => {
  const doc = readFileSync(docPath, 'utf8');
  const documented = documentedErrors(doc);
  const byCode = new Map(documented.map((d) => [d.code, d]));

  it('documents every catalogued code with its area, status and both messages', () => {
    const wrong: string[] = [];
    for (const [code, spec] of Object.entries(errorCatalogue)) {
      const d = byCode.get(code);
      const area = errorAreaOf(code);
      if (d === undefined) wrong.push(`${code}: not documented`);
      else {
        if (d.status !== spec.status) wrong.push(`${code}: status ${d.status} in the doc, ${spec.status} in the code`);
        if (d.fr !== spec.fr.replace(/\r?\n/g, ' ')) wrong.push(`${code}: French message differs`);
        if (d.en !== spec.en.replace(/\r?\n/g, ' ')) wrong.push(`${code}: English message differs`);
        if (area === undefined || d.heading !== area.title) wrong.push(`${code}: under "${d.heading}", defined in ${area?.file ?? '?'}`);
      }
    }
    expect(wrong, regenerate).toEqual([]);
  });

  it('documents no code that the catalogue lacks, and none twice', () => {
    const unknown = documented.filter((d) => !Object.hasOwn(errorCatalogue, d.code)).map((d) => `${d.code} (line ${d.line})`);
    expect(unknown, regenerate).toEqual([]);
    const twice = documented.filter((d, i) => documented.findIndex((e) => e.code === d.code) !== i).map((d) => d.code);
    expect(twice, regenerate).toEqual([]);
    expect(documented.length, regenerate).toBe(Object.keys(errorCatalogue).length);
  });

  it('is exactly what cli/error-doc.ts renders from the catalogue', () => {
    expect(doc === renderErrorsDoc(), regenerate).toBe(true);
  });

  it('merges every catalogue defined in the sources, each code once', async () => {
    const files = sourceDirs.flatMap((d) => sourceFiles(join(root, d))).filter((f) => /=\s*defineErrors\s*\(/.test(readFileSync(f, 'utf8')));
    const listed = new Set(errorAreas.map((a) => a.file));
    const missing = files.map((f) => relative(root, f).split('\\').join('/')).filter((f) => !listed.has(f));
    expect(missing, 'add these catalogues to errorAreas in cli/error-catalogue.ts').toEqual([]);
    for (const file of files) {
      const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      for (const value of Object.values(module).filter(isCatalogue)) {
        for (const [code, spec] of Object.entries(value)) expect(errorCatalogue[code as keyof typeof errorCatalogue], `${code} of ${file}`).toEqual(spec);
      }
    }
    expect(duplicateCodes(errorAreas)).toEqual([]);
  });

  it('refuses a code defined in two areas', () => {
    const spec = { status: 400, fr: 'a', en: 'a' };
    const a: ErrorArea = { id: 'a', title: 'A', file: 'a.ts', about: '', errors: { TEST_SAME: spec } };
    const b: ErrorArea = { id: 'b', title: 'B', file: 'b.ts', about: '', errors: { TEST_SAME: spec, TEST_OTHER: spec } };
    expect(duplicateCodes([a, b])).toEqual([{ code: 'TEST_SAME', areas: ['a', 'b'] }]);
    expect(() => mergeCatalogues([a, b])).toThrow(/TEST_SAME \(a, b\)/);
    expect(() => mergeCatalogues([a, a])).toThrow(/listed twice/);
    expect(Object.keys(mergeCatalogues([b]))).toEqual(['TEST_SAME', 'TEST_OTHER']);
  });

  it('escapes table cells so that any message reads back unchanged', () => {
    const message = 'a | b \\ c';
    expect(splitRow(`| \`X_Y\` | 400 | ${escapeCell(message)} | e |`)).toEqual(['`X_Y`', '400', message, 'e']);
  });
});
