import type { Product } from '../catalog/product.js';
import type { CompiledRules, CompiledShop } from './compile.js';
import { reasons, type Reason } from './reasons.js';

/**
 * The eligibility verdict of one product in one shop in one month: the part of a line's evaluation that
 * depends neither on the quantity nor on the member. Every reason is listed, for and against; the
 * exclusions (alcohol, non-food) win over everything, then the shop's deny list and the seasons, then the
 * product must qualify: whole shop, approved list, shop allow list, or a criterion the shop accepts.
 */
export interface ProductVerdict {
  readonly eligible: boolean;
  readonly reasons: readonly Reason[];
  /** The share set on the approved list for this very product, if any. */
  readonly approvedShareBasisPoints: number | undefined;
}

const earthRadiusKm = 6371;

/** Great-circle distance in whole kilometres (rounded up: a limit of 50 km means at most 50). */
export function distanceKm(a: { latE6: number; lonE6: number }, b: { latE6: number; lonE6: number }): number {
  const rad = Math.PI / 180 / 1e6;
  const dLat = (b.latE6 - a.latE6) * rad;
  const dLon = (b.lonE6 - a.lonE6) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latE6 * rad) * Math.cos(b.latE6 * rad) * Math.sin(dLon / 2) ** 2;
  return Math.ceil(2 * earthRadiusKm * Math.asin(Math.min(1, Math.sqrt(h))));
}

function firstIn(ids: readonly string[], set: ReadonlySet<string>): string | undefined {
  for (const id of ids) if (set.has(id)) return id;
  return undefined;
}

/** The local reason, if any: department, then commune, then distance. */
function localReason(rules: CompiledRules, product: Product): Reason | undefined {
  const producer = product.producer;
  if (producer === undefined) return undefined;
  if (producer.department !== undefined && rules.localDepartments.has(producer.department)) return reasons.localDepartment(producer.department);
  if (producer.commune !== undefined && rules.localCommunes.has(producer.commune.toLowerCase())) return reasons.localCommune(producer.commune);
  if (rules.centre !== undefined && rules.distanceKmMax !== undefined && producer.latE6 !== undefined && producer.lonE6 !== undefined) {
    const km = distanceKm(rules.centre, { latE6: producer.latE6, lonE6: producer.lonE6 });
    if (km <= rules.distanceKmMax) return reasons.localDistance(km);
  }
  return undefined;
}

/** `judgeProduct`, remembered per shop, month and product (see CompiledRules.verdictMemo). */
export function judgeProductMemo(rules: CompiledRules, shopId: string, product: Product, month: number): ProductVerdict {
  const key = `${shopId}|${month}`;
  let memo = rules.verdictMemo.get(key) as WeakMap<Product, ProductVerdict> | undefined;
  if (memo === undefined) {
    memo = new WeakMap<Product, ProductVerdict>();
    rules.verdictMemo.set(key, memo);
  }
  let verdict = memo.get(product);
  if (verdict === undefined) {
    verdict = judgeProduct(rules, rules.shops.get(shopId), product, month);
    memo.set(product, verdict);
  }
  return verdict;
}

export function judgeProduct(rules: CompiledRules, shop: CompiledShop | undefined, product: Product, month: number): ProductVerdict {
  const list: Reason[] = [];
  if (shop === undefined) list.push(reasons.shopNotApproved());

  // Exclusions: always listed, always win.
  if (product.abvBasisPoints > rules.abvBasisPointsMax) list.push(reasons.alcoholAbv(product.abvBasisPoints));
  else {
    const category = firstIn(product.categories, rules.alcoholCategories);
    if (category !== undefined) list.push(reasons.alcoholCategory(category));
  }
  if (!product.food || firstIn(product.categories, rules.nonFoodCategories) !== undefined) list.push(reasons.nonFood());

  if (shop !== undefined) {
    if (shop.denyCodes.has(product.code)) list.push(reasons.shopDeniedCode());
    const denied = firstIn(product.categories, shop.denyCategories);
    if (denied !== undefined) list.push(reasons.shopDeniedCategory(denied));
  }

  for (const category of product.categories) {
    const months = rules.monthsByCategory.get(category);
    if (months === undefined) continue;
    list.push(months.has(month) ? reasons.inSeason(month) : reasons.outOfSeason(month));
    break;
  }

  // Criteria are listed in every mode (they tell a member why a product is good); they qualify a
  // product only in a product-list shop that accepts them.
  const organic = firstIn(product.labels, rules.organicLabels);
  const local = localReason(rules, product);
  const registryId = product.producer?.registryId;
  const peasantName = registryId === undefined ? undefined : rules.peasantByRegistryId.get(registryId);
  const criteria: Reason[] = [];
  if (organic !== undefined) criteria.push(reasons.organic(organic));
  if (local !== undefined) criteria.push(local);
  if (peasantName !== undefined) criteria.push(reasons.peasant(peasantName));

  let qualified = false;
  let approvedShareBasisPoints: number | undefined;
  if (shop !== undefined) {
    if (shop.mode === 'whole-shop') {
      qualified = true;
      list.push(reasons.wholeShop());
    } else {
      const approved = shop.approved.get(product.code);
      if (approved !== undefined) {
        qualified = true;
        approvedShareBasisPoints = approved ?? undefined;
        list.push(reasons.approvedList());
      }
      if (shop.allowCodes.has(product.code)) {
        qualified = true;
        list.push(reasons.shopAllowedCode());
      }
      const allowed = firstIn(product.categories, shop.allowCategories);
      if (allowed !== undefined) {
        qualified = true;
        list.push(reasons.shopAllowedCategory(allowed));
      }
      if ((organic !== undefined && shop.qualifyBy.has('organic')) || (local !== undefined && shop.qualifyBy.has('local')) || (peasantName !== undefined && shop.qualifyBy.has('peasant'))) {
        qualified = true;
      }
    }
  }
  list.push(...criteria);
  if (shop !== undefined && !qualified) list.push(reasons.notApproved());
  const eligible = qualified && !list.some((r) => r.effect === 'against');
  // Frozen: verdicts are shared between baskets through the memo.
  return Object.freeze({ eligible, reasons: Object.freeze(list), approvedShareBasisPoints });
}
