import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadCatalogFile, writeCatalogAtomic } from '../../domain/catalog/catalog-file.js';
import type { Catalog } from '../../domain/catalog/catalog.js';
import { basketHash, basketTotals, type BasketLine } from '../../domain/entry/basket.js';
import { paymentBody, rulesPublishBody } from '../../domain/entry/build.js';
import { basketLinesForHash } from '../../domain/rules/basket-lines.js';
import { parseRulesDocument } from '../../domain/rules/compile.js';
import { evaluateBasket } from '../../domain/rules/evaluate.js';
import type { RulesDocument } from '../../domain/rules/schema.js';
import { fixturesDir } from '../../cli/project-root.js';
import { homeFiles } from '../../ledger/home.js';
import { readFileSync } from 'node:fs';
import { LedgerHarness } from './harness.js';

const shop = 'shop:epi-chantenay';
const pasta = '3761234000019';
const wine = '3761357000781';

let h: LedgerHarness;
let rules: RulesDocument;
let catalog: Catalog;

beforeEach(async () => {
  h = new LedgerHarness();
  rules = parseRulesDocument(JSON.parse(readFileSync(join(fixturesDir(), 'rules', 'nantes-ouest.json'), 'utf8')));
  catalog = await loadCatalogFile(join(fixturesDir(), 'catalog', 'epi-chantenay.csv'), { shopId: shop });
});
afterEach(() => h.close());

/** The ledger of a territory whose rules are published, with the shop's catalogue installed. */
async function setUp(installCatalog = true) {
  await h.ok(rulesPublishBody(h.common('rules'), rules), [h.committee]);
  if (installCatalog) await writeCatalogAtomic(join(h.dir, homeFiles.catalogs), catalog);
  await h.openMerchant(shop, 'L’Épi de Chantenay');
  const till = await h.registerTill(shop, 'epi-chantenay-1');
  await h.openHousehold('hh:test0000001');
  await h.allowance('2026-11', [{ household: 'hh:test0000001', amountCents: 15_000 }]);
  return { payer: 'hh:test0000001', merchant: shop, tillId: 'epi-chantenay-1', till };
}

function evaluated(codes: { code: string; quantity: number }[], tier = 2) {
  const evaluation = evaluateBasket({ rules, shopId: shop, catalog, lines: codes, member: { tier, allowanceBalanceCents: 15_000 }, atMs: h.nowMs });
  return { evaluation, lines: basketLinesForHash(evaluation) };
}

/** A payment whose basket hash and amounts are consistent with the given lines, whatever they claim. */
function pay(p: { payer: string; merchant: string; tillId: string }, lines: BasketLine[], tier = 2, rulesVersion = 'nantes-ouest@1') {
  return paymentBody(h.common('pay'), { ...p, ticket: 1, rulesVersion, tier, lines });
}

describe('the ledger evaluates every basket again with the published rules', () => {
  it('accepts a basket the rules evaluate to the amounts it claims', async () => {
    const p = await setUp();
    const { evaluation, lines } = evaluated([{ code: pasta, quantity: 2 }, { code: wine, quantity: 1 }]);
    expect(evaluation.lines[1]?.eligible).toBe(false);
    const { body, basket } = pay(p, lines);
    expect(body.amountCents).toBe(evaluation.caisseCents);
    await h.ok(body, [p.till], basket);
    expect(h.store.balanceCents(p.payer, 'CCA')).toBe(15_000 - evaluation.caisseCents);
  });

  it('refuses a wine paid by the caisse, even when the hash and the sums are consistent', async () => {
    const p = await setUp();
    const { lines } = evaluated([{ code: wine, quantity: 1 }, { code: pasta, quantity: 1 }]);
    const forged = lines.map((l) => (l.code === wine ? { ...l, eligible: true, shareBasisPoints: 10_000, caisseCents: l.priceCents, memberCents: 0 } : l));
    const { body, basket } = pay(p, forged);
    expect(basketHash(basket.salt, basket)).toBe(body.basket.hash);
    expect(body.amountCents).toBe(basketTotals(forged).caisseCents);
    const outcome = await h.submit(body, [p.till], basket);
    expect(outcome.ok ? '' : `${outcome.error.code} ${outcome.error.detail}`).toMatch(/^LEDGER_BASKET_MISMATCH line 1 \(3761357000781\): the rules give \{"caisseCents":0,"code":"3761357000781","eligible":false,/);
    expect(h.store.balanceCents(p.payer, 'CCA')).toBe(15_000);
  });

  it('refuses a share computed for another tier, a price changed, an unpublished version, another territory', async () => {
    const p = await setUp();
    const { lines } = evaluated([{ code: pasta, quantity: 3 }], 1);
    expect(await h.code(pay(p, lines, 4).body, [p.till], pay(p, lines, 4).basket)).toBe('LEDGER_BASKET_MISMATCH');
    const cheaper = lines.map((l) => ({ ...l, unitPriceCents: l.unitPriceCents - 10, priceCents: l.priceCents - 30, caisseCents: l.caisseCents - 30 }));
    const c = pay(p, cheaper, 1);
    expect(await h.code(c.body, [p.till], c.basket)).toBe('LEDGER_BASKET_MISMATCH');
    const v2 = pay(p, lines, 1, 'nantes-ouest@2');
    expect(await h.code(v2.body, [p.till], v2.basket)).toBe('LEDGER_BASKET_MISMATCH');
    const retz = pay(p, lines, 1, 'pays-de-retz@1');
    expect(await h.code(retz.body, [p.till], retz.basket)).toBe('LEDGER_BASKET_MISMATCH');
    const ok = pay(p, lines, 1);
    await h.ok(ok.body, [p.till], ok.basket);
  });

  it('cannot pay a shop whose catalogue is not installed', async () => {
    const p = await setUp(false);
    const { lines } = evaluated([{ code: pasta, quantity: 1 }]);
    const { body, basket } = pay(p, lines);
    const outcome = await h.submit(body, [p.till], basket);
    expect(outcome.ok ? '' : `${outcome.error.code} ${outcome.error.detail}`).toMatch(/LEDGER_BASKET_MISMATCH no catalogue installed/);
  });

  it('refuses a rules document whose hash or version does not match, or that goes back in versions', async () => {
    const body = rulesPublishBody(h.common('rules'), rules);
    expect(await h.code({ ...body, documentHash: '0'.repeat(64) }, [h.committee])).toBe('LEDGER_INVALID_ENTRY');
    expect(await h.code({ ...body, id: h.nextId(), version: '7' }, [h.committee])).toBe('LEDGER_INVALID_ENTRY');
    expect(await h.code({ ...body, id: h.nextId(), document: { ...body.document, money: 'none' } }, [h.committee])).toBe('LEDGER_INVALID_ENTRY');
    expect(await h.code({ ...body, id: h.nextId() }, [h.operator])).toBe('LEDGER_NOT_AUTHORISED');
    await h.ok(body, [h.committee]);
    expect(await h.code(rulesPublishBody(h.common('rules'), rules), [h.committee])).toBe('LEDGER_INVALID_ENTRY');
  });
});
