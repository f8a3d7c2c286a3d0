import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { generateSigningKey, type SigningKey } from '../domain/ed25519.js';
import { accountOpenBody, allowanceIssueBody, keyRegisterBody, keyRegistration, paymentBody, refundBody } from '../domain/entry/build.js';
import type { EntryBody } from '../domain/entry/schema.js';
import { signEntry } from '../domain/entry/sign.js';
import { limits } from '../domain/limits.js';
import type { Submission } from '../ledger/core/ledger.js';
import { initLedger, openLedger, readRoleKey, standardAccounts } from '../ledger/home.js';
import { audit } from '../ledger/audit/audit.js';

/**
 * Audit bench: builds (or reuses) a ledger of N signed payments, measures the raw Ed25519 verify rate
 * of all cores (node:crypto, cached KeyObject, one worker thread per core) and then the audit's rate,
 * reported as a ratio of it, with the largest resident memory seen during the audit. The issue's goal:
 * at least 70 % of the verify limit of all cores, memory flat.
 */
export interface AuditBenchOptions {
  readonly entries: number;
  /** Where built ledgers are kept between runs; default the system's temporary directory. */
  readonly cacheDir?: string;
  readonly threads?: number;
}

const households = 1000;
const merchants = 50;
const refundEvery = 1000;
const builtMarker = 'bench-complete';

