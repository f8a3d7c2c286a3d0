import assert from 'node:assert/strict';
import { lookupCode, type Catalog } from '../catalog/catalog.js';
import type { Product, Unit } from '../catalog/product.js';
import { compileRules, type CompiledFloor, type CompiledPolicy, type CompiledRules } from './compile.js';
import { rulesFail } from './errors.js';
import { judgeProductMemo } from './judge.js';
import { basketLinesMax, basketTotalCentsMax, lineQuantityMax, lineWeightGramsMax, shareBasisPointsFull } from './limits.js';
import { reasons, type Reason } from './reasons.js';
import type { RulesDocument } from './schema.js';
import { divideRoundHalfUp, priceOfWeight, splitByShare } from './split.js';

/**
 * One pure function from a basket to what the caisse pays, what the member pays otherwise, and why.
 * The till calls it to show the split; the ledger calls it again on the basket a payment carries and
 * refuses the payment when the amounts differ. Same inputs, same result, on every machine: integer
 * arithmetic only, and the month for the seasons is taken in Europe/Paris time.
 */

export interface BasketLineInput {
  /** The scanned or typed code; a variable-measure label carries its own weight or price. */
  readonly code: string;
  /** Pieces, for products sold by the piece (default 1). */
  readonly quantity?: number;
  /** Grams, for products sold by weight whose code does not embed it (a scale beside the till). */
  readonly weightGrams?: number;
}

export interface BasketMember {
  /** Solidarity tier, 1 to the number of tiers of the rules' money policy. */
  readonly tier: number;
  readonly allowanceBalanceCents: number;
}

export interface BasketInput {
  /** A compiled document (compile once, evaluate many) or a document, compiled and cached on first use. */
  readonly rules: CompiledRules | RulesDocument;
  readonly shopId: string;
  readonly catalog: Catalog;
  readonly lines: readonly BasketLineInput[];
  readonly member: BasketMember;
  readonly atMs: number;
}

export type LinePolicy = 'whole' | 'share' | 'tier' | 'producer-floor' | 'none';

export interface LineEvaluation {
  readonly index: number;
  /** The code as given (trimmed) and the catalogue key it resolved to. */
  readonly code: string;
  readonly productCode: string;
  readonly name: string;
  readonly unit: Unit;
  readonly quantity: number;
  /** Present for weighed lines (given, embedded in the code, or derived from an embedded price). */
  readonly weightGrams?: number;
  /** Price of one piece or of one kilogram (the floor price when a producer floor raised it). */
  readonly unitPriceCents: number;
  readonly priceCents: number;
  readonly vatBasisPoints: number;
  readonly eligible: boolean;
  readonly reasons: readonly Reason[];
  readonly policy: LinePolicy;
  /** The caisse's share of this line before the balance cap; 0 when not eligible. */
  readonly shareBasisPoints: number;
  readonly caisseCentsUncapped: number;
  readonly caisseCents: number;
  readonly memberCents: number;
}

export interface BasketEvaluation {
  readonly territory: string;
  readonly rulesVersion: number;
  readonly rulesHash: string;
  readonly shopId: string;
  readonly atMs: number;
  /** Month (1–12, Europe/Paris) used for the seasons. */
  readonly month: number;
  readonly tier: number;
  readonly lines: readonly LineEvaluation[];
  readonly totalCents: number;
  /** What the caisse pays: the sum of the lines' caisse parts, capped by the member's balance. */
  readonly caisseCents: number;
  readonly memberCents: number;
  readonly caisseCentsUncapped: number;
  readonly allowanceBalanceCents: number;
  /** True when the balance did not cover every eligible part. */
  readonly balanceLimited: boolean;
}

const compiledByDocument = new WeakMap<RulesDocument, CompiledRules>();

export function asCompiledRules(rules: CompiledRules | RulesDocument): CompiledRules {
  if ('compiled' in rules) return rules;
  let compiled = compiledByDocument.get(rules);
  if (compiled === undefined) {
    compiled = compileRules(rules);
    compiledByDocument.set(rules, compiled);
  }
  return compiled;
}

const parisMonth = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Paris', month: 'numeric' });

const hourMs = 3_600_000;
/** The last hour asked for and its month: Intl formatting costs more than a whole line's evaluation. */
let lastHour = Number.NaN;
let lastMonth = 0;

/**
 * The calendar month in France at a given instant. Since 1911 Paris is a whole number of hours from
 * UTC (CET and CEST, switching on the hour), so the month is the same through any UTC hour: remembered
 * per hour. (Before 1911 it kept Paris mean time; no entry is that old: times are never negative.)
 */
export function monthInParis(atMs: number): number {
  const hour = Math.floor(atMs / hourMs);
  if (hour !== lastHour) {
    lastMonth = Number(parisMonth.format(atMs));
    lastHour = hour;
  }
  return lastMonth;
}

interface Priced {
  readonly quantity: number;
  readonly weightGrams: number | undefined;
  readonly unitPriceCents: number;
  readonly priceCents: number;
  /** False when the price was printed on the label: a floor cannot raise it. */
  readonly priceComputed: boolean;
}

