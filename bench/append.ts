import { cpus } from 'node:os';
import { limits } from '../domain/limits.js';
import type { Outcome } from '../ledger/core/ledger.js';
import { openLedger } from '../ledger/home.js';
import { measureVerifies } from './ed25519-rates.js';
import { benchArgs, bracketedLimit, type FigureTable, fmtRate, isMain, limitNote, printTable, rate } from './figure.js';
import { scratchDir } from './paths.js';
import { prepareLedger } from './prepared.js';
import { profiled } from './profile.js';

/**
 * In-process append of signed entries: Ledger.appendGroup with payments signed beforehand, in groups of
 * `groupEntriesMax` (what group commit makes under load). Every signature is verified inline, on the one
 * core of the event loop, so the figure is compared with the one-core Ed25519 verify limit (target
 * >= 70 %). Receipts (with their inclusion proofs) are built as for any submission.
 */
export const appendTargetPercent = 70;

export interface AppendFigure {
  readonly entriesPerSecond: number;
  readonly table: FigureTable;
}

export async function run(options: { quick: boolean; verifyPerCore?: number }): Promise<AppendFigure> {
  const count = options.quick ? 6000 : 30_000;
  const oneCoreVerifies = () => {
    const m = measureVerifies('node-cached', 2000);
    return rate(m.count, m.elapsedMs);
  };
  const limitBefore = options.verifyPerCore ?? oneCoreVerifies();
  const scratch = scratchDir('append');
  try {
    const prepared = await prepareLedger(scratch.dir, count);
    const opened = openLedger(scratch.dir);
    let outcomes: Outcome[] = [];
    let elapsedMs = 0;
    try {
      await profiled('append', async () => {
        const start = performance.now();
        for (let i = 0; i < prepared.payments.length; i += limits.groupEntriesMax) {
          outcomes = outcomes.concat(opened.ledger.appendGroup(prepared.payments.slice(i, i + limits.groupEntriesMax)));
        }
        elapsedMs = performance.now() - start;
      });
    } finally {
      opened.close();
    }
    const refused = outcomes.filter((o) => !o.ok);
    if (refused.length > 0) throw new Error(`append: ${refused.length} refused, first ${refused[0]?.ok === false ? refused[0].error.code + ' ' + refused[0].error.detail : ''}`);
    const perSecond = rate(outcomes.length, elapsedMs);
    const verifyLimits = await bracketedLimit(limitBefore, oneCoreVerifies);
    const limit = verifyLimits.mean;
    const ratio = (100 * perSecond) / limit;
    return {
      entriesPerSecond: perSecond,
      table: {
        title: 'In-process append (Ledger.appendGroup, pre-signed payments)',
        rows: [
          {
            figure: 'signed payments appended, 1 core',
            measured: fmtRate(perSecond, 'entry'),
            rawLimit: `${fmtRate(limit, 'verify')} (1 core)`,
            ratioPercent: ratio,
            target: `>= ${appendTargetPercent} %`,
            pass: ratio >= appendTargetPercent,
          },
        ],
        notes: [
          `${outcomes.length} payments in groups of ${limits.groupEntriesMax}, one transaction and one signed checkpoint per group, receipts with inclusion proofs; ${cpus().length} cores on the machine.`,
          limitNote('Ed25519 verify limit of 1 core', verifyLimits, 'verify'),
        ],
      },
    };
  } finally {
    scratch.remove();
  }
}

if (isMain(import.meta.url)) {
  printTable((await run({ quick: benchArgs().quick })).table);
}
