import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { scratchDir } from './paths.js';

/**
 * One line of a bench table: a figure measured in this run, the raw limit it is compared with (also
 * measured in this run, on this machine) and the ratio between them. Targets come from issue 8
 * ("Speed"); a figure below its target is reported, never asserted: timings belong in the bench, not
 * in the tests.
 */
export interface FigureRow {
  readonly figure: string;
  readonly measured: string;
  readonly rawLimit: string;
  /** measured / raw limit, in percent; undefined where the figure is an absolute time. */
  readonly ratioPercent: number | undefined;
  readonly target: string;
  readonly pass: boolean | undefined;
}

export interface FigureTable {
  readonly title: string;
  readonly rows: readonly FigureRow[];
  /** Extra lines printed under the table (sizes, settings, what was measured exactly). */
  readonly notes: readonly string[];
}

export function rate(count: number, elapsedMs: number): number {
  return count / Math.max(elapsedMs / 1000, 1e-9);
}

export function fmtRate(perSecond: number, unit: string): string {
  return `${Math.round(perSecond).toLocaleString('en-US')} ${unit}/s`;
}

export function passMark(pass: boolean | undefined): string {
  if (pass === undefined) return '-';
  return pass ? 'pass' : 'below target';
}

export function printTable(table: FigureTable, write: (s: string) => void = (s) => process.stdout.write(s)): void {
  const header = ['figure', 'measured', 'raw limit', 'ratio', 'target', 'result'];
  const rows = table.rows.map((r) => [r.figure, r.measured, r.rawLimit, r.ratioPercent === undefined ? '-' : `${r.ratioPercent.toFixed(1)} %`, r.target, passMark(r.pass)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |\n`;
  write(`\n## ${table.title}\n\n`);
  write(line(header));
  write(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n`);
  for (const r of rows) write(line(r));
  for (const n of table.notes) write(`  ${n}\n`);
}

/** True when this module is the script node was started with (so each bench file also runs alone). */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && pathToFileURL(entry).href === moduleUrl;
}

/** `--name value` and `--flag` options of a bench script. */
export function benchArgs(argv: readonly string[] = process.argv.slice(2)): { quick: boolean; entries: number | undefined; only: string | undefined } {
  let quick = false;
  let entries: number | undefined;
  let only: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') quick = true;
    else if (a === '--entries') {
      const n = Number(argv[++i]);
      if (!Number.isSafeInteger(n) || n < 1000) throw new Error('--entries takes an integer of at least 1000');
      entries = n;
    } else if (a === '--only') only = argv[++i];
    else throw new Error(`unknown option ${a ?? ''} (known: --quick, --entries N, --only NAME)`);
  }
  return { quick, entries, only };
}

/** A raw limit measured before and after a figure, and the mean the figure is compared with. */
export interface BracketedLimit {
  readonly before: number;
  readonly after: number;
  readonly mean: number;
}

/**
 * The host moves raw limits by up to a third from one minute to the next, so a figure is compared
 * with its limit measured before it (in the run's raw limits, or by the figure itself when it runs
 * alone) and again right after it, averaged.
 */
export async function bracketedLimit(before: number, measureAfter: () => Promise<number> | number): Promise<BracketedLimit> {
  const after = await measureAfter();
  return { before, after, mean: (before + after) / 2 };
}

export function limitNote(what: string, limit: BracketedLimit, unit: string): string {
  return `${what} measured before (${fmtRate(limit.before, unit)}) and after (${fmtRate(limit.after, unit)}) this figure, averaged`;
}

/** The file a figure run by figureInChild writes its table to, as JSON, instead of printing it. */
const tableFileVariable = 'BENCH_TABLE_FILE';

/** The end of a figure's script run alone: its table printed, or handed to figureInChild. */
export function emitTable(table: FigureTable): void {
  const file = process.env[tableFileVariable];
  if (file === undefined) printTable(table);
  else writeFileSync(file, JSON.stringify(table));
}

/**
 * Runs a figure's script (a path beside this module's, e.g. './audit.js') in a process of its own and
 * answers its table. For the audit: `caisse ledger verify` runs in a fresh process, so its figure is
 * measured in one, not in a process whose heap, threads and compiled code the other figures shaped
 * (the summary's run measured it 2 to 4 points lower there).
 */
export async function figureInChild(script: string, args: readonly string[]): Promise<FigureTable> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const scratch = scratchDir('table');
  try {
    const tableFile = join(scratch.dir, 'table.json');
    const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done, fail) => {
      const child = spawn(process.execPath, [path, ...args], { stdio: 'inherit', env: { ...process.env, [tableFileVariable]: tableFile } });
      child.on('error', fail);
      child.on('exit', (code, signal) => done({ code, signal }));
    });
    if (ended.code !== 0) throw new Error(`${script} ${ended.signal !== null ? `was killed by ${ended.signal}` : `exited with code ${String(ended.code)}`}`);
    if (!existsSync(tableFile)) throw new Error(`${script} ended without writing its table (is it run as a script, isMain?)`);
    return JSON.parse(readFileSync(tableFile, 'utf8')) as FigureTable;
  } finally {
    scratch.remove();
  }
}
