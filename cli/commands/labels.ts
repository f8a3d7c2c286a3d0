import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalogForShop } from '../../domain/catalog/catalog-file.js';
import { compileRules } from '../../domain/rules/compile.js';
import { rulesFail } from '../../domain/rules/errors.js';
import { loadRulesFile } from '../../domain/rules/rules-file.js';
import { shelfLabelsPdf } from '../../domain/rules/shelf-labels.js';
import { optString, type Command } from '../command.js';
import { atMsOption } from './rules.js';
import { writableFilePath } from '../output-path.js';

/**
 * `caisse labels --shop S [--out FILE.pdf]`: printable shelf labels showing each product's eligibility
 * and share. Without --rules and --catalog, the shop, its catalogue and its territory's rules come from
 * the demo fixtures (fixtures/shops.json).
 */

interface ShopEntry {
  readonly accountId: string;
  readonly name: string;
  readonly territory: string;
  readonly catalog: string;
}

/** The repository's demo fixtures directory, found from this file in the sources or in dist/. */
export function demoFixturesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'fixtures', 'shops.json'))) return join(dir, 'fixtures');
    dir = dirname(dir);
  }
  throw rulesFail('RULES_UNREADABLE', 'fixtures/shops.json not found: give --rules and --catalog');
}

const labels: Command = {
  words: ['labels'],
  summary: { fr: 'étiquettes de rayon (PDF) avec la prise en charge de chaque produit', en: 'shelf labels (PDF) with each product’s coverage' },
  options: [
    { name: 'shop', kind: 'string', valueName: 'SHOP', required: true, help: { fr: 'commerce (shop:…)', en: 'shop (shop:…)' } },
    { name: 'out', kind: 'string', valueName: 'FILE.pdf', help: { fr: 'PDF à écrire (etiquettes-<commerce>.pdf par défaut)', en: 'PDF to write (etiquettes-<shop>.pdf by default)' } },
    { name: 'rules', kind: 'string', valueName: 'FILE', help: { fr: 'document de règles', en: 'rules document' } },
    { name: 'catalog', kind: 'string', valueName: 'FILE', help: { fr: 'catalogue du commerce', en: 'the shop’s catalogue' } },
    { name: 'at', kind: 'string', valueName: 'DATE', help: { fr: 'date d’évaluation (saisons), maintenant par défaut', en: 'evaluation date (seasons), now by default' } },
  ],
  async run(args, io) {
    const shopOption = optString(args, 'shop') ?? '';
    const shopId = shopOption.startsWith('shop:') ? shopOption : `shop:${shopOption}`;
    const out = writableFilePath('out', resolve(io.cwd, optString(args, 'out') ?? `etiquettes-${shopId.slice('shop:'.length)}.pdf`), { writes: 'in-place' });
    let rulesPath = optString(args, 'rules');
    let catalogPath = optString(args, 'catalog');
    let shopName = shopId.slice('shop:'.length);
    if (rulesPath === undefined || catalogPath === undefined) {
      const dir = demoFixturesDir();
      const shops = JSON.parse(readFileSync(join(dir, 'shops.json'), 'utf8')) as ShopEntry[];
      const shop = shops.find((s) => s.accountId === shopId);
      if (shop === undefined) throw rulesFail('RULES_UNKNOWN_SHOP', `${shopId} not in fixtures/shops.json: give --rules and --catalog`);
      shopName = shop.name;
      rulesPath ??= join(dir, 'rules', `${shop.territory}.json`);
      catalogPath ??= join(dir, shop.catalog);
    }
    const rules = compileRules((await loadRulesFile(resolve(io.cwd, rulesPath))).document);
    if (!rules.shops.has(shopId)) throw rulesFail('RULES_UNKNOWN_SHOP', `${shopId} (${rules.territory} v${rules.version})`);
    shopName = rules.shops.get(shopId)?.name ?? shopName;
    const catalog = await loadCatalogForShop(resolve(io.cwd, catalogPath), shopId);
    const pdf = await shelfLabelsPdf({ rules, catalog, shopId, shopName, atMs: atMsOption(args), lang: io.lang });
    await writeFile(out, pdf);
    io.out(io.lang === 'fr' ? `${catalog.products.length} étiquettes : ${out}\n` : `${catalog.products.length} labels: ${out}\n`);
    return 0;
  },
};

export const commands: readonly Command[] = [labels];
