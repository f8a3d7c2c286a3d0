import { parseJsonWithoutRepeats } from '../json-duplicate-keys.js';
import { parseCode } from './barcode.js';
import { catalogFromProducts, type Catalog } from './catalog.js';
import { parseCsv, type CsvDelimiter } from './csv.js';
import { parseMicroDegrees, parseScaledDecimal } from './decimal.js';
import type { CatalogErrorCode } from './errors.js';
import { catalogBytesMax, catalogProductsMax, importIssuesMax, placeNameCharsMax, productCategoriesMax, productLabelsMax, productNameCharsMax, unitPriceCentsMax } from './limits.js';
import { catalogFileSchema, productSchema, shopIdPattern, shownTextPattern, type Producer, type Product, type Unit } from './product.js';
import { expandCategories, expandLabels, slug, taxonomyId } from './taxonomy.js';
import { decodeText, type TextEncoding } from './text-encoding.js';

/**
 * Catalogue import: bytes from a shop's till export (CSV) or a normalised catalogue (JSON) to a
 * `Catalog`, all or nothing. Every problem is collected with its line (or JSON path) and stable code;
 * if there is any, no catalogue is returned. The CSV columns are documented in docs/formats/catalog.md.
 */

export interface CatalogIssue {
  /** 1-based line of the CSV record; 0 for problems about the whole file or a JSON document. */
  readonly line: number;
  readonly code: CatalogErrorCode;
  readonly detail: string;
}

export interface CatalogImportOptions {
  readonly shopId: string;
  readonly format?: 'csv' | 'json' | 'auto';
  readonly encoding?: TextEncoding;
  /**
   * Reading a catalogue the kit installed itself (beside the ledger): the file's format is checked,
   * not the rules a new import must meet (at least one product, French VAT rates, names without
   * control characters), so that a file installed by an earlier version still loads.
   */
  readonly installed?: boolean;
}

export type CatalogImportResult =
  | {
      readonly ok: true;
      readonly catalog: Catalog;
      readonly format: 'csv' | 'json';
      readonly encoding: 'utf-8' | 'windows-1252';
      readonly delimiter?: CsvDelimiter;
    }
  | { readonly ok: false; readonly issues: readonly CatalogIssue[] };

/** Column names a till export may use, by the slug of the header (accents and case ignored). */
export const csvColumns = {
  code: ['code', 'barcode', 'ean', 'ean13', 'gtin', 'code-barre', 'code-barres', 'codebarre', 'plu'],
  name: ['name', 'nom', 'libelle', 'designation', 'produit', 'article'],
  price: ['price', 'prix', 'prix-ttc', 'pu-ttc', 'prix-de-vente'],
  priceCents: ['price-cents', 'prix-centimes'],
  unit: ['unit', 'unite'],
  vat: ['vat', 'tva', 'taux-tva'],
  categories: ['category', 'categories', 'categorie', 'rayon', 'famille'],
  labels: ['labels', 'label'],
  producer: ['producer', 'producteur', 'fournisseur'],
  commune: ['producer-commune', 'commune'],
  department: ['producer-department', 'departement', 'dept'],
  producerId: ['producer-id', 'id-producteur', 'registre'],
  lat: ['producer-lat', 'latitude', 'lat'],
  lon: ['producer-lon', 'longitude', 'lon'],
  origin: ['origin', 'origine', 'pays'],
  abv: ['abv', 'alcool', 'degre', 'tav'],
  food: ['food', 'alimentaire'],
} as const;

export type CsvColumn = keyof typeof csvColumns;

const columnBySlug: ReadonlyMap<string, CsvColumn> = new Map(
  (Object.entries(csvColumns) as [CsvColumn, readonly string[]][]).flatMap(([column, names]) => names.map((n) => [n, column] as const)),
);

const unitAliases: Readonly<Record<string, Unit>> = {
  piece: 'piece', pieces: 'piece', pc: 'piece', pcs: 'piece', u: 'piece', unite: 'piece', p: 'piece',
  kg: 'kg', kilo: 'kg', kilogramme: 'kg', 'eur-kg': 'kg', 'au-kg': 'kg',
};

