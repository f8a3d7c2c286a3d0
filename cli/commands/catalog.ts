import { resolve } from 'node:path';
import { formatIssues, readFileBounded, writeCatalogAtomic } from '../../domain/catalog/catalog-file.js';
import { catalogFail } from '../../domain/catalog/errors.js';
import { importCatalog } from '../../domain/catalog/import.js';
import { catalogBytesMax } from '../../domain/catalog/limits.js';
import { textEncodings, type TextEncoding } from '../../domain/catalog/text-encoding.js';
import { optString, type Command } from '../command.js';
import { writableDirPath } from '../output-path.js';

/**
 * `caisse catalog import --shop S FILE [--out DIR]`: validates a shop's catalogue export and writes the
 * normalised catalogue `DIR/<shop>.json` atomically. All or nothing: on any problem every problem is
 * listed with its line and nothing is written.
 */
const importCommand: Command = {
  words: ['catalog', 'import'],
  summary: { fr: 'importe le catalogue d’un commerce (CSV ou JSON), tout ou rien', en: 'import a shop catalogue (CSV or JSON), all or nothing' },
  options: [
    { name: 'shop', kind: 'string', valueName: 'SHOP', required: true, help: { fr: 'commerce (shop:…)', en: 'shop (shop:…)' } },
    { name: 'out', kind: 'string', valueName: 'DIR', help: { fr: 'dossier des catalogues (data/catalog par défaut)', en: 'catalogue directory (data/catalog by default)' } },
    { name: 'encoding', kind: 'string', valueName: 'ENC', help: { fr: 'auto, utf-8 ou windows-1252', en: 'auto, utf-8 or windows-1252' } },
  ],
  positionals: { name: 'FILE', min: 1, max: 1 },
  async run(args, io) {
    const shopOption = optString(args, 'shop') ?? '';
    const shopId = shopOption.startsWith('shop:') ? shopOption : `shop:${shopOption}`;
    const encoding = optString(args, 'encoding') ?? 'auto';
    if (!(textEncodings as readonly string[]).includes(encoding)) throw catalogFail('CATALOG_BAD_ENCODING', `--encoding ${encoding}: ${textEncodings.join(', ')}`);
    const file = resolve(io.cwd, args.positionals[0] ?? '');
    const outDir = writableDirPath('out', resolve(io.cwd, optString(args, 'out') ?? 'data/catalog'));
    const bytes = await readFileBounded(file, catalogBytesMax);
    const result = importCatalog(bytes, { shopId, encoding: encoding as TextEncoding });
    if (!result.ok) {
      io.err(io.lang === 'fr' ? `${file} : ${result.issues.length} problème(s), rien n’est importé\n` : `${file}: ${result.issues.length} problem(s), nothing imported\n`);
      io.err(`${formatIssues(result.issues, io.lang)}\n`);
      return 1;
    }
    const target = await writeCatalogAtomic(outDir, result.catalog);
    const n = result.catalog.products.length;
    io.out(
      io.lang === 'fr'
        ? `${n} produits importés pour ${shopId} (${result.format.toUpperCase()}, ${result.encoding}) : ${target}\n`
        : `${n} products imported for ${shopId} (${result.format.toUpperCase()}, ${result.encoding}): ${target}\n`,
    );
    return 0;
  },
};

export const commands: readonly Command[] = [importCommand];
