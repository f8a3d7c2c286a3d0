import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commands } from '../../cli/commands/rules.js';
import { rulesJsonSchemaText } from '../../domain/rules/json-schema.js';
import { args, fakeIo, findCommand } from './cli-io.js';
import { fixturesDir } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'caisse-rules-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const nantes = join(fixturesDir, 'rules', 'nantes-ouest.json');
const retz = join(fixturesDir, 'rules', 'pays-de-retz.json');
const cmd = (...words: string[]) => findCommand(commands, ['rules', ...words]);

describe('caisse rules check / keygen / sign', () => {
  it('checks a bare document', async () => {
    const io = fakeIo(dir);
    expect(await cmd('check').run(args({}, [nantes]), io)).toBe(0);
    expect(io.text()).toMatch(/^OK nantes-ouest version 1 \(Ouest de Nantes\), 2 commerce\(s\), non signé\nempreinte SHA-256 [0-9a-f]{64}\n$/);
  });

  it('lists every problem of an invalid document and exits 1', async () => {
    const bad = join(dir, 'bad.json');
    const doc = JSON.parse(readFileSync(nantes, 'utf8')) as Record<string, unknown>;
    writeFileSync(bad, JSON.stringify({ ...doc, version: 0, shops: 'none' }));
    const io = fakeIo(dir, 'en');
    expect(await cmd('check').run(args({ json: true }, [bad]), io)).toBe(1);
    const out = JSON.parse(io.text()) as { ok: boolean; code: string; problems: { path: string }[] };
    expect(out.ok).toBe(false);
    expect(out.code).toBe('RULES_INVALID');
    expect(out.problems.map((p) => p.path).sort()).toEqual(['shops', 'version']);
    // In text, the code first (as every refusal), then each problem on a line of its own.
    const text = fakeIo(dir, 'en');
    expect(await cmd('check').run(args({}, [bad]), text)).toBe(1);
    const lines = text.stderr.join('').split('\n');
    expect(lines[0]).toBe(`Error RULES_INVALID: invalid rules document (${bad})`);
    expect(lines.filter((l) => /^ {2}(shops|version): /.test(l))).toHaveLength(2);
  });

  it('refuses a file that is not JSON', async () => {
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, '{ nope');
    await expect(cmd('check').run(args({}, [notJson]), fakeIo(dir))).rejects.toMatchObject({ code: 'RULES_UNREADABLE' });
    // A name given twice: the committee reading the file and the program reading it could see two documents.
    const twice = join(dir, 'twice.json');
    writeFileSync(twice, '{"version": "a", "territory": "t", "version": "b"}');
    await expect(cmd('check').run(args({}, [twice]), fakeIo(dir))).rejects.toMatchObject({ code: 'RULES_UNREADABLE', detail: expect.stringContaining('a name given twice in one object: version') });
  });

  it('creates a key, signs, and checks the signature', async () => {
    const key = join(dir, 'committee.key');
    const keyIo = fakeIo(dir);
    expect(await cmd('keygen').run(args({ out: key }), keyIo)).toBe(0);
    expect(keyIo.text()).toMatch(/^[0-9a-f]{16} [A-Za-z0-9+/]{43}=\n$/);
    const signedFile = join(dir, 'retz.signed.json');
    expect(await cmd('sign').run(args({ key, out: signedFile }, [retz]), fakeIo(dir))).toBe(0);
    // A signed file is never written over: the system's refusal reaches the command, which names it.
    await expect(cmd('sign').run(args({ key, out: signedFile }, [retz]), fakeIo(dir))).rejects.toMatchObject({ code: 'EEXIST', syscall: 'open' });
    const checked = fakeIo(dir);
    expect(await cmd('check').run(args({ key, json: true }, [signedFile]), checked)).toBe(0);
    expect(JSON.parse(checked.text())).toMatchObject({ ok: true, territory: 'pays-de-retz', signature: 'verified' });
    // A key given to check an unsigned document: the check fails, it is not skipped.
    await expect(cmd('check').run(args({ key }, [retz]), fakeIo(dir))).rejects.toMatchObject({ code: 'RULES_BAD_SIGNATURE' });
    await expect(cmd('check').run(args({ key: join(dir, 'absent.key') }, [signedFile]), fakeIo(dir))).rejects.toMatchObject({ code: 'KEY_FILE_UNREADABLE' });
    const unverified = fakeIo(dir);
    await cmd('check').run(args({}, [signedFile]), unverified);
    expect(unverified.text()).toContain('signé, signature non vérifiée');

    const signed = JSON.parse(readFileSync(signedFile, 'utf8')) as { document: { version: number } };
    signed.document.version = 2;
    const tampered = join(dir, 'tampered.json');
    writeFileSync(tampered, JSON.stringify(signed));
    await expect(cmd('check').run(args({ key }, [tampered]), fakeIo(dir))).rejects.toMatchObject({ code: 'RULES_BAD_SIGNATURE' });
  });
});