const countryAliases: Readonly<Record<string, string>> = {
  france: 'FR', espagne: 'ES', italie: 'IT', allemagne: 'DE', belgique: 'BE', 'pays-bas': 'NL', portugal: 'PT',
  maroc: 'MA', tunisie: 'TN', canada: 'CA', 'etats-unis': 'US', 'royaume-uni': 'GB', suisse: 'CH', perou: 'PE',
  equateur: 'EC', bresil: 'BR', inde: 'IN', 'cote-d-ivoire': 'CI', senegal: 'SN', madagascar: 'MG',
};

const yes = new Set(['oui', 'o', 'yes', 'y', 'true', 'vrai', '1', 'x']);
const no = new Set(['non', 'n', 'no', 'false', 'faux', '0']);

class IssueList {
  readonly items: CatalogIssue[] = [];
  add(line: number, code: CatalogErrorCode, detail: string): void {
    if (this.items.length < importIssuesMax) this.items.push({ line, code, detail });
  }
  get empty(): boolean {
    return this.items.length === 0;
  }
}

/**
 * The VAT rates in force in France, in basis points (CGI articles 278 to 298): 20, 10, 5,5 and 2,1 %
 * in mainland France; 13 and 0,9 % in Corsica; 8,5, 1,75 and 1,05 % overseas; 0 for a producer
 * exempt from VAT (franchise en base). A typed 7 or 19,6 (rates of the past) is a mistake to fix.
 */
export const frenchVatBasisPoints: ReadonlySet<number> = new Set([0, 90, 105, 175, 210, 550, 850, 1000, 1300, 2000]);

export function importCatalog(bytes: Uint8Array, options: CatalogImportOptions): CatalogImportResult {
  if (!shopIdPattern.test(options.shopId)) {
    return { ok: false, issues: [{ line: 0, code: 'CATALOG_BAD_FIELD', detail: `shop id ${JSON.stringify(options.shopId)} (shop:slug expected)` }] };
  }
  if (bytes.length > catalogBytesMax) {
    return { ok: false, issues: [{ line: 0, code: 'CATALOG_TOO_LARGE', detail: `${bytes.length} bytes, at most ${catalogBytesMax}` }] };
  }
  const decoded = decodeText(bytes, options.encoding ?? 'auto');
  if (!decoded.ok) return { ok: false, issues: [{ line: decoded.line, code: 'CATALOG_BAD_ENCODING', detail: decoded.detail }] };
  const trimmed = decoded.text.trimStart();
  const format = options.format === undefined || options.format === 'auto' ? (trimmed.startsWith('{') ? 'json' : 'csv') : options.format;
  if (format === 'json') {
    const result = importJson(decoded.text, options.shopId);
    if (!result.ok) return result;
    if (options.installed !== true) {
      const issues = newImportIssues(result.catalog.products);
      if (issues.length > 0) return { ok: false, issues };
    }
    return { ok: true, catalog: result.catalog, format, encoding: decoded.encoding };
  }
  const result = importCsv(decoded.text, options.shopId);
  if (result.ok && result.catalog.products.length === 0) return noProducts;
  return result.ok ? { ok: true, catalog: result.catalog, format, encoding: decoded.encoding, delimiter: result.delimiter } : result;
}

/** A file with a header and no product would replace the shop's catalogue with an empty one: refused. */
const noProducts: CatalogImportResult = { ok: false, issues: [{ line: 0, code: 'CATALOG_INVALID', detail: 'no product: a catalogue lists at least one' }] };

/**
 * What a new JSON import must meet besides the file format (a CSV row is held to the same rules line
 * by line): at least one product, French VAT rates, and names shown as they are.
 */
function newImportIssues(products: readonly Product[]): CatalogIssue[] {
  if (products.length === 0) return noProducts.ok ? [] : [...noProducts.issues];
  const issues = new IssueList();
  products.forEach((product, index) => {
    const where = `products[${index}]`;
    if (!frenchVatBasisPoints.has(product.vatBasisPoints)) issues.add(0, 'CATALOG_BAD_VAT', `${where}: ${product.vatBasisPoints} basis points is not a French VAT rate`);
    for (const text of [product.name, product.producer?.name ?? '', product.producer?.commune ?? '']) {
      if (!shownTextPattern.test(text)) issues.add(0, 'CATALOG_BAD_FIELD', `${where}: ${JSON.stringify(text)} has a control or bidirectional-override character`);
    }
  });
  return issues.items;
}

