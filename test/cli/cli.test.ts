import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caisseBin, envWithoutLocale, requireBuiltCaisse, runCaisse, stackTraceLine, type CaisseRun } from './caisse-bin.js';
import { openLedger } from '../../ledger/home.js';
import { fixturesDir } from '../../cli/project-root.js';

/**
 * The `caisse` command as a user meets it, run from dist/ in a child process: help in French by default
 * and in English when asked, usage errors that exit 2 with a French message and no stack trace, and
 * `ledger init`, which keeps its secret keys in 0600 files and never prints them.
 */
let work: string;

beforeAll(() => {
  requireBuiltCaisse();
  work = mkdtempSync(join(tmpdir(), 'caisse-cli-'));
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** A usage error: exit 2, nothing on stdout, one French line on stderr naming the code, no stack trace. */
function expectUsageError(run: CaisseRun, code: string, mentions: string): void {
  expect({ code: run.code, stdout: run.stdout }, run.stderr).toEqual({ code: 2, stdout: '' });
  expect(run.stderr).toMatch(new RegExp(`^Erreur ${code} : `));
  expect(run.stderr).toContain(mentions);
  expect(run.stderr).not.toMatch(stackTraceLine);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
}

describe('help', () => {
  it('is in French by default, in English with --lang en or LANG=en_GB.UTF-8, and --lang wins over LANG', async () => {
    expect(caisseBin.endsWith(join('dist', 'cli', 'main.js'))).toBe(true);
    const [fr, flag, env, french, command] = await Promise.all([
      runCaisse(['--help']),
      runCaisse(['--lang', 'en', '--help']),
      runCaisse(['--help'], { env: envWithoutLocale({ LANG: 'en_GB.UTF-8' }) }),
      runCaisse(['--help', '--lang=fr'], { env: envWithoutLocale({ LANG: 'en_GB.UTF-8' }) }),
      runCaisse(['ledger', 'serve', '--help', '--lang', 'en']),
    ]);
    expect(fr.code, fr.stderr).toBe(0);
    expect(fr.stdout).toContain('Utilisation');
    expect(fr.stdout).toContain('Commandes');
    for (const name of ['ledger init', 'ledger serve', 'demo']) expect(fr.stdout).toContain(name);
    expect(fr.stdout).not.toContain('Usage:');
    for (const run of [flag, env]) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('Usage');
      expect(run.stdout).toContain('Commands');
      expect(run.stdout).not.toContain('Utilisation');
    }
    expect(env.stdout).toBe(flag.stdout);
    expect(french.stdout).toBe(fr.stdout);
    // The help of one command lists its options.
    expect(command.code).toBe(0);
    expect(command.stdout).toContain('Serve the ledger');
    for (const option of ['--data', '--port', '--threads']) expect(command.stdout).toContain(option);
  });
});

describe('usage errors', () => {
  it('unknown command, unknown option, missing option, bad integer, out of range, bad language: exit 2, French, no stack trace', async () => {
    const data = join(work, 'nothing-here');
    const cases: { args: string[]; code: string; mentions: string }[] = [
      { args: ['frobnicate'], code: 'CLI_UNKNOWN_COMMAND', mentions: 'frobnicate' },
      { args: ['ledger', 'init', '--data', join(work, 'x'), '--colour', 'rouge'], code: 'CLI_UNKNOWN_OPTION', mentions: '--colour' },
      { args: ['ledger', 'init'], code: 'CLI_MISSING_OPTION', mentions: '--data' },
      { args: ['ledger', 'verify'], code: 'CLI_MISSING_OPTION', mentions: '--data DIR or --url URL' },
      { args: ['ledger', 'serve', '--data', data, '--port', 'abc'], code: 'CLI_BAD_VALUE', mentions: '--port abc' },
      { args: ['ledger', 'serve', '--data', data, '--port', '70000'], code: 'CLI_BAD_VALUE', mentions: '--port 70000' },
      { args: ['demo', '--data', data, '--payments', '1.5'], code: 'CLI_BAD_VALUE', mentions: '--payments 1.5' },
      { args: ['--lang', 'de', '--help'], code: 'CLI_BAD_VALUE', mentions: 'de' },
      { args: ['--lang', 'en', '--lang', 'fr', '--help'], code: 'CLI_BAD_VALUE', mentions: '--lang donnée deux fois' },
      { args: ['--bogus', 'ledger', 'verify', '--data', data], code: 'CLI_UNKNOWN_OPTION', mentions: '--bogus' },
      { args: ['ledger', 'init', '--data', '--origin', 'caisse.example/x'], code: 'CLI_BAD_VALUE', mentions: '--data attend une valeur' },
      { args: ['ledger', 'verify', '--data', data, '--url', 'http://127.0.0.1:8444'], code: 'CLI_BAD_ARGUMENTS', mentions: 'not both' },
      { args: ['ledger', 'verify', '--url', 'pas-une-adresse'], code: 'CLI_BAD_URL', mentions: 'pas-une-adresse' },
      { args: ['ledger', 'verify', '--url', 'http://127.0.0.1:99999'], code: 'CLI_BAD_URL', mentions: '99999' },
      { args: ['ledger', 'verify', '--url', 'http://127.0.0.1:9', '--vkey', 'pas-une-clé'], code: 'CLI_BAD_VALUE', mentions: '--vkey pas-une-clé: expected <name>+<key id>+<key>' },
      { args: ['demo', '--data', data, '--url', 'ftp://x'], code: 'CLI_BAD_URL', mentions: 'http: only' },
    ];
    const runs = await Promise.all(cases.map((c) => runCaisse(c.args)));
    runs.forEach((run, i) => {
      const c = cases[i];
      if (c !== undefined) expectUsageError(run, c.code, c.mentions);
    });
  });

  it('in English when asked; a directory without a ledger is an operating error (exit 1), not a crash', async () => {
    const [english, empty] = await Promise.all([
      runCaisse(['frobnicate', '--lang', 'en']),
      runCaisse(['ledger', 'serve', '--data', join(work, 'empty'), '--port', '0']),
    ]);
    expect(english.code, english.stderr).toBe(2);
    expect(english.stderr).toMatch(/^Error CLI_UNKNOWN_COMMAND: Unknown command/);
    expect(english.stderr).not.toMatch(stackTraceLine);
    expect(empty.code, empty.stderr).toBe(1);
    expect(empty.stderr).toMatch(/^Erreur LEDGER_[A-Z_]+ : /);
    expect(empty.stderr).toContain('caisse ledger init');
    expect(empty.stderr).not.toMatch(stackTraceLine);
  });
});

describe('ledger init', () => {
  it('creates 0600 key files, never prints a secret, and refuses to run twice on the same directory', async () => {
    const dir = join(work, 'ledger');
    const [first, english] = await Promise.all([
      runCaisse(['ledger', 'init', '--data', dir]),
      runCaisse(['ledger', 'init', '--data', join(work, 'ledger-en'), '--lang', 'en']),
    ]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Registre créé');
    // The database was built aside and moved in whole once its genesis was committed: nothing else is left.
    expect(readdirSync(dir).sort()).toEqual(['basket-reader.token', 'keys', 'ledger.json', 'ledger.sqlite', 'ledger.vkey']);
    // The log's verifier key is public: printed, and in a file anyone may read, for auditors to pin.
    const verifierKey = readFileSync(join(dir, 'ledger.vkey'), 'utf8').trim();
    expect(verifierKey).toMatch(/^cca44\.caisse\.local\/ledger\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    expect(first.stdout).toContain(`\n  ${verifierKey}\n`);
    expect(english.stdout).toContain(`The log's verifier key`);
    const keysDir = join(dir, 'keys');
    const keyFiles = readdirSync(keysDir).filter((f) => f.endsWith('.key'));
    expect(keyFiles.sort()).toEqual(['committee.key', 'ledger.key', 'moneko.key', 'operator.key']);
    const secrets: string[] = [];
    for (const file of keyFiles) {
      const path = join(keysDir, file);
      expect((statSync(path).mode & 0o777).toString(8), path).toBe('600');
      const key = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      for (const [name, value] of Object.entries(key)) {
        if (name !== 'keyId' && name !== 'publicKey' && typeof value === 'string') secrets.push(value);
      }
    }
    expect(secrets).toHaveLength(keyFiles.length);
    // The folders that hold secrets are the owner's only.
    expect((statSync(keysDir).mode & 0o777).toString(8)).toBe('700');
    expect((statSync(join(dir, 'basket-reader.token')).mode & 0o777).toString(8)).toBe('600');
    const token = readFileSync(join(dir, 'basket-reader.token'), 'utf8').trim();
    const before = Object.fromEntries(keyFiles.map((f) => [f, readFileSync(join(keysDir, f), 'utf8')]));

    const second = await runCaisse(['ledger', 'init', '--data', dir]);
    expect(second.code).not.toBe(0);
    expect(second.code).not.toBe(2);
    expect(second.stderr).toMatch(/^Erreur [A-Z_]+ : /);
    expect(second.stderr).toContain(dir);
    expect(second.stderr).not.toMatch(stackTraceLine);
    // The keys of the existing ledger are untouched.
    expect(Object.fromEntries(keyFiles.map((f) => [f, readFileSync(join(keysDir, f), 'utf8')]))).toEqual(before);

    expect(english.code, english.stderr).toBe(0);
    expect(english.stdout).toContain('Ledger created');
    const englishKeys = join(work, 'ledger-en', 'keys');
    for (const file of readdirSync(englishKeys).filter((f) => f.endsWith('.key'))) {
      const key = JSON.parse(readFileSync(join(englishKeys, file), 'utf8')) as Record<string, unknown>;
      for (const [name, value] of Object.entries(key)) if (name !== 'keyId' && name !== 'publicKey' && typeof value === 'string') secrets.push(value);
    }
    for (const run of [first, second, english]) {
      for (const secret of [...secrets, token]) {
        expect(run.stdout).not.toContain(secret);
        expect(run.stderr).not.toContain(secret);
        // Nor the seed in another encoding.
        expect(run.stdout).not.toContain(Buffer.from(secret, 'base64').toString('hex'));
      }
    }
  });

  it('fixes the clock window at init, signs it into the genesis, and refuses a ledger.json edited since', async () => {
    const dir = join(work, 'ledger-window');
    const init = await runCaisse(['ledger', 'init', '--data', dir, '--clock-window-ms', '120000']);
    expect(init.code, init.stderr).toBe(0);
    const configPath = join(dir, 'ledger.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8')) as { clockWindowMs: number };
    expect(config.clockWindowMs).toBe(120_000);
    const genesis = openLedger(dir);
    try {
      expect(Buffer.from(genesis.store.logAt(0)?.leaf ?? []).toString()).toContain('"clockWindowMs":120000');
    } finally {
      genesis.close();
    }
    expect((await runCaisse(['ledger', 'verify', '--data', dir])).code).toBe(0);
    writeFileSync(configPath, JSON.stringify({ ...config, clockWindowMs: 300_000 }));
    const audited = await runCaisse(['ledger', 'verify', '--data', dir]);
    const serve = await runCaisse(['ledger', 'serve', '--data', dir, '--port', '0']);
    expect(serve.code).not.toBe(0);
    expect(serve.stderr).toMatch(/^Erreur LEDGER_CONFIG_MISMATCH : /);
    expect(serve.stderr).toContain('120000');
    // The audit replays the window of the genesis, whatever ledger.json says.
    expect(audited.code, audited.stderr).toBe(0);
    const bad = await runCaisse(['ledger', 'init', '--data', join(work, 'ledger-bad-window'), '--clock-window-ms', '10']);
    expect(bad.code).toBe(2);
  });

  it('refuses, before any work, an output file in a directory that does not exist or that is a directory', async () => {
    const dir = join(work, 'ledger-output');
    expect((await runCaisse(['ledger', 'init', '--data', dir])).code).toBe(0);
    const missing = join(work, 'pas-de-dossier', 'point.txt');
    expectUsageError(await runCaisse(['ledger', 'verify', '--data', dir, '--save-checkpoint', missing]), 'CLI_BAD_VALUE', `--save-checkpoint ${missing}: no directory`);
    expectUsageError(await runCaisse(['ledger', 'verify', '--data', dir, '--save-checkpoint', work]), 'CLI_BAD_VALUE', 'a directory, not a file');
    expectUsageError(await runCaisse(['demo', '--data', join(work, 'demo-output'), '--payments', '2', '--receipts', missing]), 'CLI_BAD_VALUE', `--receipts ${missing}: no directory`);
    expect(existsSync(join(work, 'demo-output'))).toBe(false);
    // The data directory the demo creates may hold the receipts; a directory inside it may not.
    const fresh = join(work, 'demo-fresh');
    expectUsageError(await runCaisse(['demo', '--data', fresh, '--payments', '1', '--receipts', join(fresh, 'sub', 'r.jsonl')]), 'CLI_BAD_VALUE', 'no directory');
    expect(existsSync(fresh)).toBe(false);
    const inFresh = await runCaisse(['demo', '--data', fresh, '--payments', '1', '--receipts', join(fresh, 'r.jsonl')]);
    expect(inFresh.code, inFresh.stderr).toBe(0);
    expect(readFileSync(join(fresh, 'r.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
    const saved = join(work, 'point.txt');
    const ok = await runCaisse(['ledger', 'verify', '--data', dir, '--save-checkpoint', saved]);
    expect(ok.code, ok.stderr).toBe(0);
    const opened = openLedger(dir);
    try {
      // The latest checkpoint's note, as the ledger signed it: the origin line, the tree size, the root...
      expect(readFileSync(saved, 'utf8')).toBe(opened.store.latestCheckpoint()?.note);
      expect(readFileSync(saved, 'utf8').split('\n')[1]).toBe(String(opened.ledger.treeSize()));
    } finally {
      opened.close();
    }
  });

  it('names a damaged ledger.json or database, for serve and verify alike: exit 1, one line, no stack trace', async () => {
    const damaged = async (name: string, damage: (dir: string) => void): Promise<string> => {
      const dir = join(work, name);
      expect((await runCaisse(['ledger', 'init', '--data', dir])).code).toBe(0);
      damage(dir);
      for (const args of [['ledger', 'serve', '--data', dir, '--port', '0'], ['ledger', 'verify', '--data', dir]]) {
        const run = await runCaisse(args);
        expect(run.code, run.stderr).toBe(1);
        expect(run.stderr).not.toMatch(stackTraceLine);
        expect(run.stderr).toContain(name);
      }
      return (await runCaisse(['ledger', 'serve', '--data', dir, '--port', '0'])).stderr;
    };
    const config = await damaged('ledger-config-garbage', (dir) => writeFileSync(join(dir, 'ledger.json'), '{"origin": "caisse.example/t'));
    expect(config).toMatch(/^Erreur LEDGER_CONFIG_INVALID : .*ledger\.json: /);
    expect(config.trim().split('\n')).toHaveLength(1);
    const wrongType = await damaged('ledger-config-type', (dir) => writeFileSync(join(dir, 'ledger.json'), '{"origin": 42, "clockWindowMs": 300000}'));
    expect(wrongType).toMatch(/^Erreur LEDGER_CONFIG_INVALID : .*ledger\.json: origin /);
    const twice = await damaged('ledger-config-twice', (dir) => writeFileSync(join(dir, 'ledger.json'), '{"origin": "caisse.example/a", "clockWindowMs": 300000, "origin": "caisse.example/b"}'));
    expect(twice).toMatch(/^Erreur LEDGER_CONFIG_INVALID : .*ledger\.json: a name given twice in one object: origin/);
    const database = await damaged('ledger-database-garbage', (dir) => {
      for (const suffix of ['-wal', '-shm']) rmSync(join(dir, `ledger.sqlite${suffix}`), { force: true });
      writeFileSync(join(dir, 'ledger.sqlite'), Buffer.alloc(8192, 0x5a));
    });
    expect(database).toMatch(/^Erreur LEDGER_DATABASE_UNREADABLE : .*ledger\.sqlite: file is not a database/);
    expect(database.trim().split('\n')).toHaveLength(1);
  });

  it('never makes a new database in place of a lost or emptied one, and names a damaged page', async () => {
    const source = join(work, 'ledger-lost-source');
    expect((await runCaisse(['demo', '--data', source, '--payments', '5'])).code).toBe(0);
    const copy = (name: string, damage: (database: string) => void): string => {
      const dir = join(work, name);
      cpSync(source, dir, { recursive: true });
      damage(join(dir, 'ledger.sqlite'));
      return dir;
    };
    const lost = copy('ledger-lost', (database) => rmSync(database));
    const emptied = copy('ledger-emptied', (database) => writeFileSync(database, ''));
    for (const [dir, why] of [[lost, 'the file is missing'], [emptied, 'no ledger in it']] as const) {
      const before = readdirSync(dir).sort();
      for (const args of [
        ['ledger', 'serve', '--data', dir, '--port', '0'],
        ['settle', '--data', dir, '--merchant', 'shop:epi-chantenay', '--period', '2026-11', '--out', join(work, 'reports')],
        ['ledger', 'erase-basket', '--data', dir, 'pay-x'],
        ['demo', '--data', dir, '--payments', '1'],
        ['ledger', 'verify', '--data', dir],
      ]) {
        const run = await runCaisse(args);
        expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(1);
        expect(run.stderr).toContain(why);
        expect(run.stderr).not.toMatch(stackTraceLine);
      }
      expect(readdirSync(dir).sort()).toEqual(before);
    }
    expect(statSync(join(emptied, 'ledger.sqlite')).size).toBe(0);
    // A page overwritten in the middle of the file: SQLite's own check names it, with the ledger's code.
    const damaged = copy('ledger-damaged-page', (database) => {
      const bytes = readFileSync(database);
      const at = Math.floor(bytes.length / 2 / 4096) * 4096;
      bytes.fill(0x5a, at + 100, at + 2100);
      writeFileSync(database, bytes);
    });
    const audit = await runCaisse(['ledger', 'verify', '--data', damaged]);
    expect(audit.code, audit.stderr).toBe(1);
    expect(audit.stderr).toMatch(/^Erreur LEDGER_DATABASE_UNREADABLE : .*SQLITE_CORRUPT/);
    expect(audit.stderr).not.toMatch(stackTraceLine);
    expect((await runCaisse(['ledger', 'verify', '--data', source])).code).toBe(0);
  });

  it('start checks both of its ports before it builds a demo ledger', async () => {
    const busy = createServer();
    await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
    const port = (busy.address() as AddressInfo).port;
    try {
      const dir = join(work, 'start-busy');
      expectUsageError(await runCaisse(['start', '--data', dir, '--port', '9555', '--printer-port', '9555', '--once']), 'CLI_BAD_VALUE', 'two different ports');
      expectUsageError(await runCaisse(['start', '--data', dir, '--port', String(port), '--printer-port', '0', '--once']), 'CLI_PORT_IN_USE', `--port 127.0.0.1:${port}`);
      expectUsageError(await runCaisse(['start', '--data', dir, '--port', '0', '--printer-port', String(port), '--once']), 'CLI_PORT_IN_USE', `--printer-port 127.0.0.1:${port}`);
      expect(existsSync(dir)).toBe(false);
    } finally {
      busy.close();
    }
  });

  it('checks every option before writing: a refused init, demo or settle leaves nothing behind', async () => {
    const origin = join(work, 'init-bad-origin');
    // The genesis's own format: a host-like name, lowercase, and /segments.
    for (const bad of ['a b', 'a+b', 'a\nb', 'x'.repeat(121), 'café.example/ledger', 'Example.org/Ledger', '/ledger']) {
      expectUsageError(await runCaisse(['ledger', 'init', '--data', origin, '--origin', bad]), 'CLI_BAD_VALUE', '--origin');
      expect(existsSync(origin)).toBe(false);
    }
    const good = await runCaisse(['ledger', 'init', '--data', origin, '--origin', 'caisse.example/nantes-2026']);
    expect(good.code, good.stderr).toBe(0);
    expect((await runCaisse(['ledger', 'verify', '--data', origin])).code).toBe(0);
    // Fixtures that are there but wrong: named, file and field, before any ledger is made.
    const badFixtures = join(work, 'bad-fixtures');
    cpSync(fixturesDir(), badFixtures, { recursive: true });
    writeFileSync(join(badFixtures, 'households.json'), '[{"accountId": "hh:1"');
    const truncated = await runCaisse(['demo', '--data', join(work, 'demo-bad-fixtures'), '--fixtures', badFixtures, '--payments', '1']);
    expectUsageError(truncated, 'CLI_BAD_VALUE', `${join(badFixtures, 'households.json')}: not JSON`);
    writeFileSync(join(badFixtures, 'households.json'), '[{"accountId": 7}]');
    expectUsageError(await runCaisse(['demo', '--data', join(work, 'demo-bad-fixtures'), '--fixtures', badFixtures, '--payments', '1']), 'CLI_BAD_VALUE', 'households.json: 0.accountId');
    expect(existsSync(join(work, 'demo-bad-fixtures'))).toBe(false);
    // A path under /proc, where node's recursive mkdir never returns: refused at once.
    expectUsageError(await runCaisse(['report', 'closure', '--data', join(work, 'x'), '--shop', 'shop:x', '--date', '2026-11-23', '--out', '/proc/caisse-nope/reports']), 'CLI_BAD_VALUE', '/proc/caisse-nope cannot be created');
    const initProc = await runCaisse(['ledger', 'init', '--data', '/proc/caisse-nope']);
    expect(initProc.code, initProc.stderr).toBe(1);
    expect(initProc.stderr).toMatch(/^Erreur SYSTEM_FILE_ERROR : .*mkdir \/proc\/caisse-nope/);
    const fixtures = await runCaisse(['demo', '--data', join(work, 'demo-no-fixtures'), '--fixtures', join(work, 'pas-de-fixtures'), '--payments', '1']);
    expect(fixtures.code, fixtures.stderr).toBe(1);
    expect(fixtures.stderr).toMatch(/^Erreur SYSTEM_FILE_ERROR : .*pas-de-fixtures.*ENOENT/);
    expect(existsSync(join(work, 'demo-no-fixtures'))).toBe(false);
    const dir = join(work, 'settle-options');
    expect((await runCaisse(['demo', '--data', dir, '--payments', '5'])).code).toBe(0);
    const size = (): number => {
      const opened = openLedger(dir);
      try {
        return opened.ledger.treeSize();
      } finally {
        opened.close();
      }
    };
    const before = size();
    const settle = ['settle', '--data', dir, '--merchant', 'shop:epi-chantenay', '--period', '2026-11'];
    const aFile = join(dir, 'ledger.json');
    for (const [extra, code] of [
      [['--columns', '40'], 'PRINTER_BAD_PROFILE'],
      [['--to', 'bogus'], 'PRINTER_BAD_TARGET'],
      [['--to', 'tcp://127.0.0.1:99999'], 'PRINTER_BAD_TARGET'],
      [['--out', aFile], 'CLI_BAD_VALUE'],
    ] as const) {
      const run = await runCaisse([...settle, ...extra]);
      expect(run.code, run.stderr).not.toBe(0);
      expect(run.stderr).toMatch(new RegExp(`^Erreur ${code} : `));
      expect(size()).toBe(before);
    }
  });
});
