import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as append from './append.js';
import * as batchSubmit from './batch-submit.js';
import { benchArgs, figureInChild, printTable, type FigureRow, type FigureTable } from './figure.js';
import * as httpPayments from './http-payments.js';
import { benchOutDir } from './paths.js';
import * as proof from './proof.js';
import * as rawLimits from './raw-limits.js';

/**
 * `npm run bench`: the raw limits of this machine first, then every figure of issue 8 ("Speed") as a
 * ratio to them, one table per figure and a summary. Options: --quick (smaller runs, a 50,000-entry
 * log), --entries N (size of the big log for the proof and audit figures; default 1,000,000), --only
 * NAME[,NAME…] (http, batch, append, proof, audit, rules; the raw limits always run). Results are also written to
 * bench/out/last-run.json. Targets are informational: nothing here fails a build.
 */
const args = benchArgs();
const quick = args.quick;
const entries = args.entries ?? (quick ? proof.quickEntries : proof.defaultEntries);
const only = args.only?.split(',');
const wanted = (name: string) => only === undefined || only.includes(name);
const tables: FigureTable[] = [];
const show = (t: FigureTable) => {
  tables.push(t);
  printTable(t);
};

/** A figure written by another engineer, loaded only if its file is there: `run(options)` returning a table or printing its own. */
async function optionalFigure(file: string, options: Record<string, unknown>): Promise<void> {
  const path = fileURLToPath(new URL(file, import.meta.url));
  if (!existsSync(path)) {
    process.stdout.write(`\n(${file.replace('.js', '.ts')} not present: skipped)\n`);
    return;
  }
  const module = (await import(path)) as { run?: (o: Record<string, unknown>) => Promise<unknown> };
  if (typeof module.run !== 'function') return;
  const result = await module.run(options);
  const table = asTable(result) ?? (typeof result === 'object' && result !== null && 'table' in result ? asTable(result.table) : undefined);
  if (table !== undefined) show(table);
}

function asTable(value: unknown): FigureTable | undefined {
  if (typeof value !== 'object' || value === null || !('title' in value) || !('rows' in value) || !Array.isArray(value.rows)) return undefined;
  const table = value as FigureTable;
  return { title: table.title, rows: table.rows, notes: Array.isArray(table.notes) ? table.notes : [] };
}

const startedAt = new Date();
process.stdout.write(`# caisse bench, ${startedAt.toISOString()}${quick ? ' (quick)' : ''}\n`);
process.stdout.write(`${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}\n`);

const raw = await rawLimits.run({ quick });
printTable(raw.table);
if (wanted('http')) show((await httpPayments.run({ quick, expressHelloPerSecond: raw.expressHelloPerSecond })).table);
if (wanted('batch')) show((await batchSubmit.run({ quick, verifyAllCores: raw.verifyAllCores })).table);
if (wanted('append')) show((await append.run({ quick, verifyPerCore: raw.verifyPerCore['node-cached'] })).table);
if (wanted('proof')) show((await proof.run({ quick, entries, sqliteNodeReadsPerSecond: raw.sqliteNodeReadsPerSecond })).table);
// In a process of its own, as `caisse ledger verify` runs (see figureInChild).
if (wanted('audit')) show(await figureInChild('./audit.js', ['--entries', String(entries)]));
if (wanted('rules')) await optionalFigure('./rules-evaluate.js', {});

const summaryRows: FigureRow[] = tables.flatMap((t) => t.rows.filter((r) => r.target !== '-'));
printTable({ title: 'Summary (targets of issue 8; informational)', rows: summaryRows, notes: [] });
mkdirSync(benchOutDir, { recursive: true });
writeFileSync(
  join(benchOutDir, 'last-run.json'),
  `${JSON.stringify({ startedAt: startedAt.toISOString(), quick, entries, cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, raw: { ...raw, table: undefined }, tables: [raw.table, ...tables] }, null, 2)}\n`,
);
process.exit(0);
