import { existsSync } from 'node:fs';
import { generateSigningKey, keyIdOf, type SigningKey } from '../../domain/ed25519.js';
import { readKeyFile, writeKeyFile } from '../../domain/key-file.js';
import {
  accountOpenBody,
  allowanceIssueBody,
  contributionBody,
  keyRegisterBody,
  keyRegistration,
  monekoIssueBody,
  rulesPublishBody,
} from '../../domain/entry/build.js';
import { writeCatalogAtomic } from '../../domain/catalog/catalog-file.js';
import { signEntry } from '../../domain/entry/sign.js';
import { limits } from '../../domain/limits.js';
import type { Submission } from '../../ledger/core/ledger.js';
import { homeFiles, standardAccounts, tillKeyPath } from '../../ledger/home.js';
import { join } from 'node:path';
import type { LedgerPort } from './port.js';
import { demoAllowanceCents, demoContributionCents } from './money-policy.js';
import type { World } from './world.js';

/**
 * Brings a ledger to the demo's starting point: the shops and households open, each till with its own
 * key (files under keys/tills/), Moneko in the caisse's treasury (a grant and the households'
 * contributions) and this month's allowance credited. Safe to run again on the same ledger: what
 * exists is left as it is.
 */
export interface RoleKeys {
  readonly committee: SigningKey;
  readonly operator: SigningKey;
  readonly moneko: SigningKey;
}

export interface ScenarioResult {
  readonly tillKeys: ReadonlyMap<string, SigningKey>;
  readonly period: string;
  readonly entries: number;
}

export function periodOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function nextPeriod(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

function slug(id: string): string {
  return id.replace(':', '-');
}

export async function setUpScenario(port: LedgerPort, world: World, dir: string, keys: RoleKeys, nowMs: number): Promise<ScenarioResult> {
  const period = periodOf(nowMs);
  const c = (id: string) => ({ id, createdAtMs: nowMs });
  // The shops' catalogues beside the ledger, so that it can evaluate every basket again.
  for (const catalog of world.catalogs.values()) await writeCatalogAtomic(join(dir, homeFiles.catalogs), catalog);
  const first: Submission[] = [];
  for (const [territory, rules] of world.rules) {
    if (await port.rulesPublished(territory)) continue;
    first.push({ entry: signEntry(rulesPublishBody(c(`demo-rules-${territory}-${rules.document.version}`), rules.document), [keys.committee]) });
  }
  for (const shop of world.shops) {
    if (await port.accountExists(shop.accountId)) continue;
    first.push({ entry: signEntry(accountOpenBody(c(`demo-open-${slug(shop.accountId)}`), { id: shop.accountId, kind: 'merchant', territory: shop.territory, label: shop.name }), [keys.operator]) });
  }
  const newHouseholds = [];
  for (const hh of world.households) {
    if (await port.accountExists(hh.accountId)) continue;
    newHouseholds.push(hh);
    first.push({ entry: signEntry(accountOpenBody(c(`demo-open-${slug(hh.accountId)}`), { id: hh.accountId, kind: 'household', territory: hh.territory }), [keys.operator]) });
  }
  const second: Submission[] = [];
  const tillKeys = new Map<string, SigningKey>();
  for (const shop of world.shops) {
    for (const tillId of shop.tills) {
      const path = tillKeyPath(dir, tillId);
      if (existsSync(path)) {
        tillKeys.set(tillId, readKeyFile(path));
        continue;
      }
      const key = generateSigningKey();
      writeKeyFile(path, key);
      tillKeys.set(tillId, key);
      second.push({ entry: signEntry(keyRegisterBody(c(`demo-till-${tillId}-${keyIdOf(key.publicKey)}`), keyRegistration(key.publicKey, 'till', { merchant: shop.accountId, tillId })), [keys.operator]) });
    }
  }
  if (newHouseholds.length > 0) {
    const contributions = newHouseholds.map((hh) => {
      const rules = world.rules.get(hh.territory)?.document;
      return { hh, cents: rules ? demoContributionCents(rules, hh.tier, hh.size) : 1000 };
    });
    // A grant from the local authorities tops the contributions up, as in the real caisses' budgets.
    const allowances = newHouseholds.map((hh) => {
      const rules = world.rules.get(hh.territory)?.document;
      return { household: hh.accountId, amountCents: rules ? demoAllowanceCents(rules, hh.tier, hh.size) : 10_000 };
    });
    const grantCents = allowances.reduce((s, a) => s + a.amountCents, 0);
    second.push({ entry: signEntry(monekoIssueBody(c(`demo-grant-${period}-${nowMs}`), { reserve: standardAccounts.reserve, to: standardAccounts.treasury, amountCents: grantCents, reference: `Subvention ${period}` }), [keys.moneko]) });
    for (const { hh, cents } of contributions) {
      second.push({ entry: signEntry(contributionBody(c(`demo-contrib-${period}-${slug(hh.accountId)}`), { household: hh.accountId, period, amountCents: cents, reference: `Cotisation ${period}`, reserve: standardAccounts.reserve, treasury: standardAccounts.treasury }), [keys.operator]) });
    }
    for (let i = 0; i < allowances.length; i += limits.postingsMax - 1) {
      const chunk = allowances.slice(i, i + limits.postingsMax - 1);
      second.push({ entry: signEntry(allowanceIssueBody(c(`demo-alloc-${period}-${nowMs}-${i}`), standardAccounts.fund, period, chunk), [keys.operator]) });
    }
  }
  let entries = 0;
  for (const group of [first, second]) {
    if (group.length === 0) continue;
    const outcomes = await port.submitBatch(group);
    for (const o of outcomes) {
      if (!o.ok) throw o.error;
      if (o.receipt.replayed !== true) entries += 1;
    }
  }
  return { tillKeys, period, entries };
}