function priceLine(product: Product, line: BasketLineInput, embedded: ReturnType<typeof lookupCode>['scan']['embedded'], index: number): Priced {
  const bad = (why: string): never => {
    throw rulesFail('RULES_BAD_BASKET', `line ${index + 1} (${line.code}): ${why}`);
  };
  if (line.quantity !== undefined && (!Number.isSafeInteger(line.quantity) || line.quantity < 1 || line.quantity > lineQuantityMax)) bad(`quantity 1 to ${lineQuantityMax}`);
  if (line.weightGrams !== undefined && (!Number.isSafeInteger(line.weightGrams) || line.weightGrams < 1 || line.weightGrams > lineWeightGramsMax)) bad(`weight 1 to ${lineWeightGramsMax} g`);
  if (embedded !== undefined) {
    if ((line.quantity ?? 1) !== 1 || line.weightGrams !== undefined) bad('a label with an embedded weight or price is one line on its own');
    if (embedded.measure === 'price') {
      const weightGrams = product.unit === 'kg' && product.priceCents > 0 ? divideRoundHalfUp(embedded.priceCents * 1000, product.priceCents) : undefined;
      return { quantity: 1, weightGrams, unitPriceCents: product.priceCents, priceCents: embedded.priceCents, priceComputed: false };
    }
    if (embedded.weightGrams < 1 || embedded.weightGrams > lineWeightGramsMax) bad(`weight 1 to ${lineWeightGramsMax} g`);
    return { quantity: 1, weightGrams: embedded.weightGrams, unitPriceCents: product.priceCents, priceCents: priceOfWeight(product.priceCents, embedded.weightGrams), priceComputed: true };
  }
  if (product.unit === 'kg') {
    if (line.weightGrams === undefined) return bad('a product sold by weight needs weightGrams');
    if ((line.quantity ?? 1) !== 1) bad('a weighed line has no quantity');
    return { quantity: 1, weightGrams: line.weightGrams, unitPriceCents: product.priceCents, priceCents: priceOfWeight(product.priceCents, line.weightGrams), priceComputed: true };
  }
  if (line.weightGrams !== undefined) bad('a product sold by the piece has no weight');
  const quantity = line.quantity ?? 1;
  return { quantity, weightGrams: undefined, unitPriceCents: product.priceCents, priceCents: product.priceCents * quantity, priceComputed: true };
}

function floorFor(floors: readonly CompiledFloor[], product: Product): CompiledFloor | undefined {
  if (product.unit !== 'kg') return undefined;
  for (const floor of floors) {
    if (!product.categories.some((c) => floor.categories.has(c))) continue;
    if (floor.producerRegistryIds !== undefined && !floor.producerRegistryIds.has(product.producer?.registryId ?? '')) continue;
    return floor;
  }
  return undefined;
}

/** Pricing reasons are the same few texts basket after basket: built once each (bounded memo). */
const pricingReasonMemo = new Map<string, Reason>();
const pricingReasonMemoMax = 1024;
function memoReason(key: string, build: () => Reason): Reason {
  let reason = pricingReasonMemo.get(key);
  if (reason === undefined) {
    if (pricingReasonMemo.size >= pricingReasonMemoMax) pricingReasonMemo.clear();
    reason = Object.freeze(build());
    pricingReasonMemo.set(key, reason);
  }
  return reason;
}

function policyShare(policy: CompiledPolicy, product: Product, tier: number): { share: number; reason: Reason; kind: LinePolicy } {
  switch (policy.kind) {
    case 'whole':
      return { share: shareBasisPointsFull, reason: memoReason('whole', reasons.pricingWhole), kind: 'whole' };
    case 'share': {
      let share = policy.defaultShareBasisPoints;
      // Categories are stored most specific first, so the first match is the most specific one.
      for (const category of product.categories) {
        const s = policy.byCategory.get(category);
        if (s !== undefined) {
          share = s;
          break;
        }
      }
      return { share, reason: memoReason(`share:${share}`, () => reasons.pricingShare(share)), kind: 'share' };
    }
    case 'tier': {
      const share = policy.byTier.get(tier);
      // Compilation checked that every tier has a share and evaluation that the tier exists.
      assert.ok(share !== undefined, `no share for tier ${tier}`);
      return { share, reason: memoReason(`tier:${tier}:${share}`, () => reasons.pricingTier(tier, share)), kind: 'tier' };
    }
  }
}