describe('caisse rules explain', () => {
  it('explains eligible, refused and unknown products in French', async () => {
    const io = fakeIo(dir);
    const catalog = join(fixturesDir, 'catalog', 'epi-chantenay.csv');
    const code = await cmd('explain').run(args({ rules: nantes, catalog, shop: 'epi-chantenay', at: '2026-01-15T12:00:00+01:00' }, ['3761234000019', '3761357000767', '2110056000003', '3760000000017', '123']), io);
    expect(code).toBe(1);
    const text = io.text();
    expect(text).toContain('3761234000019  Spaghetti blé complet 500 g  2,89 €\n  PRIS EN CHARGE — 40 % … 100 %');
    expect(text).toContain('✓ commerce entièrement conventionné');
    expect(text).toContain('€ palier 1 : la caisse paie 100 %');
    expect(text).toContain('palier 4: 40 %');
    expect(text).toMatch(/NON PRIS EN CHARGE\n\s+✗ boisson alcoolisée/);
    expect(text).toContain('✗ hors saison (janvier)');
    expect(text).toContain('3760000000017  CATALOG_UNKNOWN_CODE produit inconnu dans le catalogue');
    expect(text).toContain('123  CATALOG_BAD_SCAN code scanné illisible');
  });

  it('answers in JSON with reasons and shares by tier', async () => {
    const io = fakeIo(dir, 'en');
    const catalog = join(fixturesDir, 'catalog', 'ferme-rouans.csv');
    expect(await cmd('explain').run(args({ rules: retz, catalog, shop: 'shop:ferme-rouans', at: '2026-03-01T10:00:00+01:00', json: true }, ['3100']), io)).toBe(0);
    const out = JSON.parse(io.text()) as { rulesVersion: number; products: { eligible: boolean; policy: string; reasons: { code: string }[]; byTier: { memberCents: number; caisseCents: number }[] }[] };
    expect(out.rulesVersion).toBe(1);
    const carrots = out.products[0]!;
    expect([carrots.eligible, carrots.policy]).toEqual([true, 'producer-floor']);
    expect(carrots.reasons.map((r) => r.code)).toEqual(['WHOLE_SHOP', 'ORGANIC', 'LOCAL', 'PEASANT', 'PRICING_PRODUCER_FLOOR']);
    // 1 kg of carrots at 2.40/kg is paid 3.00 to the farm: 0.50 by the member, 2.50 by the caisse.
    expect(carrots.byTier[0]).toMatchObject({ memberCents: 50, caisseCents: 250 });
  });

  it('takes --at as typed: a day that exists, in ISO 8601, or refuses it', async () => {
    const catalog = join(fixturesDir, 'catalog', 'ferme-rouans.csv');
    for (const at of ['2026-02-30', '2026-13-01', 'demain', '2026-03-01T10:00', '1 March 2026', '2026-3-1']) {
      await expect(cmd('explain').run(args({ rules: retz, catalog, shop: 'shop:ferme-rouans', at }, ['3100']), fakeIo(dir)), at).rejects.toMatchObject({ code: 'CLI_BAD_VALUE' });
    }
    for (const at of ['2026-03-01', '2026-03-01T10:00Z', '2026-03-01T10:00:00.5+01:00']) {
      expect(await cmd('explain').run(args({ rules: retz, catalog, shop: 'shop:ferme-rouans', at }, ['3100']), fakeIo(dir)), at).toBe(0);
    }
  });

  it('needs --shop for a CSV catalogue', async () => {
    await expect(cmd('explain').run(args({ rules: retz, catalog: join(fixturesDir, 'catalog', 'ferme-rouans.csv') }, ['3100']), fakeIo(dir))).rejects.toMatchObject({ code: 'CATALOG_BAD_FIELD' });
  });
});

describe('caisse rules export-approved and schema', () => {
  it('exports the approved list as barcode,name,share', async () => {
    const io = fakeIo(dir);
    const catalog = join(fixturesDir, 'catalog', 'marche-vue.csv');
    expect(await cmd('export-approved').run(args({ rules: retz, catalog, shop: 'marche-vue', at: '2026-07-15T12:00:00+02:00' }), io)).toBe(0);
    const lines = io.text().split('\r\n');
    expect(lines[0]).toBe('barcode,name,share');
    expect(lines).toContain('2310728000007,Carottes,30');
    expect(lines.some((l) => l.startsWith('94001,Botte de radis,50-100'))).toBe(true);
    expect(lines.some((l) => l.includes('Bouquet de fleurs'))).toBe(false);
    expect(lines.some((l) => l.includes('Potimarron'))).toBe(false); // out of season in July
  });

  it('refuses a shop the rules do not name', async () => {
    await expect(cmd('export-approved').run(args({ rules: retz, catalog: 'x.csv', shop: 'epi-chantenay' }), fakeIo(dir))).rejects.toMatchObject({ code: 'RULES_UNKNOWN_SHOP' });
  });

  it('prints the JSON Schema', async () => {
    const io = fakeIo(dir);
    expect(await cmd('schema').run(args({}), io)).toBe(0);
    expect(io.text()).toBe(rulesJsonSchemaText());
  });
});
