import { createHash } from 'node:crypto';
import { parseCode } from '../catalog/barcode.js';
import { canonicalBytes } from '../jcs.js';
import { rulesFail } from './errors.js';
import { rulesDocumentSchema, type Criterion, type PricingPolicy, type ProducerFloor, type RulesDocument } from './schema.js';

/**
 * Validation and compilation of a rules document. `validateRulesDocument` is the first line of defence
 * (schema, then the cross-field checks a schema cannot say); `compileRules` turns a valid document into
 * sets and maps once, so that judging a basket line is a handful of lookups.
 */

export interface RulesProblem {
  readonly path: string;
  readonly detail: string;
}

export type RulesValidation = { readonly ok: true; readonly document: RulesDocument } | { readonly ok: false; readonly problems: readonly RulesProblem[] };

export function validateRulesDocument(value: unknown): RulesValidation {
  const parsed = rulesDocumentSchema.safeParse(value);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.slice(0, 50).map((i) => ({ path: i.path.join('.') || '(document)', detail: i.message })) };
  }
  const problems = crossFieldProblems(parsed.data);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, document: parsed.data };
}

/** Throws RULES_INVALID listing the first problems. */
export function parseRulesDocument(value: unknown): RulesDocument {
  const result = validateRulesDocument(value);
  if (!result.ok) throw rulesFail('RULES_INVALID', result.problems.slice(0, 5).map((p) => `${p.path}: ${p.detail}`).join('; '));
  return result.document;
}

function normalisedCode(raw: string): string | undefined {
  const parsed = parseCode(raw);
  return parsed.ok ? parsed.code.key : undefined;
}

function crossFieldProblems(doc: RulesDocument): RulesProblem[] {
  const problems: RulesProblem[] = [];
  const add = (path: string, detail: string): void => {
    if (problems.length < 50) problems.push({ path, detail });
  };
  const tiers = doc.money.tiers.map((t) => t.tier);
  tiers.forEach((tier, i) => {
    if (tier !== i + 1) add(`money.tiers.${i}.tier`, `tiers are numbered 1, 2, 3… in order; found ${tier} at position ${i + 1}`);
  });
  checkThresholds(doc.money.tiers.map((t) => t.monthlyIncomeCentsMax), 'money.tiers', add);
  checkThresholds(doc.money.contribution.grid.map((r) => r.monthlyIncomeCentsMax), 'money.contribution.grid', add);
  checkPolicy(doc.pricing, 'pricing', tiers.length, add);
  if (doc.eligibility.local.distanceKmMax !== undefined && doc.eligibility.local.centre === undefined) {
    add('eligibility.local.centre', 'a distance rule needs the territory centre');
  }
  const seasonCategories = new Set<string>();
  doc.eligibility.seasons.forEach((s, i) => {
    if (seasonCategories.has(s.category)) add(`eligibility.seasons.${i}.category`, `${s.category} listed twice`);
    seasonCategories.add(s.category);
    if (new Set(s.months).size !== s.months.length) add(`eligibility.seasons.${i}.months`, 'a month listed twice');
  });
  const shopIds = new Set<string>();
  doc.shops.forEach((shop, i) => {
    const at = `shops.${i}`;
    if (shopIds.has(shop.shopId)) add(`${at}.shopId`, `${shop.shopId} listed twice`);
    shopIds.add(shop.shopId);
    if (shop.mode === 'whole-shop' && (shop.approved !== undefined || shop.qualifyBy !== undefined)) {
      add(at, 'approved and qualifyBy apply to product-list shops only');
    }
    const seen = new Set<string>();
    shop.approved?.forEach((entry, j) => {
      const key = normalisedCode(entry.code);
      if (key === undefined) add(`${at}.approved.${j}.code`, `${entry.code}: not a valid product code`);
      else if (seen.has(key)) add(`${at}.approved.${j}.code`, `${entry.code} listed twice`);
      else seen.add(key);
    });
    for (const list of ['allow', 'deny'] as const) {
      shop[list]?.codes?.forEach((code, j) => {
        if (normalisedCode(code) === undefined) add(`${at}.${list}.codes.${j}`, `${code}: not a valid product code`);
      });
    }
    if (shop.pricing !== undefined) checkPolicy(shop.pricing, `${at}.pricing`, tiers.length, add);
    shop.producerFloors?.forEach((floor, j) => {
      if (floor.memberCentsPerKg > floor.floorCentsPerKg) add(`${at}.producerFloors.${j}`, 'the member pays more than the floor price');
    });
  });
  return problems;
}