export function evaluateBasket(input: BasketInput): BasketEvaluation {
  const rules = asCompiledRules(input.rules);
  const { member, atMs } = input;
  if (input.lines.length > basketLinesMax) throw rulesFail('RULES_BASKET_TOO_LARGE', `${input.lines.length} lines, at most ${basketLinesMax}`);
  if (!Number.isSafeInteger(member.tier) || member.tier < 1 || member.tier > rules.tierCount) throw rulesFail('RULES_BAD_TIER', `tier ${member.tier}, 1 to ${rules.tierCount}`);
  if (!Number.isSafeInteger(member.allowanceBalanceCents) || member.allowanceBalanceCents < 0) throw rulesFail('RULES_BAD_BASKET', `balance ${member.allowanceBalanceCents}`);
  if (!Number.isSafeInteger(atMs) || atMs < rules.effectiveFromMs) {
    throw rulesFail('RULES_NOT_IN_FORCE', `${rules.territory} v${rules.version} applies from ${new Date(rules.effectiveFromMs).toISOString()}`);
  }
  if (input.catalog.shopId !== input.shopId) throw rulesFail('RULES_BAD_BASKET', `catalogue of ${input.catalog.shopId}, basket in ${input.shopId}`);
  const month = monthInParis(atMs);
  const shop = rules.shops.get(input.shopId);

  let remainingCents = member.allowanceBalanceCents;
  let totalCents = 0;
  let caisseCents = 0;
  let caisseCentsUncapped = 0;
  const lines: LineEvaluation[] = [];
  input.lines.forEach((line, index) => {
    const { product, scan } = lookupCode(input.catalog, line.code);
    const priced = priceLine(product, line, scan.embedded, index);
    const verdict = judgeProductMemo(rules, input.shopId, product, month);
    let priceCents = priced.priceCents;
    let unitPriceCents = priced.unitPriceCents;
    let uncapped = 0;
    let share = 0;
    let policy: LinePolicy = 'none';
    const lineReasons: Reason[] = [...verdict.reasons];
    if (verdict.eligible && shop !== undefined) {
      const floor = priced.weightGrams === undefined ? undefined : floorFor(shop.producerFloors, product);
      if (floor !== undefined && priced.weightGrams !== undefined) {
        if (priced.priceComputed && product.priceCents < floor.floorCentsPerKg) {
          unitPriceCents = floor.floorCentsPerKg;
          priceCents = priceOfWeight(floor.floorCentsPerKg, priced.weightGrams);
        }
        const memberPart = Math.min(priceCents, priceOfWeight(floor.memberCentsPerKg, priced.weightGrams));
        uncapped = priceCents - memberPart;
        share = priceCents === 0 ? 0 : Math.floor((uncapped * shareBasisPointsFull) / priceCents);
        policy = 'producer-floor';
        lineReasons.push(memoReason(`floor:${floor.floorCentsPerKg}:${floor.memberCentsPerKg}`, () => reasons.pricingFloor(floor.floorCentsPerKg, floor.memberCentsPerKg)));
      } else {
        const chosen = verdict.approvedShareBasisPoints !== undefined
          ? { share: verdict.approvedShareBasisPoints, reason: memoReason(`share:${verdict.approvedShareBasisPoints}`, () => reasons.pricingShare(verdict.approvedShareBasisPoints ?? 0)), kind: 'share' as const }
          : policyShare(shop.pricing, product, member.tier);
        share = chosen.share;
        policy = chosen.kind;
        uncapped = splitByShare(priceCents, share).caisseCents;
        lineReasons.push(chosen.reason);
      }
    }
    const paid = Math.min(uncapped, remainingCents);
    if (paid < uncapped) lineReasons.push(memoReason('balance', reasons.balanceExhausted));
    remainingCents -= paid;
    totalCents += priceCents;
    caisseCents += paid;
    caisseCentsUncapped += uncapped;
    if (totalCents > basketTotalCentsMax) throw rulesFail('RULES_BASKET_TOO_LARGE', `total above ${basketTotalCentsMax} cents`);
    // The weight is added after the literal, not spread into it: a spread makes the literal a copy,
    // an object five times slower to build and to read (the ledger reads ten fields of every line).
    const evaluated: { -readonly [K in keyof LineEvaluation]: LineEvaluation[K] } = {
      index,
      code: line.code.trim(),
      productCode: product.code,
      name: product.name,
      unit: product.unit,
      quantity: priced.quantity,
      unitPriceCents,
      priceCents,
      vatBasisPoints: product.vatBasisPoints,
      eligible: verdict.eligible,
      reasons: lineReasons,
      policy,
      shareBasisPoints: share,
      caisseCentsUncapped: uncapped,
      caisseCents: paid,
      memberCents: priceCents - paid,
    };
    if (priced.weightGrams !== undefined) evaluated.weightGrams = priced.weightGrams;
    assert.ok(evaluated.caisseCents + evaluated.memberCents === evaluated.priceCents && evaluated.memberCents >= 0);
    lines.push(evaluated);
  });
  const evaluation: BasketEvaluation = {
    territory: rules.territory,
    rulesVersion: rules.version,
    rulesHash: rules.documentHash,
    shopId: input.shopId,
    atMs,
    month,
    tier: member.tier,
    lines,
    totalCents,
    caisseCents,
    memberCents: totalCents - caisseCents,
    caisseCentsUncapped,
    allowanceBalanceCents: member.allowanceBalanceCents,
    balanceLimited: caisseCents < caisseCentsUncapped,
  };
  assert.ok(evaluation.caisseCents <= member.allowanceBalanceCents && evaluation.memberCents >= 0);
  return evaluation;
}