function importJson(text: string, shopId: string): { ok: true; catalog: Catalog } | { ok: false; issues: CatalogIssue[] } {
  let value: unknown;
  try {
    value = parseJsonWithoutRepeats(text);
  } catch (error) {
    return { ok: false, issues: [{ line: 0, code: 'CATALOG_BAD_FORMAT', detail: `not JSON: ${(error as Error).message}` }] };
  }
  const parsed = catalogFileSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, importIssuesMax).map((issue) => ({
      line: 0,
      code: 'CATALOG_BAD_FIELD' as const,
      detail: `${issue.path.join('.') || '(document)'}: ${issue.message}`,
    }));
    return { ok: false, issues };
  }
  const issues = new IssueList();
  if (parsed.data.shopId !== shopId) issues.add(0, 'CATALOG_BAD_FIELD', `shopId ${parsed.data.shopId} is not ${shopId}`);
  const seen = new Set<string>();
  parsed.data.products.forEach((product, index) => {
    const where = `products[${index}]`;
    const code = parseCode(product.code);
    if (!code.ok) issues.add(0, code.error.problem === 'bad-check-digit' ? 'CATALOG_BAD_CHECK_DIGIT' : 'CATALOG_BAD_BARCODE', `${where}: ${code.error.detail}`);
    // A UPC-A is filed under its EAN-13 form, which parses back as an EAN-13.
    else if (code.code.key !== product.code || (code.code.kind !== product.kind && !(product.kind === 'upca' && code.code.kind === 'ean13' && product.code.startsWith('0')))) {
      issues.add(0, 'CATALOG_BAD_BARCODE', `${where}: code ${product.code} is not a normalised ${product.kind} key`);
    }
    else if (code.code.kind === 'variable-weight' && product.unit !== 'kg') issues.add(0, 'CATALOG_BAD_UNIT', `${where}: a weighed code is priced per kg`);
    if (seen.has(product.code)) issues.add(0, 'CATALOG_DUPLICATE_CODE', `${where}: ${product.code}`);
    seen.add(product.code);
  });
  if (!issues.empty) return { ok: false, issues: issues.items };
  return { ok: true, catalog: catalogFromProducts(shopId, parsed.data.products) };
}

function importCsv(text: string, shopId: string): { ok: true; catalog: Catalog; delimiter: CsvDelimiter } | { ok: false; issues: CatalogIssue[] } {
  const table = parseCsv(text);
  const issues = new IssueList();
  for (const problem of table.problems) issues.add(problem.line, 'CATALOG_BAD_CSV', problem.detail);
  const [header, ...rows] = table.records;
  // No header: either the file is empty, or its first line was refused (and said why above); the next
  // line is not taken for the header then.
  if (header === undefined) return { ok: false, issues: issues.empty ? [{ line: 1, code: 'CATALOG_BAD_FORMAT', detail: 'empty file: a header line is expected' }] : issues.items };
  if (table.problems.some((problem) => problem.line < header.line)) return { ok: false, issues: issues.items };

  const indexOf = new Map<CsvColumn, number>();
  header.fields.forEach((name, index) => {
    const column = columnBySlug.get(slug(name));
    // Unknown columns are ignored: till exports carry stock levels, supplier codes and the like.
    if (column === undefined) return;
    if (indexOf.has(column)) issues.add(header.line, 'CATALOG_DUPLICATE_COLUMN', `${name} (${column})`);
    indexOf.set(column, index);
  });
  const missing: string[] = [];
  if (!indexOf.has('code')) missing.push('code');
  if (!indexOf.has('name')) missing.push('name');
  if (!indexOf.has('price') && !indexOf.has('priceCents')) missing.push('price');
  if (!indexOf.has('vat')) missing.push('vat');
  if (missing.length > 0) {
    issues.add(header.line, 'CATALOG_MISSING_COLUMN', `${missing.join(', ')} (header: ${header.fields.join(table.delimiter).slice(0, 200)})`);
    return { ok: false, issues: issues.items };
  }
  if (rows.length > catalogProductsMax) {
    issues.add(0, 'CATALOG_TOO_MANY_PRODUCTS', `${rows.length} lines, at most ${catalogProductsMax}`);
    return { ok: false, issues: issues.items };
  }

  const products: Product[] = [];
  const lineOfCode = new Map<string, number>();
  for (const row of rows) {
    const get = (column: CsvColumn): string => {
      const index = indexOf.get(column);
      return index === undefined ? '' : (row.fields[index] ?? '').trim();
    };
    if (row.fields.length !== header.fields.length) {
      issues.add(row.line, 'CATALOG_BAD_CSV', `${row.fields.length} fields, the header has ${header.fields.length}`);
      continue;
    }
    const product = productFromRow(get, row.line, issues);
    if (product === undefined) continue;
    const previous = lineOfCode.get(product.code);
    if (previous !== undefined) {
      issues.add(row.line, 'CATALOG_DUPLICATE_CODE', `${product.code} already on line ${previous}`);
      continue;
    }
    lineOfCode.set(product.code, row.line);
    products.push(product);
  }
  if (!issues.empty) return { ok: false, issues: issues.items };
  return { ok: true, catalog: catalogFromProducts(shopId, products), delimiter: table.delimiter };
}

