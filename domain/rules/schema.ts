import { z } from 'zod';
import { productNameCharsMax, taxonomyIdCharsMax } from '../catalog/limits.js';
import { shopIdPattern } from '../catalog/product.js';
import { taxonomyIdPattern } from '../catalog/taxonomy.js';
import {
  approvedProductsMax,
  contributionGridRowsMax,
  producerFloorsMax,
  rulesListMax,
  rulesShopsMax,
  rulesTextCharsMax,
  shareBasisPointsFull,
  tiersMax,
} from './limits.js';

/**
 * The conventionnement as data: format `caisse-rules-v1`. One document per territory, versioned, signed
 * by the committee (domain/rules/signature.ts) and published through the ledger. Every number is an
 * integer (cents, basis points where 10 000 is 100 %, micro-degrees, kilometres) so that the document
 * canonicalises with JCS. The published JSON Schema (docs/rules.schema.json) is generated from this
 * schema; docs/formats/rules.md explains each field.
 */
export const rulesFormat = 'caisse-rules-v1';

const text = z.string().min(1).max(rulesTextCharsMax);
const texts = z.strictObject({ fr: text, en: text });
const taxonomyId = z.string().max(taxonomyIdCharsMax).regex(taxonomyIdPattern);
const shareBasisPoints = z.int().min(0).max(shareBasisPointsFull);
const cents = z.int().min(0).max(1_000_000_000);
/** A product code as a catalogue lists it; normalised to the catalogue key when the rules are compiled. */
const productCode = z.string().min(1).max(20);
const department = z.string().regex(/^(\d{2}|2[AB]|97\d)$/);
const tier = z.int().min(1).max(tiersMax);

export const criteria = ['organic', 'local', 'peasant'] as const;
export type Criterion = (typeof criteria)[number];

export const pricingPolicySchema = z.discriminatedUnion('kind', [
  /** The allowance pays the whole price of every eligible line. */
  z.strictObject({ kind: z.literal('whole') }),
  /** A share of the price, by product category (the most specific category listed wins), or a default. */
  z.strictObject({
    kind: z.literal('share'),
    defaultShareBasisPoints: shareBasisPoints,
    byCategory: z.array(z.strictObject({ category: taxonomyId, shareBasisPoints })).max(rulesListMax).optional(),
  }),
  /** Solidarity tiers: the member's tier (from the income bracket) sets the share. */
  z.strictObject({
    kind: z.literal('tier'),
    byTier: z.array(z.strictObject({ tier, shareBasisPoints })).min(1).max(tiersMax),
  }),
]);
export type PricingPolicy = z.infer<typeof pricingPolicySchema>;

/**
 * A producer floor price (L'Éveil, Poitiers): weighed products of these categories (and producers, if
 * listed) are paid at least `floorCentsPerKg` to the shop, the member pays `memberCentsPerKg`, and the
 * caisse pays the difference.
 */
export const producerFloorSchema = z.strictObject({
  categories: z.array(taxonomyId).min(1).max(rulesListMax),
  producerRegistryIds: z.array(z.string().min(1).max(40)).max(rulesListMax).optional(),
  floorCentsPerKg: cents,
  memberCentsPerKg: cents,
});
export type ProducerFloor = z.infer<typeof producerFloorSchema>;

const codeAndCategoryList = z.strictObject({
  codes: z.array(productCode).max(approvedProductsMax).optional(),
  categories: z.array(taxonomyId).max(rulesListMax).optional(),
});

export const shopRulesSchema = z.strictObject({
  shopId: z.string().regex(shopIdPattern),
  name: text,
  /** `whole-shop`: every food product, minus the exclusions. `product-list`: the approved list only. */
  mode: z.enum(['whole-shop', 'product-list']).describe('whole-shop: every food product minus the exclusions; product-list: approved products only'),
  /** product-list mode: products approved one by one, each with an optional share (hearts on the label). */
  approved: z.array(z.strictObject({ code: productCode, shareBasisPoints: shareBasisPoints.optional() })).max(approvedProductsMax).optional(),
  /** product-list mode: products meeting any of these criteria are approved as well. */
  qualifyBy: z.array(z.enum(criteria)).max(criteria.length).optional().describe('product-list shops: products meeting any of these criteria are approved too'),
  allow: codeAndCategoryList.optional(),
  deny: codeAndCategoryList.optional(),
  /** Replaces the document's pricing policy for this shop. */
  pricing: pricingPolicySchema.optional(),
  producerFloors: z.array(producerFloorSchema).max(producerFloorsMax).optional(),
});
export type ShopRules = z.infer<typeof shopRulesSchema>;

