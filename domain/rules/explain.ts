import { parseCode } from '../catalog/barcode.js';
import type { Catalog } from '../catalog/catalog.js';
import type { Product } from '../catalog/product.js';
import type { CompiledRules } from './compile.js';
import { evaluateBasket, type LineEvaluation } from './evaluate.js';
import type { Reason } from './reasons.js';

/**
 * What `caisse rules explain`, the approved-list export and the shelf labels show for one product: its
 * verdict and reasons, and the caisse's share of one piece (or one kilogram) for every tier. It runs the
 * very evaluation a basket gets, on a one-line basket with an unlimited balance, so that an explanation
 * can never disagree with the till.
 */
export interface TierShare {
  readonly tier: number;
  readonly shareBasisPoints: number;
  readonly priceCents: number;
  readonly caisseCents: number;
  readonly memberCents: number;
}

export type ProductExplanation =
  | { readonly found: false; readonly code: string; readonly problem: 'bad-code' | 'unknown-product'; readonly detail: string }
  | {
      readonly found: true;
      readonly code: string;
      readonly product: Product;
      readonly eligible: boolean;
      /** Eligibility reasons and the pricing reason of the first tier. */
      readonly reasons: readonly Reason[];
      readonly policy: LineEvaluation['policy'];
      readonly byTier: readonly TierShare[];
      readonly minShareBasisPoints: number;
      readonly maxShareBasisPoints: number;
    };

const unlimitedBalanceCents = 1_000_000_000;

export function explainProduct(rules: CompiledRules, catalog: Catalog, shopId: string, rawCode: string, atMs: number): ProductExplanation {
  const code = rawCode.trim();
  const parsed = parseCode(code);
  if (!parsed.ok) return { found: false, code, problem: 'bad-code', detail: parsed.error.detail };
  const product = catalog.byCode.get(parsed.code.key);
  if (product === undefined) return { found: false, code, problem: 'unknown-product', detail: `${code} (${catalog.shopId})` };
  return explainCatalogProduct(rules, catalog, shopId, product, atMs, code);
}

export function explainCatalogProduct(rules: CompiledRules, catalog: Catalog, shopId: string, product: Product, atMs: number, shownCode: string = product.code): ProductExplanation {
  // A label embedding its own weight or price is explained per kilogram or piece like its product.
  const line = product.unit === 'kg' ? { code: product.code, weightGrams: 1000 } : { code: product.code, quantity: 1 };
  const byTier: TierShare[] = [];
  let first: LineEvaluation | undefined;
  for (let tier = 1; tier <= rules.tierCount; tier++) {
    const evaluation = evaluateBasket({ rules, shopId, catalog, lines: [line], member: { tier, allowanceBalanceCents: unlimitedBalanceCents }, atMs });
    const evaluated = evaluation.lines[0];
    if (evaluated === undefined) throw new Error('a one-line basket evaluates to one line');
    first ??= evaluated;
    byTier.push({ tier, shareBasisPoints: evaluated.shareBasisPoints, priceCents: evaluated.priceCents, caisseCents: evaluated.caisseCents, memberCents: evaluated.memberCents });
  }
  if (first === undefined) throw new Error('rules have at least one tier');
  const shares = byTier.map((t) => t.shareBasisPoints);
  return {
    found: true,
    code: shownCode,
    product,
    eligible: first.eligible,
    reasons: first.reasons,
    policy: first.policy,
    byTier,
    minShareBasisPoints: Math.min(...shares),
    maxShareBasisPoints: Math.max(...shares),
  };
}
