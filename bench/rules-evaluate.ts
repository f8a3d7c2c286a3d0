import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { demoFixturesDir } from '../cli/commands/labels.js';
import { variableMeasureCode } from '../domain/catalog/barcode.js';
import { importCatalog } from '../domain/catalog/import.js';
import { compileRules } from '../domain/rules/compile.js';
import { evaluateBasket, type BasketLineInput } from '../domain/rules/evaluate.js';

/**
 * Evaluating a 50-line basket against the real fixtures (Nantes rules, the organic grocery's catalogue,
 * weighed labels included), timed one evaluation at a time: median and p99. One SHA-256 of 1 KB is
 * timed in the same run as a machine-independent reference: the ratio says how many hashes one basket
 * costs, whatever the machine.
 */
const iterations = 5000;
const warmup = 500;

function quantiles(samplesNs: bigint[]): { medianUs: number; p99Us: number } {
  const sorted = samplesNs.map(Number).sort((a, b) => a - b);
  const at = (q: number): number => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) / 1000;
  return { medianUs: at(0.5), p99Us: at(0.99) };
}

function time(fn: () => unknown): bigint[] {
  for (let i = 0; i < warmup; i++) fn();
  const samples: bigint[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(process.hrtime.bigint() - start);
  }
  return samples;
}

export async function run(): Promise<void> {
  const dir = demoFixturesDir();
  const shops = JSON.parse(readFileSync(join(dir, 'shops.json'), 'utf8')) as { accountId: string; territory: string; catalog: string }[];
  const shop = shops.find((s) => s.accountId === 'shop:epi-chantenay');
  if (shop === undefined) throw new Error('fixture shop missing');
  const imported = importCatalog(readFileSync(join(dir, shop.catalog)), { shopId: shop.accountId });
  if (!imported.ok) throw new Error('fixture catalogue invalid');
  const catalog = imported.catalog;
  const rules = compileRules(JSON.parse(readFileSync(join(dir, 'rules', `${shop.territory}.json`), 'utf8')));
  const lines: BasketLineInput[] = catalog.products.slice(0, 50).map((p, i) => {
    if (p.kind === 'variable-weight') return { code: variableMeasureCode(p.code, 250 + i * 10) };
    return p.unit === 'kg' ? { code: p.code, weightGrams: 500 + i } : { code: p.code, quantity: 1 + (i % 3) };
  });
  const atMs = Date.UTC(2026, 6, 15, 10);
  const member = { tier: 2, allowanceBalanceCents: 15_000 };
  const basket = quantiles(time(() => evaluateBasket({ rules, shopId: shop.accountId, catalog, lines, member, atMs })));
  const kilobyte = Buffer.alloc(1024, 7);
  const sha = quantiles(time(() => createHash('sha256').update(kilobyte).digest()));
  const rows = [
    ['evaluateBasket, 50 lines', basket.medianUs, basket.p99Us],
    ['SHA-256 of 1 KB', sha.medianUs, sha.p99Us],
  ] as const;
  const out: string[] = [];
  out.push(`rules-evaluate (${iterations} runs each, after ${warmup} warm-up runs)`);
  out.push(`${'operation'.padEnd(28)}${'median µs'.padStart(12)}${'p99 µs'.padStart(12)}`);
  for (const [name, median, p99] of rows) out.push(`${name.padEnd(28)}${median.toFixed(2).padStart(12)}${p99.toFixed(2).padStart(12)}`);
  out.push(`${'ratio basket / SHA-256'.padEnd(28)}${(basket.medianUs / sha.medianUs).toFixed(1).padStart(12)}${(basket.p99Us / sha.p99Us).toFixed(1).padStart(12)}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