export const eligibilitySchema = z.strictObject({
  /** Labels that make a product organic; ids are expanded at import, so `en:organic` covers AB, Demeter… */
  organicLabels: z.array(taxonomyId).max(rulesListMax),
  local: z.strictObject({
    departments: z.array(department).max(rulesListMax),
    communes: z.array(z.string().min(1).max(80)).max(rulesListMax),
    /** Distance rule: a producer with coordinates within `distanceKmMax` of `centre` is local. */
    centre: z.strictObject({ latE6: z.int().min(-90_000_000).max(90_000_000), lonE6: z.int().min(-180_000_000).max(180_000_000) }).optional(),
    distanceKmMax: z.int().min(1).max(1000).optional(),
  }),
  /** Peasant producers (agriculture paysanne) by registry id, with a name for people reading the rules. */
  peasantRegistry: z.array(z.strictObject({ registryId: z.string().min(1).max(40), name: z.string().min(1).max(productNameCharsMax), commune: z.string().min(1).max(80) })).max(rulesListMax),
  /** Fresh produce by month (1–12): a product of these categories is eligible only in its months. */
  seasons: z.array(z.strictObject({ category: taxonomyId, months: z.array(z.int().min(1).max(12)).min(1).max(12) })).max(rulesListMax).describe('Fresh produce eligible only in these months (Europe/Paris)'),
  alcohol: z.strictObject({
    /** 120 = 1.2 % vol, the French legal threshold of an alcoholic drink. */
    abvBasisPointsMax: z.int().min(0).max(10_000).describe('Alcohol by volume above which a drink is excluded, in basis points of a percent (120 = 1.2 % vol)'),
    categories: z.array(taxonomyId).max(rulesListMax),
  }),
  nonFoodCategories: z.array(taxonomyId).max(rulesListMax),
});
export type EligibilityRules = z.infer<typeof eligibilitySchema>;

export const moneyPolicySchema = z.strictObject({
  /** Day of the month the allowance is credited (1–28, so that it exists every month). */
  allowanceDayOfMonth: z.int().min(1).max(28),
  tiers: z
    .array(
      z.strictObject({
        tier,
        name: texts,
        /** Upper bound of the tier's monthly household income per consumption unit; absent for the last tier. */
        monthlyIncomeCentsMax: cents.optional(),
        allowance: z.strictObject({ firstPersonCents: cents, furtherPersonCents: cents }),
      }),
    )
    .min(1)
    .max(tiersMax),
  contribution: z.strictObject({
    minimumCents: cents,
    /** Added to the suggestion for each member of the household after the first. */
    furtherPersonCents: cents,
    grid: z.array(z.strictObject({ monthlyIncomeCentsMax: cents.optional(), suggestedCents: cents })).min(1).max(contributionGridRowsMax),
  }),
  unspent: z.discriminatedUnion('policy', [
    z.strictObject({ policy: z.literal('carry-over') }),
    z.strictObject({ policy: z.literal('carry-over-capped'), capCents: cents }),
    z.strictObject({ policy: z.literal('return-to-fund') }),
  ]),
});
export type MoneyPolicy = z.infer<typeof moneyPolicySchema>;

export const rulesDocumentSchema = z
  .strictObject({
    format: z.literal(rulesFormat),
    territory: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/).describe('Territory slug, e.g. nantes-ouest'),
    territoryName: texts,
    /** Communes and quarters the territory covers, for people reading the document. */
    areas: z.array(z.string().min(1).max(80)).max(rulesListMax).describe('Communes and quarters the territory covers'),
    committee: text.describe('Name of the citizens’ committee that adopted and signs the document'),
    version: z.int().min(1).max(1_000_000).describe('Incremented at each publication for the territory; each payment names it'),
    /** Unix milliseconds from which a payment may apply this version. */
    effectiveFromMs: z.int().min(0).describe('Unix milliseconds from which a payment may apply this version'),
    eligibility: eligibilitySchema,
    pricing: pricingPolicySchema.describe('Default pricing policy: share of an eligible line paid by the caisse'),
    shops: z.array(shopRulesSchema).max(rulesShopsMax).describe('Approved shops, each as a whole shop or by product list'),
    money: moneyPolicySchema,
  })
  .describe('caisse-rules-v1: the conventionnement of one territory of a Caisse Commune de l’Alimentation. Amounts in integer cents, shares in basis points (10000 = 100 %).');

export type RulesDocument = z.infer<typeof rulesDocumentSchema>;
