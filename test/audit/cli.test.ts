import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ledgerVerify } from '../../cli/commands/ledger-verify.js';
import type { CliIo } from '../../cli/command.js';
import { parseArgs } from '../../cli/args.js';
import { CaisseError } from '../../domain/error-spec.js';
import { openCheckpoint } from '../../ledger/formats/checkpoint.js';
import { homeFiles } from '../../ledger/home.js';
import { buildFixture, rewriteLeaf, tamper, type AuditFixture } from './fixture.js';

let fixture: AuditFixture | undefined;
afterEach(() => {
  fixture?.h.close();
  fixture = undefined;
});

function fakeIo(lang: 'fr' | 'en' = 'fr') {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { lang, out: (t) => out.push(t), err: (t) => err.push(t), isTty: false, env: {}, cwd: process.cwd() };
  return { io, out, err };
}

const root = join(import.meta.dirname, '..', '..');
const compiledMain = join(root, 'dist', 'cli', 'main.js');

/** Runs the compiled `caisse` binary (npm run build; npm test builds first), with real verifier threads. */
function runCompiled(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [compiledMain, ...args], { env: { PATH: process.env.PATH ?? '', LANG: 'fr_FR.UTF-8' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('caisse ledger verify', () => {
  it('prints a French summary and saves the verified checkpoint', async () => {
    fixture = await buildFixture(2);
    const { h } = fixture;
    const { io, out } = fakeIo('fr');
    const saveTo = join(h.dir, 'verified.checkpoint');
    const code = await ledgerVerify.run(parseArgs(ledgerVerify, ['--data', h.dir, '--threads', '0', '--save-checkpoint', saveTo]), io);
    expect(code).toBe(0);
    expect(out.join('')).toContain('Registre vérifié');
    expect(out.join('')).toContain(`taille ${h.ledger.treeSize()}`);
    const saved = readFileSync(saveTo, 'utf8');
    expect(openCheckpoint(saved, { name: h.ledger.origin, publicKey: h.ledgerKey.publicKey }).checkpoint.size).toBe(h.ledger.treeSize());
    // The next run checks the log against it.
    const again = fakeIo('en');
    // --temp-dir is where the sorted entry ids would go (this log is far too short to need any).
    expect(await ledgerVerify.run(parseArgs(ledgerVerify, ['--data', h.dir, '--threads', '0', '--checkpoint', saveTo, '--temp-dir', h.dir]), again.io)).toBe(0);
    expect(again.out.join('')).toContain('extends the saved checkpoint');
  });

  it('fails at once with AUDIT_TEMP_UNWRITABLE when --temp-dir cannot take the sorted entry ids', async () => {
    fixture = await buildFixture(2);
    const { h } = fixture;
    const { io } = fakeIo('en');
    const notADirectory = join(h.dir, homeFiles.config);
    await expect(ledgerVerify.run(parseArgs(ledgerVerify, ['--data', h.dir, '--threads', '0', '--temp-dir', notADirectory]), io)).rejects.toMatchObject({
      code: 'AUDIT_TEMP_UNWRITABLE',
      detail: expect.stringContaining(notADirectory),
    });
  });

  it('refuses to run without exactly one of --data and --url', async () => {
    const { io } = fakeIo();
    await expect(ledgerVerify.run(parseArgs(ledgerVerify, []), io)).rejects.toBeInstanceOf(CaisseError);
    await expect(ledgerVerify.run(parseArgs(ledgerVerify, ['--data', '/x', '--url', 'http://127.0.0.1:1']), io)).rejects.toMatchObject({ code: 'CLI_BAD_ARGUMENTS' });
  });

  it('runs as the compiled caisse binary, on worker threads, and exits 1 naming the edited entry', async () => {
    expect(existsSync(compiledMain), 'npm run build first (npm test does)').toBe(true);
    fixture = await buildFixture();
    const { h, paymentIndex } = fixture;
    const clean = await runCompiled(['ledger', 'verify', '--data', h.dir, '--threads', '2']);
    expect(clean.stderr).not.toContain('Erreur');
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('2 fils');
    tamper(h.dir, (db) =>
      rewriteLeaf(db, paymentIndex, (sealed) => (sealed.body.type === 'payment' ? { ...sealed, body: { ...sealed.body, amountCents: sealed.body.amountCents + 1 } } : sealed)),
    );
    const bad = await runCompiled(['ledger', 'verify', '--data', h.dir, '--threads', '2']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`Vérification échouée à l’écriture d’indice ${paymentIndex}.`);
    expect(bad.stderr).toContain('Erreur AUDIT_BAD_SIGNATURE');
  });
});