export async function run(options: AuditBenchOptions): Promise<void> {
  const dir = await buildLedger(options.entries, options.cacheDir ?? tmpdir());
  const threads = options.threads ?? cpus().length;
  const verifyPerSecond = await rawVerifyRate(threads, 3000);
  const rss = sampleRss();
  const report = await audit({ data: dir }, { threads });
  const rssMaxBytes = rss.stop();
  const ratio = report.entriesPerSecond / verifyPerSecond;
  const rows: [string, string][] = [
    ['ledger', dir],
    ['entries audited', String(report.entries)],
    ['threads', String(report.threads)],
    ['Ed25519 verify limit, all cores (/s)', verifyPerSecond.toFixed(0)],
    ['audit rate (entries/s)', report.entriesPerSecond.toFixed(0)],
    ['audit / verify limit', `${(ratio * 100).toFixed(1)} % (goal ≥ 70 %)`],
    ['audit time (s)', report.seconds.toFixed(1)],
    ['RSS max during audit (MiB)', (rssMaxBytes / 1024 / 1024).toFixed(0)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`\nAudit bench (${options.entries} payments)\n`);
  for (const [k, v] of rows) process.stdout.write(`  ${k.padEnd(width)}  ${v}\n`);
}

/** Largest resident set size seen, sampled every 50 ms (the worker threads live in this process too). */
function sampleRss(): { stop(): number } {
  let max = process.memoryUsage.rss();
  const timer = setInterval(() => {
    max = Math.max(max, process.memoryUsage.rss());
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(max, process.memoryUsage.rss());
    },
  };
}

/** Ed25519 verifications per second on `threads` worker threads, node:crypto with a cached KeyObject. */
export async function rawVerifyRate(threads: number, durationMs: number): Promise<number> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { generateKeyPairSync, sign, verify } = require('node:crypto');
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const message = Buffer.alloc(400, 7);
    const signature = sign(null, message, privateKey);
    for (let i = 0; i < 200; i++) verify(null, message, publicKey, signature);
    const start = performance.now();
    let count = 0;
    while (performance.now() - start < workerData.durationMs) {
      for (let i = 0; i < 50; i++) verify(null, message, publicKey, signature);
      count += 50;
    }
    parentPort.postMessage(count / ((performance.now() - start) / 1000));
  `;
  const rates = await Promise.all(
    Array.from({ length: Math.max(1, threads) }, () => {
      const worker = new Worker(code, { eval: true, workerData: { durationMs } });
      return new Promise<number>((done, fail) => {
        worker.once('message', (rate: number) => {
          void worker.terminate();
          done(rate);
        });
        worker.once('error', fail);
      });
    }),
  );
  return rates.reduce((a, b) => a + b, 0);
}

/**
 * A ledger of `payments` signed payments by 1000 households at 50 shops (one till each), with a refund
 * every thousand payments, appended in process in groups of up to 2000; kept in `cacheDir` for the
 * next run.
 */
export async function buildLedger(payments: number, cacheDir: string): Promise<string> {
  const dir = join(cacheDir, `caisse-bench-audit-${payments}`);
  if (existsSync(join(dir, builtMarker))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const nowMs = Date.UTC(2026, 10, 23, 10, 0, 0);
  initLedger(dir, { nowMs });
  const opened = openLedger(dir, { nowMs: () => nowMs });
  try {
    const operator = readRoleKey(dir, 'operator');
    let seq = 0;
    const common = (prefix: string) => ({ id: `${prefix}-${String(++seq).padStart(10, '0')}`, createdAtMs: nowMs });
    const append = (items: Submission[]) => {
      for (let at = 0; at < items.length; at += limits.groupEntriesMax) {
        for (const outcome of opened.ledger.appendGroup(items.slice(at, at + limits.groupEntriesMax))) {
          if (!outcome.ok) throw new Error(`bench ledger: ${outcome.error.code} ${outcome.error.detail}`);
        }
      }
    };
    // The bench signs every entry itself, so the ledger need not verify them again while building.
    const signed = (body: EntryBody, keys: readonly SigningKey[]): Submission => ({ entry: signEntry(body, keys), signaturesVerified: true });

    const shops = Array.from({ length: merchants }, (_, i) => ({ merchant: `shop:bench-${i}`, tillId: `bench-${i}-1`, key: generateSigningKey() }));
    const members = Array.from({ length: households }, (_, i) => `hh:bench${String(i).padStart(6, '0')}`);
    append([
      ...shops.map((s) => signed(accountOpenBody(common('open'), { id: s.merchant, kind: 'merchant', territory: 'nantes-ouest', label: `Épicerie ${s.merchant}` }), [operator])),
      ...members.map((id) => signed(accountOpenBody(common('open'), { id, kind: 'household', territory: 'nantes-ouest' }), [operator])),
    ]);
    append(shops.map((s) => signed(keyRegisterBody(common('key'), keyRegistration(s.key.publicKey, 'till', { merchant: s.merchant, tillId: s.tillId })), [operator])));
    // 10 000 EUR each: far more than the payments below spend.
    append([signed(allowanceIssueBody(common('alloc'), standardAccounts.fund, '2026-11', members.map((household) => ({ household, amountCents: 1_000_000 }))), [operator])]);

    let made = 0;
    const tickets = new Map<string, number>();
    while (made < payments) {
      const group: Submission[] = [];
      while (group.length < limits.groupEntriesMax && made < payments) {
        const shop = shops[made % shops.length];
        const payer = members[(made * 7919) % members.length];
        if (shop === undefined || payer === undefined) throw new Error('unreachable');
        const ticket = (tickets.get(shop.tillId) ?? 0) + 1;
        tickets.set(shop.tillId, ticket);
        const amountCents = 100 + ((made * 37) % 900);
        const { body, basket } = paymentBody(common('pay'), {
          payer,
          merchant: shop.merchant,
          tillId: shop.tillId,
          ticket,
          rulesVersion: 'nantes-ouest@2026-11',
          tier: 1,
          lines: [
            { code: '3760123450017', productCode: '3760123450017', quantity: 1, unitPriceCents: amountCents, priceCents: amountCents, eligible: true, shareBasisPoints: 10_000, caisseCents: amountCents, memberCents: 0 },
          ],
        });
        group.push({ ...signed(body, [shop.key]), basket });
        made++;
        if (made % refundEvery === 0 && made < payments) {
          group.push(signed(refundBody(common('refund'), { payment: body.id, payer, merchant: shop.merchant, tillId: shop.tillId, amountCents: 50, reason: 'Produit abîmé' }), [shop.key]));
          made++;
        }
      }
      append(group);
    }
  } finally {
    opened.close();
  }
  writeFileSync(join(dir, builtMarker), `${new Date().toISOString()}\n`);
  return dir;
}

// `node dist/bench/audit.js [entries]` runs this bench alone.
if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const entries = Number(process.argv[2] ?? '100000');
  await run({ entries });
}