function productFromRow(get: (column: CsvColumn) => string, line: number, issues: IssueList): Product | undefined {
  const before = issues.items.length;
  const rawCode = get('code');
  const code = parseCode(rawCode);
  if (!code.ok) issues.add(line, code.error.problem === 'bad-check-digit' ? 'CATALOG_BAD_CHECK_DIGIT' : 'CATALOG_BAD_BARCODE', code.error.detail);
  else if (code.code.embedded !== undefined && (code.code.embedded.measure === 'weight' ? code.code.embedded.weightGrams : code.code.embedded.priceCents) !== 0) {
    issues.add(line, 'CATALOG_BAD_BARCODE', `${rawCode}: a catalogue lists a weighed product by its key (${code.code.key}) or a label with value 0`);
  }

  const name = get('name').replace(/\s+/g, ' ');
  if (name === '' || name.length > productNameCharsMax) issues.add(line, 'CATALOG_BAD_FIELD', `name: 1 to ${productNameCharsMax} characters`);
  else if (!shownTextPattern.test(name)) issues.add(line, 'CATALOG_BAD_FIELD', `name ${JSON.stringify(name)}: a control or bidirectional-override character`);

  let priceCents: number | undefined;
  const priceText = get('price');
  const priceCentsText = get('priceCents');
  if (priceCentsText !== '') priceCents = /^\d{1,10}$/.test(priceCentsText) && Number(priceCentsText) <= unitPriceCentsMax ? Number(priceCentsText) : undefined;
  else priceCents = parseScaledDecimal(priceText, 2, unitPriceCentsMax);
  if (priceCents === undefined) {
    const shown = priceCentsText !== '' ? priceCentsText : priceText;
    const why = shown.trim().startsWith('-') ? 'negative price' : 'a non-negative amount in euros with at most 2 decimals is expected';
    issues.add(line, 'CATALOG_BAD_PRICE', `${JSON.stringify(shown)}: ${why}`);
  }

  const unitText = get('unit');
  const unit: Unit | undefined = unitText === '' ? (code.ok && code.code.kind === 'variable-weight' ? 'kg' : 'piece') : unitAliases[slug(unitText)];
  if (unit === undefined) issues.add(line, 'CATALOG_BAD_UNIT', JSON.stringify(unitText));
  else if (code.ok && code.code.kind === 'variable-weight' && unit !== 'kg') issues.add(line, 'CATALOG_BAD_UNIT', `${rawCode} embeds a weight: the price must be per kg`);

  const vatBasisPoints = parseScaledDecimal(get('vat'), 2, 10_000);
  if (vatBasisPoints === undefined) issues.add(line, 'CATALOG_BAD_VAT', `${JSON.stringify(get('vat'))}: a percentage such as 5,5 or 20 is expected`);
  else if (!frenchVatBasisPoints.has(vatBasisPoints)) issues.add(line, 'CATALOG_BAD_VAT', `${get('vat')} %: not a French VAT rate (${[...frenchVatBasisPoints].map((bp) => String(bp / 100).replace('.', ',')).join(' ; ')})`);

  const categories = expandCategories(splitIds(get('categories'), line, 'categories', issues));
  const labels = expandLabels(splitIds(get('labels'), line, 'labels', issues));
  if (categories.length > productCategoriesMax) issues.add(line, 'CATALOG_BAD_FIELD', `more than ${productCategoriesMax} categories`);
  if (labels.length > productLabelsMax) issues.add(line, 'CATALOG_BAD_FIELD', `more than ${productLabelsMax} labels`);

  const abvText = get('abv');
  const abvBasisPoints = abvText === '' ? 0 : parseScaledDecimal(abvText, 2, 10_000);
  if (abvBasisPoints === undefined) issues.add(line, 'CATALOG_BAD_FIELD', `alcohol ${JSON.stringify(abvText)}: a percentage by volume is expected`);

  const foodText = slug(get('food'));
  let food: boolean;
  if (foodText === '') food = !categories.includes('en:non-food-products');
  else if (yes.has(foodText)) food = true;
  else if (no.has(foodText)) food = false;
  else {
    food = true;
    issues.add(line, 'CATALOG_BAD_FIELD', `food ${JSON.stringify(get('food'))}: oui or non expected`);
  }

  let originCountry: string | undefined;
  const originText = get('origin');
  if (originText !== '') {
    originCountry = /^[A-Za-z]{2}$/.test(originText) ? originText.toUpperCase() : countryAliases[slug(originText)];
    if (originCountry === undefined) issues.add(line, 'CATALOG_BAD_FIELD', `origin ${JSON.stringify(originText)}: an ISO country code such as FR is expected`);
  }

  const producer = producerFromRow(get, line, issues);
  if (issues.items.length !== before || !code.ok || priceCents === undefined || unit === undefined || vatBasisPoints === undefined || abvBasisPoints === undefined) return undefined;

  const product: Product = {
    code: code.code.key,
    kind: code.code.kind,
    name,
    priceCents,
    unit,
    vatBasisPoints,
    categories,
    labels,
    ...(producer === undefined ? {} : { producer }),
    ...(originCountry === undefined ? {} : { originCountry }),
    abvBasisPoints,
    food,
  };
  // The row parser and the JSON schema must agree: a product that passed the first fails no second check.
  const check = productSchema.safeParse(product);
  if (!check.success) {
    issues.add(line, 'CATALOG_BAD_FIELD', check.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    return undefined;
  }
  return product;
}

function splitIds(text: string, line: number, what: string, issues: IssueList): string[] {
  if (text === '') return [];
  const out: string[] = [];
  // `|` separates several values; a comma does too when the file is semicolon separated.
  for (const part of text.split(/[|,]/)) {
    if (part.trim() === '') continue;
    const id = taxonomyId(part);
    if (id === undefined) issues.add(line, 'CATALOG_BAD_FIELD', `${what}: ${JSON.stringify(part)}`);
    else out.push(id);
  }
  return out;
}

function producerFromRow(get: (column: CsvColumn) => string, line: number, issues: IssueList): Producer | undefined {
  const name = get('producer');
  const commune = get('commune');
  const department = get('department');
  const registryId = get('producerId');
  const lat = get('lat');
  const lon = get('lon');
  if (name === '') {
    if (commune !== '' || department !== '' || registryId !== '' || lat !== '' || lon !== '') {
      issues.add(line, 'CATALOG_BAD_FIELD', 'producer details without a producer name');
    }
    return undefined;
  }
  if (name.length > placeNameCharsMax || commune.length > placeNameCharsMax) issues.add(line, 'CATALOG_BAD_FIELD', `producer or commune longer than ${placeNameCharsMax} characters`);
  if (!shownTextPattern.test(name) || !shownTextPattern.test(commune)) issues.add(line, 'CATALOG_BAD_FIELD', `producer or commune ${JSON.stringify(`${name} ${commune}`)}: a control or bidirectional-override character`);
  const dept = department.toUpperCase().padStart(department.length === 1 ? 2 : department.length, '0');
  if (department !== '' && !/^(\d{2}|2[AB]|97\d)$/.test(dept)) issues.add(line, 'CATALOG_BAD_FIELD', `department ${JSON.stringify(department)}`);
  const latE6 = lat === '' ? undefined : parseMicroDegrees(lat, 90_000_000);
  const lonE6 = lon === '' ? undefined : parseMicroDegrees(lon, 180_000_000);
  if ((lat !== '') !== (lon !== '') || (lat !== '' && latE6 === undefined) || (lon !== '' && lonE6 === undefined)) {
    issues.add(line, 'CATALOG_BAD_FIELD', `producer coordinates ${JSON.stringify(lat)}, ${JSON.stringify(lon)}`);
  }
  return {
    name,
    ...(commune === '' ? {} : { commune }),
    ...(department === '' ? {} : { department: dept }),
    ...(registryId === '' ? {} : { registryId }),
    ...(latE6 === undefined ? {} : { latE6 }),
    ...(lonE6 === undefined ? {} : { lonE6 }),
  };
}
