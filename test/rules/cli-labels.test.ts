import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commands } from '../../cli/commands/labels.js';
import { heartsFor } from '../../domain/rules/shelf-labels.js';
import { args, fakeIo, findCommand } from './cli-io.js';

const dir = mkdtempSync(join(tmpdir(), 'caisse-labels-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('caisse labels', () => {
  it('writes a PDF of shelf labels for a fixture shop', async () => {
    const io = fakeIo(dir);
    const out = join(dir, 'vrac.pdf');
    const code = await findCommand(commands, ['labels']).run(args({ shop: 'shop:vrac-bellevue', out, at: '2026-07-15T12:00:00+02:00' }), io);
    expect(code).toBe(0);
    const pdf = readFileSync(out);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // 76 products on labels of 21 per page: 4 pages.
    expect(pdf.toString('latin1').match(/\/Type \/Page\b/g)?.length).toBe(4);
    expect(io.text()).toContain('étiquettes');
  });

  it('is deterministic for the same inputs', async () => {
    const a = join(dir, 'a.pdf');
    const b = join(dir, 'b.pdf');
    const cmd = findCommand(commands, ['labels']);
    await cmd.run(args({ shop: 'ferme-rouans', out: a, at: '2026-01-15T12:00:00+01:00' }), fakeIo(dir));
    await cmd.run(args({ shop: 'ferme-rouans', out: b, at: '2026-01-15T12:00:00+01:00' }), fakeIo(dir, 'en'));
    expect(readFileSync(a).equals(readFileSync(b))).toBe(false);
    const c = join(dir, 'c.pdf');
    await cmd.run(args({ shop: 'ferme-rouans', out: c, at: '2026-01-15T12:00:00+01:00' }), fakeIo(dir));
    expect(readFileSync(a).equals(readFileSync(c))).toBe(true);
  });

  it('refuses a shop that is not in the rules', async () => {
    await expect(findCommand(commands, ['labels']).run(args({ shop: 'shop:nowhere' }), fakeIo(dir))).rejects.toMatchObject({ code: 'RULES_UNKNOWN_SHOP' });
  });

  it.each([
    [0, 0],
    [1, 1],
    [3_000, 1],
    [5_000, 2],
    [7_000, 2],
    [9_999, 2],
    [10_000, 3],
  ])('share %i basis points gets %i hearts', (share, hearts) => {
    expect(heartsFor(share)).toBe(hearts);
  });
});
