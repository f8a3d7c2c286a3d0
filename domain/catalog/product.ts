import { z } from 'zod';
import {
  catalogProductsMax,
  placeNameCharsMax,
  productCategoriesMax,
  productLabelsMax,
  productNameCharsMax,
  taxonomyIdCharsMax,
  unitPriceCentsMax,
} from './limits.js';
import { taxonomyIdPattern } from './taxonomy.js';

/**
 * The normalised catalogue: what `caisse catalog import` writes and what the till and the ledger load.
 * Format id `caisse-catalog-v1`; every number is an integer (cents, basis points, micro-degrees) so that
 * a catalogue canonicalises with JCS and hashes the same everywhere. Documented in docs/formats/catalog.md.
 */
export const catalogFormat = 'caisse-catalog-v1';

export const codeKinds = ['ean13', 'ean8', 'upca', 'restricted', 'variable-weight', 'variable-price', 'plu', 'internal'] as const;
export const units = ['piece', 'kg'] as const;
export type Unit = (typeof units)[number];

/** `shop:` and a slug, as in domain/ids.ts. */
export const shopIdPattern = /^shop:[a-z0-9][a-z0-9-]{0,39}$/;

const taxonomyIdSchema = z.string().max(taxonomyIdCharsMax).regex(taxonomyIdPattern);

/**
 * Text shown as it is on the till's screen, receipts, labels and CSV exports: no control characters
 * (an ESC or GS in a name would reach a printer or a terminal as a command) and no bidirectional
 * overrides or isolates (which reorder what the cashier reads).
 */
export const shownTextPattern = /^[^\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]*$/u;

export const producerSchema = z.strictObject({
  name: z.string().min(1).max(placeNameCharsMax),
  commune: z.string().min(1).max(placeNameCharsMax).optional(),
  /** French department number: `44`, `85`, `2A`. */
  department: z.string().regex(/^(\d{2}|2[AB]|97\d)$/).optional(),
  /** The producer's id in a peasant-producer registry the rules name (a SIRET, a network's member id). */
  registryId: z.string().min(1).max(40).optional(),
  /** Farm location in micro-degrees (WGS 84), for the "distance from the territory" rule. */
  latE6: z.int().min(-90_000_000).max(90_000_000).optional(),
  lonE6: z.int().min(-180_000_000).max(180_000_000).optional(),
});

export const productSchema = z.strictObject({
  /** The catalogue key (see domain/catalog/barcode.ts): EAN-13 form for UPC-A, `21xxxxx` for weighed items. */
  code: z.string().min(1).max(20),
  kind: z.enum(codeKinds),
  name: z.string().min(1).max(productNameCharsMax),
  /** Price of one piece, or of one kilogram when `unit` is `kg`; VAT included, as shelf prices are. */
  priceCents: z.int().min(0).max(unitPriceCentsMax),
  unit: z.enum(units),
  /** 550 for 5.5 %, 2000 for 20 %. */
  vatBasisPoints: z.int().min(0).max(10_000),
  /** Open Food Facts category ids, given ones first, then their parents. */
  categories: z.array(taxonomyIdSchema).max(productCategoriesMax),
  labels: z.array(taxonomyIdSchema).max(productLabelsMax),
  producer: producerSchema.optional(),
  /** ISO 3166-1 alpha-2. */
  originCountry: z.string().regex(/^[A-Z]{2}$/).optional(),
  /** Alcohol by volume in basis points of a percent: 1250 for 12.5 % vol. */
  abvBasisPoints: z.int().min(0).max(10_000),
  food: z.boolean(),
});

export type Product = z.infer<typeof productSchema>;
export type Producer = z.infer<typeof producerSchema>;

export const catalogFileSchema = z.strictObject({
  format: z.literal(catalogFormat),
  shopId: z.string().regex(shopIdPattern),
  products: z.array(productSchema).max(catalogProductsMax),
});

export type CatalogFile = z.infer<typeof catalogFileSchema>;