function checkThresholds(maxima: readonly (number | undefined)[], path: string, add: (path: string, detail: string) => void): void {
  maxima.forEach((max, i) => {
    const last = i === maxima.length - 1;
    if (last && max !== undefined) add(`${path}.${i}.monthlyIncomeCentsMax`, 'the last row has no upper bound');
    if (!last && max === undefined) add(`${path}.${i}.monthlyIncomeCentsMax`, 'only the last row may leave its upper bound out');
    const previous = i > 0 ? maxima[i - 1] : undefined;
    if (max !== undefined && previous !== undefined && max <= previous) add(`${path}.${i}.monthlyIncomeCentsMax`, 'upper bounds must increase');
  });
}

function checkPolicy(policy: PricingPolicy, path: string, tierCount: number, add: (path: string, detail: string) => void): void {
  if (policy.kind !== 'tier') return;
  const covered = new Set(policy.byTier.map((t) => t.tier));
  if (covered.size !== policy.byTier.length) add(`${path}.byTier`, 'a tier listed twice');
  for (let tier = 1; tier <= tierCount; tier++) if (!covered.has(tier)) add(`${path}.byTier`, `no share for tier ${tier}`);
  for (const tier of covered) if (tier > tierCount) add(`${path}.byTier`, `tier ${tier} is not in money.tiers`);
}

/** SHA-256 of the document's JCS bytes, hex: the id under which the ledger publishes a version. */
export function rulesDocumentHash(doc: RulesDocument): string {
  return createHash('sha256').update(canonicalBytes(doc)).digest('hex');
}

export interface CompiledShop {
  readonly shopId: string;
  readonly name: string;
  readonly mode: 'whole-shop' | 'product-list';
  /** Approved code → its own share, or null when the shop's policy sets it. */
  readonly approved: ReadonlyMap<string, number | null>;
  readonly qualifyBy: ReadonlySet<Criterion>;
  readonly allowCodes: ReadonlySet<string>;
  readonly allowCategories: ReadonlySet<string>;
  readonly denyCodes: ReadonlySet<string>;
  readonly denyCategories: ReadonlySet<string>;
  readonly pricing: CompiledPolicy;
  readonly producerFloors: readonly CompiledFloor[];
}

export type CompiledPolicy =
  | { readonly kind: 'whole' }
  | { readonly kind: 'share'; readonly defaultShareBasisPoints: number; readonly byCategory: ReadonlyMap<string, number> }
  | { readonly kind: 'tier'; readonly byTier: ReadonlyMap<number, number> };

export interface CompiledFloor {
  readonly categories: ReadonlySet<string>;
  readonly producerRegistryIds: ReadonlySet<string> | undefined;
  readonly floorCentsPerKg: number;
  readonly memberCentsPerKg: number;
}

