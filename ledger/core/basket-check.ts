import { canonicalJson } from '../../domain/jcs.js';
import type { Basket, BasketLine } from '../../domain/entry/basket.js';
import type { BodyOf } from '../../domain/entry/schema.js';
import type { Catalog } from '../../domain/catalog/catalog.js';
import { basketInputLines, basketLinesForHash } from '../../domain/rules/basket-lines.js';
import { compileRules, type CompiledRules } from '../../domain/rules/compile.js';
import { evaluateBasket, type LineEvaluation } from '../../domain/rules/evaluate.js';
import type { RulesDocument } from '../../domain/rules/schema.js';
import { CaisseError } from '../../domain/error-spec.js';
import { ledgerError } from '../errors.js';
import { decodeLeaf } from '../formats/leaf.js';
import type { SqliteStore } from '../store/sqlite-store.js';

/**
 * Never trust a client: the ledger evaluates every payment's basket again with the rules version the
 * payment names (published in the log) and the shop's catalogue (installed beside the ledger), and
 * refuses the payment when the lines or the amounts differ from what the rules give.
 *
 * A territory with no published rules yet (a caisse being set up) is checked for sums only; once a
 * version is published, every payment of its shops is evaluated, and a shop without a catalogue cannot
 * be paid.
 *
 * The balance cap is evaluated with the amount the payment claims: a till that capped the caisse's
 * part at the member's balance gets the same split from the same cap, and the overdraft check then
 * makes sure that the balance covers it.
 */
export interface CatalogSource {
  get(shopId: string): Catalog | undefined;
}

export class BasketChecker {
  private readonly compiled = new Map<string, CompiledRules>();

  constructor(
    private readonly store: SqliteStore,
    private readonly catalogs: CatalogSource,
  ) {}

  check(body: BodyOf<'payment'>, basket: Basket): void {
    const merchant = this.store.account(body.merchant);
    const territory = merchant?.territory;
    if (territory === undefined || this.store.latestRules(territory) === undefined) return;
    const at = body.rulesVersion.lastIndexOf('@');
    const namedTerritory = body.rulesVersion.slice(0, at);
    const version = body.rulesVersion.slice(at + 1);
    if (at < 1 || namedTerritory !== territory) throw ledgerError('LEDGER_BASKET_MISMATCH', `rulesVersion ${body.rulesVersion}: ${body.merchant} is in ${territory}`);
    const rules = this.rules(territory, version);
    if (rules === undefined) throw ledgerError('LEDGER_BASKET_MISMATCH', `rules ${body.rulesVersion} were never published`);
    const catalog = this.catalogs.get(body.merchant);
    if (catalog === undefined) throw ledgerError('LEDGER_BASKET_MISMATCH', `no catalogue installed for ${body.merchant}`);
    let evaluation;
    try {
      evaluation = evaluateBasket({
        rules,
        shopId: body.merchant,
        catalog,
        lines: basketInputLines(basket.lines),
        member: { tier: basket.tier, allowanceBalanceCents: body.amountCents },
        atMs: body.createdAtMs,
      });
    } catch (e) {
      if (e instanceof CaisseError) throw ledgerError('LEDGER_BASKET_MISMATCH', `${e.code}: ${e.detail}`);
      throw e;
    }
    for (let i = 0; i < evaluation.lines.length; i++) {
      const want = evaluation.lines[i];
      const got = basket.lines[i];
      if (want === undefined || got === undefined || !sameLine(want, got)) {
        throw ledgerError('LEDGER_BASKET_MISMATCH', `line ${i + 1} (${got?.code ?? '?'}): the rules give ${canonicalJson(basketLinesForHash(evaluation)[i])}`);
      }
    }
    if (evaluation.caisseCents !== body.amountCents) throw ledgerError('LEDGER_BASKET_MISMATCH', `the rules give the caisse ${evaluation.caisseCents}, payment is ${body.amountCents}`);
  }

  private rules(territory: string, version: string): CompiledRules | undefined {
    const key = `${territory}@${version}`;
    const cached = this.compiled.get(key);
    if (cached !== undefined) return cached;
    const index = this.store.rulesIndex(territory, version);
    if (index === undefined) return undefined;
    const row = this.store.logAt(index);
    if (row === undefined) return undefined;
    const sealed = decodeLeaf(row.leaf);
    if (sealed.body.type !== 'rules.publish') return undefined;
    const compiled = compileRules(sealed.body.document as RulesDocument);
    this.compiled.set(key, compiled);
    return compiled;
  }
}

/** Every field of a basket line; the type below fails to compile if the format gains one not listed. */
const lineFields = ['code', 'productCode', 'quantity', 'weightGrams', 'unitPriceCents', 'priceCents', 'eligible', 'shareBasisPoints', 'caisseCents', 'memberCents'] as const;
type UnlistedLineField = Exclude<keyof BasketLine, (typeof lineFields)[number]>;
const everyFieldListed: [UnlistedLineField] extends [never] ? true : never = true;
type LineField = (typeof lineFields)[number];

/**
 * Field by field, against the evaluation's own line (which has every field a basket line has, under the
 * same name): canonicalising both sides of every line cost as much as the evaluation itself, and
 * building the hashed form of each line only to compare it, a fifth of the check.
 */
function sameLine(a: Pick<LineEvaluation, LineField>, b: BasketLine): boolean {
  if (!everyFieldListed) return false;
  for (const field of lineFields) if (a[field] !== b[field]) return false;
  return true;
}
