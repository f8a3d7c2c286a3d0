import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseArgs } from '../../cli/args.js';
import type { CliIo, Command } from '../../cli/command.js';
import { eraseBasket, rulesPublish } from '../../cli/commands/ledger-admin.js';
import { runCli } from '../../cli/run.js';
import { fixturesDir } from '../../cli/project-root.js';
import { decodeLeaf } from '../../ledger/formats/leaf.js';
import { LedgerHarness, line } from './harness.js';

let h: LedgerHarness;
beforeEach(() => {
  h = new LedgerHarness();
  h.nowMs = Date.now();
});
afterEach(() => h.close());

function io(): CliIo & { text: () => string } {
  let text = '';
  return {
    lang: 'fr',
    out: (t) => {
      text += t;
    },
    err: (t) => {
      text += t;
    },
    isTty: false,
    env: {},
    cwd: h.dir,
    text: () => text,
  };
}

async function run(command: Command, argv: string[]) {
  const out = io();
  const code = await command.run(parseArgs(command, argv), out);
  return { code, text: out.text() };
}

describe('caisse rules publish', () => {
  it('publishes a territory’s rules once, signed by the committee, and says so when asked again', async () => {
    const file = join(fixturesDir(), 'rules', 'nantes-ouest.json');
    const first = await run(rulesPublish, ['--data', h.dir, file]);
    expect(first.code).toBe(0);
    expect(first.text).toMatch(/Règles nantes-ouest version 1 publiées : écriture n° \d+/);
    const latest = h.store.latestRules('nantes-ouest');
    expect(latest?.version).toBe('1');
    const sealed = decodeLeaf(h.store.logAt(latest?.index ?? -1)?.leaf ?? new Uint8Array());
    expect(sealed.body.type).toBe('rules.publish');
    const again = await run(rulesPublish, ['--data', h.dir, file]);
    expect(again.text).toMatch(/déjà publiées/);
    expect(h.store.latestRules('nantes-ouest')?.index).toBe(latest?.index);
  });

  it('refuses a document that is not valid rules, through the CLI with a stable code', async () => {
    const errors: string[] = [];
    const code = await runCli([rulesPublish], ['rules', 'publish', '--data', h.dir, join(fixturesDir(), 'shops.json')], {
      out: () => undefined,
      err: (t) => errors.push(t),
      isTty: false,
      env: {},
      cwd: h.dir,
    });
    expect(code).toBe(1);
    expect(errors.join('')).toMatch(/^Erreur RULES_/);
    expect(h.store.latestRules('nantes-ouest')).toBeUndefined();
  });
});

describe('caisse ledger erase-basket', () => {
  it('erases a basket’s lines and keeps the log verifiable', async () => {
    const s = await h.shopAndMember();
    const { body, basket } = h.payment(s, [line('3760123450017', 500)]);
    const receipt = await h.ok(body, [s.till], basket);
    const result = await run(eraseBasket, ['--data', h.dir, body.id]);
    expect(result.code).toBe(0);
    expect(result.text).toMatch(/effacé/);
    const stored = h.store.basket(body.id);
    expect(stored?.content).toBeUndefined();
    expect(stored?.salt).toBeUndefined();
    expect(stored?.erasedAtMs).toBeTypeOf('number');
    // The leaf still carries the basket's hash, and the receipt still proves inclusion.
    expect(decodeLeaf(h.store.logAt(receipt.index)?.leaf ?? new Uint8Array()).body).toEqual(body);
    expect((await run(eraseBasket, ['--data', h.dir, body.id])).text).toMatch(/déjà effacé/);
  });
});
