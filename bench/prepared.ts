import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Submission } from '../ledger/core/ledger.js';
import { initLedger, openLedger, readRoleKey, type OpenedLedger } from '../ledger/home.js';
import { localPort, type LedgerPort } from '../cli/demo/port.js';
import { allowanceRetriesMax } from '../cli/demo/drive.js';
import { Random } from '../cli/demo/random.js';
import { periodOf, setUpScenario } from '../cli/demo/scenario.js';
import { TrafficGenerator } from '../cli/demo/traffic.js';
import { loadWorld } from '../cli/demo/world.js';
import { fixturesDir } from '../cli/project-root.js';

/**
 * A ledger set up like the demo's (shops, households, till keys, Moneko, allowances) and payments made
 * by the demo's own traffic generator (rules evaluation, till signature), all made BEFORE any timing:
 * the generator is itself CPU-heavy and would otherwise be measured along with the ledger.
 *
 * Allowances the generator asks for on the way are applied to the ledger at once: they only add money,
 * so every payment stays covered whatever order the payments arrive in.
 */
export const benchSeed = 44;
/** Enough households that allowance days are rare and payments spread over many accounts. */
export const benchHouseholds = 2000;

export interface PreparedLedger {
  readonly dir: string;
  readonly payments: Submission[];
}

export async function prepareLedger(dir: string, payments: number): Promise<PreparedLedger> {
  const nowMs = Date.now();
  initLedger(dir, { nowMs });
  const opened = openLedger(dir);
  try {
    const maker = await PaymentMaker.create(opened, dir, nowMs);
    return { dir, payments: await maker.next(payments) };
  } finally {
    opened.close();
  }
}

/** Makes signed payments for an open ledger, with the demo's world set up on it (if not done yet). */
export class PaymentMaker {
  private constructor(
    private readonly port: LedgerPort,
    private readonly traffic: TrafficGenerator,
  ) {}

  static async create(opened: OpenedLedger, dir: string, nowMs = Date.now()): Promise<PaymentMaker> {
    const world = await loadWorld(fixturesDir(), { households: benchHouseholds });
    const port = localPort(opened.ledger);
    const keys = { committee: readRoleKey(dir, 'committee'), operator: readRoleKey(dir, 'operator'), moneko: readRoleKey(dir, 'moneko') };
    const scenario = await setUpScenario(port, world, dir, keys, nowMs);
    const traffic = new TrafficGenerator(world, scenario.tillKeys, keys.operator, new Random(benchSeed + opened.ledger.treeSize()), Date.now, periodOf(nowMs), randomBytes(4).toString('hex'));
    for (const hh of world.households) traffic.setBalance(hh.accountId, opened.store.balanceCents(hh.accountId, 'CCA'));
    return new PaymentMaker(port, traffic);
  }

  /** The next `count` payments, signed; allowances they need are appended to the ledger on the way. */
  async next(count: number): Promise<Submission[]> {
    const out: Submission[] = [];
    while (out.length < count) {
      const next = this.traffic.next();
      const setup = next.filter((s) => s.entry.body.type !== 'payment');
      let pending = setup;
      // A month already credited on this ledger: move on to the next, as the demo does.
      for (let attempt = 0; attempt < allowanceRetriesMax && pending.length > 0; attempt++) {
        const outcomes = await this.port.submitBatch(pending);
        const already = outcomes.some((o) => !o.ok && o.error.code === 'LEDGER_ALLOWANCE_ALREADY_ISSUED');
        for (const o of outcomes) if (!o.ok && o.error.code !== 'LEDGER_ALLOWANCE_ALREADY_ISSUED') throw o.error;
        pending = already ? this.traffic.reissueAllowances() : [];
      }
      for (const s of next) if (s.entry.body.type === 'payment') out.push(s);
    }
    return out.slice(0, count);
  }
}

/** The exact body a till POSTs to /v1/entries for a submission. */
export function requestBody(s: Submission): unknown {
  return { entry: s.entry, ...(s.basket !== undefined ? { basket: s.basket } : {}) };
}

/** One JSON body per line, for the load process. */
export function writeBodies(path: string, bodies: readonly unknown[]): void {
  writeFileSync(path, `${bodies.map((b) => JSON.stringify(b)).join('\n')}\n`);
}
