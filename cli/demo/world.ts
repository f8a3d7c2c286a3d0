import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { loadCatalogFile } from '../../domain/catalog/catalog-file.js';
import type { Catalog } from '../../domain/catalog/catalog.js';
import { compileRules, parseRulesDocument, type CompiledRules } from '../../domain/rules/compile.js';
import type { RulesDocument } from '../../domain/rules/schema.js';
import { accountIdPattern, tillIdPattern } from '../../domain/ids.js';
import { cliError } from '../errors.js';

/**
 * The demo's world, read from fixtures/: the shops with their tills and catalogues, the member
 * households (pseudonymous), and each territory's rules. `households` above the fixtures' count adds
 * synthetic households (for the bench's large ledgers), deterministic and just as pseudonymous.
 */
const shopSchema = z.strictObject({
  accountId: z.string().regex(accountIdPattern),
  name: z.string().min(1).max(120),
  kind: z.string().min(1).max(40),
  territory: z.string().min(1).max(40),
  address: z.string().max(200),
  commune: z.string().max(80),
  tills: z.array(z.string().regex(tillIdPattern)).min(1).max(16),
  catalog: z.string().min(1).max(200),
});
const householdSchema = z.strictObject({
  accountId: z.string().regex(accountIdPattern),
  territory: z.string().min(1).max(40),
  size: z.int().min(1).max(12),
  tier: z.int().min(1).max(8),
});

export type ShopFixture = z.infer<typeof shopSchema>;
export type HouseholdFixture = z.infer<typeof householdSchema>;

export interface World {
  readonly shops: readonly ShopFixture[];
  readonly households: readonly HouseholdFixture[];
  readonly rules: ReadonlyMap<string, { readonly document: RulesDocument; readonly compiled: CompiledRules }>;
  readonly catalogs: ReadonlyMap<string, Catalog>;
}

export const householdsMax = 100_000;

function readJson(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw cliError('CLI_BAD_VALUE', `${path}: not JSON (${(e as Error).message})`);
  }
}

/** A fixtures file checked against its schema; a refusal names the file and the first field at fault. */
function parseFixture<T>(schema: z.ZodType<T>, path: string): T {
  const parsed = schema.safeParse(readJson(path));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw cliError('CLI_BAD_VALUE', `${path}: ${issue === undefined ? 'invalid' : `${issue.path.join('.') || 'file'}: ${issue.message}`}`);
}

export async function loadWorld(fixturesDir: string, options: { households?: number } = {}): Promise<World> {
  const shops = parseFixture(z.array(shopSchema).min(1), join(fixturesDir, 'shops.json'));
  const fixtureHouseholds = parseFixture(z.array(householdSchema).min(1), join(fixturesDir, 'households.json'));
  const rules = new Map<string, { document: RulesDocument; compiled: CompiledRules }>();
  for (const territory of new Set(shops.map((s) => s.territory))) {
    const document = parseRulesDocument(readJson(join(fixturesDir, 'rules', `${territory}.json`)));
    rules.set(territory, { document, compiled: compileRules(document) });
  }
  const catalogs = new Map<string, Catalog>();
  for (const shop of shops) catalogs.set(shop.accountId, await loadCatalogFile(join(fixturesDir, shop.catalog), { shopId: shop.accountId }));
  const wanted = Math.min(options.households ?? fixtureHouseholds.length, householdsMax);
  const households = [...fixtureHouseholds];
  for (let i = households.length; i < wanted; i++) {
    const model = fixtureHouseholds[i % fixtureHouseholds.length];
    if (model === undefined) break;
    const pseudonym = createHash('sha256').update(`caisse-demo-household-${i}`).digest('hex').slice(0, 12);
    households.push({ ...model, accountId: `hh:${pseudonym}` });
  }
  return { shops, households: households.slice(0, wanted), rules, catalogs };
}
