import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SigningKey } from '../../domain/ed25519.js';
import { signEntry } from '../../domain/entry/sign.js';
import type { EntryBody } from '../../domain/entry/schema.js';
import type { Outcome, Submission } from '../../ledger/core/ledger.js';
import { VerifierPool } from '../../ledger/crypto/verifier-pool.js';
import { createApp } from '../../ledger/http/app.js';
import { createLedgerServer, type ServerLimits } from '../../ledger/http/server.js';
import { initLedger, openLedger, readRoleKey, type OpenedLedger } from '../../ledger/home.js';
import { localPort } from '../../cli/demo/port.js';
import { Random } from '../../cli/demo/random.js';
import { periodOf, setUpScenario } from '../../cli/demo/scenario.js';
import { TrafficGenerator } from '../../cli/demo/traffic.js';
import { loadWorld, type World } from '../../cli/demo/world.js';
import { fixturesDir, projectRoot } from '../../cli/project-root.js';

/**
 * A real ledger in a temporary directory, brought to the demo's starting point (shops, households, till
 * keys, allowances) by the demo's own code, so that the payments it makes are exactly what a till
 * sends: signed by a registered till key, with a basket that hashes to its summary. The ledger runs on
 * the real clock, like a served ledger.
 */
export interface DemoLedgerOptions {
  /** Households in the demo world (the fewer, the more predictable whose balance a payment draws on). */
  readonly households?: number;
  readonly seed?: number;
  readonly runId?: string;
}

export class DemoLedger {
  private constructor(
    readonly dir: string,
    public opened: OpenedLedger,
    readonly world: World,
    readonly tillKeys: ReadonlyMap<string, SigningKey>,
    readonly operator: SigningKey,
    readonly committee: SigningKey,
    readonly moneko: SigningKey,
    readonly traffic: TrafficGenerator,
  ) {}

  static async create(options: DemoLedgerOptions = {}): Promise<DemoLedger> {
    const dir = mkdtempSync(join(tmpdir(), 'caisse-http-'));
    try {
      return await DemoLedger.setUp(dir, options);
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  private static async setUp(dir: string, options: DemoLedgerOptions): Promise<DemoLedger> {
    initLedger(dir);
    const opened = openLedger(dir);
    try {
      return await DemoLedger.populate(dir, opened, options);
    } catch (e) {
      opened.close();
      throw e;
    }
  }

  private static async populate(dir: string, opened: OpenedLedger, options: DemoLedgerOptions): Promise<DemoLedger> {
    const world = await loadWorld(fixturesDir(), options.households === undefined ? {} : { households: options.households });
    const operator = readRoleKey(dir, 'operator');
    const moneko = readRoleKey(dir, 'moneko');
    const committee = readRoleKey(dir, 'committee');
    const port = localPort(opened.ledger);
    const nowMs = Date.now();
    const scenario = await setUpScenario(port, world, dir, { committee, operator, moneko }, nowMs);
    const traffic = new TrafficGenerator(world, scenario.tillKeys, operator, new Random(options.seed ?? 44), Date.now, periodOf(nowMs), options.runId ?? 'test');
    for (const hh of world.households) traffic.setBalance(hh.accountId, opened.store.balanceCents(hh.accountId, 'CCA'));
    return new DemoLedger(dir, opened, world, scenario.tillKeys, operator, committee, moneko, traffic);
  }

  get ledger() {
    return this.opened.ledger;
  }
  get store() {
    return this.opened.store;
  }

  /**
   * The next valid payment from the demo's traffic, signed and with its basket, not submitted. When the
   * traffic wants a new month's allowance first, that allowance is appended here, in process.
   */
  nextPayment(): Submission {
    for (;;) {
      const next = this.traffic.next();
      const payment = next.find((s) => s.entry.body.type === 'payment');
      const others = next.filter((s) => s !== payment);
      if (others.length > 0) {
        for (const o of this.ledger.appendGroup(others)) if (!o.ok) throw o.error;
      }
      if (payment !== undefined) return payment;
    }
  }

  /** Appends entries in process (set-up for a test, before its snapshot) and fails on any refusal. */
  append(submissions: readonly Submission[]): Outcome[] {
    const outcomes = this.ledger.appendGroup(submissions);
    outcomes.forEach((o, i) => {
      if (!o.ok) throw new Error(`set-up entry ${i} refused: ${o.error.code} ${o.error.detail}`);
    });
    return outcomes;
  }

  sign(body: EntryBody, keys: readonly SigningKey[]): Submission {
    return { entry: signEntry(body, keys) };
  }

  tillKey(tillId: string): SigningKey {
    const key = this.tillKeys.get(tillId);
    if (key === undefined) throw new Error(`no till key for ${tillId}`);
    return key;
  }

  /**
   * Serves this ledger's API on 127.0.0.1 on a free port, with inline signature verification, or with
   * `threads` verifier threads running the compiled worker (dist/, built by `npm test`), as served.
   */
  async listen(options: { basketReaderToken?: string; threads?: number; serverLimits?: ServerLimits } = {}): Promise<TestServer> {
    const pool = new VerifierPool(options.threads ?? 0, compiledVerifyWorker);
    const app = createApp({
      ledger: this.ledger,
      pool,
      ledgerPublicKey: this.opened.ledgerKey.publicKey,
      ...(options.basketReaderToken !== undefined ? { basketReaderToken: options.basketReaderToken } : {}),
    });
    // As `caisse ledger serve` sets it up: bounded request times, and requests node cannot parse
    // answered with a code too.
    const server = createLedgerServer(app, options.serverLimits);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    return {
      port,
      url: `http://127.0.0.1:${port}`,
      async close() {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await pool.close();
      },
    };
  }

  close(): void {
    this.opened.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The verifier thread as built into dist/ by `npm run build` (the `pretest` script). */
export const compiledVerifyWorker = join(projectRoot(), 'dist', 'ledger', 'crypto', 'verify-worker.js');

export interface TestServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}