export interface CompiledRules {
  readonly compiled: true;
  readonly document: RulesDocument;
  readonly documentHash: string;
  readonly territory: string;
  readonly version: number;
  readonly effectiveFromMs: number;
  readonly tierCount: number;
  readonly organicLabels: ReadonlySet<string>;
  readonly localDepartments: ReadonlySet<string>;
  /** Lower-cased commune names. */
  readonly localCommunes: ReadonlySet<string>;
  readonly centre: { readonly latE6: number; readonly lonE6: number } | undefined;
  readonly distanceKmMax: number | undefined;
  readonly peasantByRegistryId: ReadonlyMap<string, string>;
  readonly monthsByCategory: ReadonlyMap<string, ReadonlySet<number>>;
  readonly abvBasisPointsMax: number;
  readonly alcoholCategories: ReadonlySet<string>;
  readonly nonFoodCategories: ReadonlySet<string>;
  readonly shops: ReadonlyMap<string, CompiledShop>;
  /**
   * Memo of product verdicts by shop and month. A verdict depends only on the rules, the shop, the
   * product and the month, and products are immutable, so a till judges each product once a month.
   * Bounded: one entry per shop and month, each a WeakMap that dies with its catalogue.
   */
  readonly verdictMemo: Map<string, WeakMap<object, unknown>>;
}

function compilePolicy(policy: PricingPolicy): CompiledPolicy {
  switch (policy.kind) {
    case 'whole':
      return { kind: 'whole' };
    case 'share':
      return { kind: 'share', defaultShareBasisPoints: policy.defaultShareBasisPoints, byCategory: new Map((policy.byCategory ?? []).map((c) => [c.category, c.shareBasisPoints])) };
    case 'tier':
      return { kind: 'tier', byTier: new Map(policy.byTier.map((t) => [t.tier, t.shareBasisPoints])) };
  }
}

function compileFloor(floor: ProducerFloor): CompiledFloor {
  return {
    categories: new Set(floor.categories),
    producerRegistryIds: floor.producerRegistryIds === undefined ? undefined : new Set(floor.producerRegistryIds),
    floorCentsPerKg: floor.floorCentsPerKg,
    memberCentsPerKg: floor.memberCentsPerKg,
  };
}

const codeKeys = (codes: readonly string[] | undefined): Set<string> => new Set((codes ?? []).map((c) => normalisedCode(c) ?? c));

/**
 * Validates (anything may come in: a file, a ledger entry) and compiles. Throws RULES_INVALID.
 * Compile once per document and keep the result: evaluation reuses it for every basket.
 */
export function compileRules(value: unknown): CompiledRules {
  const doc = parseRulesDocument(value);
  const defaultPolicy = compilePolicy(doc.pricing);
  const shops = new Map<string, CompiledShop>();
  for (const shop of doc.shops) {
    shops.set(shop.shopId, {
      shopId: shop.shopId,
      name: shop.name,
      mode: shop.mode,
      approved: new Map((shop.approved ?? []).map((a) => [normalisedCode(a.code) ?? a.code, a.shareBasisPoints ?? null])),
      qualifyBy: new Set(shop.qualifyBy ?? []),
      allowCodes: codeKeys(shop.allow?.codes),
      allowCategories: new Set(shop.allow?.categories ?? []),
      denyCodes: codeKeys(shop.deny?.codes),
      denyCategories: new Set(shop.deny?.categories ?? []),
      pricing: shop.pricing === undefined ? defaultPolicy : compilePolicy(shop.pricing),
      producerFloors: (shop.producerFloors ?? []).map(compileFloor),
    });
  }
  const e = doc.eligibility;
  return {
    compiled: true,
    document: doc,
    documentHash: rulesDocumentHash(doc),
    territory: doc.territory,
    version: doc.version,
    effectiveFromMs: doc.effectiveFromMs,
    tierCount: doc.money.tiers.length,
    organicLabels: new Set(e.organicLabels),
    localDepartments: new Set(e.local.departments),
    localCommunes: new Set(e.local.communes.map((c) => c.toLowerCase())),
    centre: e.local.centre,
    distanceKmMax: e.local.distanceKmMax,
    peasantByRegistryId: new Map(e.peasantRegistry.map((p) => [p.registryId, p.name])),
    monthsByCategory: new Map(e.seasons.map((s) => [s.category, new Set(s.months)])),
    abvBasisPointsMax: e.alcohol.abvBasisPointsMax,
    alcoholCategories: new Set(e.alcohol.categories),
    nonFoodCategories: new Set(e.nonFoodCategories),
    shops,
    verdictMemo: new Map(),
  };
}
