import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { generateSigningKey, keyIdOf, type SigningKey } from '../domain/ed25519.js';
import { readKeyFile, writeKeyFile } from '../domain/key-file.js';
import { moveIntoPlace, writeFileAtomic } from '../domain/atomic-file.js';
import { parseJsonWithoutRepeats } from '../domain/json-duplicate-keys.js';
import { limits } from '../domain/limits.js';
import { signEntry } from '../domain/entry/sign.js';
import type { EntryBody, KeyRegistration, KeyRole } from '../domain/entry/schema.js';
import { entryFormatVersion, originSchema } from '../domain/entry/schema.js';
import { Ledger } from './core/ledger.js';
import { CatalogFiles } from './store/catalog-files.js';
import { ledgerError } from './errors.js';
import { SqliteStore } from './store/sqlite-store.js';
import { parseVkey, vkey, type NoteVerifier } from './formats/note.js';
import { makeDirectories } from '../domain/make-directories.js';

/**
 * A ledger's data directory:
 *   ledger.sqlite          the log and its state (WAL beside it)
 *   ledger.json            configuration (origin, clock window)
 *   keys/<role>.key        the ledger's, committee's, operator's and Moneko's secret keys (0600)
 *   keys/tills/<till>.key  till keys made by the demo
 *   basket-reader.token    bearer token for reading basket lines over HTTP (0600)
 *   catalogs/<shop>.json   shops' catalogues, for checking payments' baskets (`caisse catalog import`)
 */
export const homeFiles = {
  database: 'ledger.sqlite',
  config: 'ledger.json',
  /** The log's note verifier key (public): what `ledger verify --data` checks checkpoints with. */
  verifierKey: 'ledger.vkey',
  keys: 'keys',
  basketToken: 'basket-reader.token',
  catalogs: 'catalogs',
} as const;

export const defaultOrigin = 'cca44.caisse.local/ledger';

export const standardAccounts = {
  fund: 'fund:cca44',
  reserve: 'reserve:moneko',
  treasury: 'treasury:cca44',
  fees: 'fees:cca44',
} as const;

const configSchema = z.strictObject({
  // The origin names the log in its checkpoints and is the key name of their signature line.
  origin: originSchema,
  clockWindowMs: z.int().min(1000).max(limits.offlineAgeMsMax),
});
export type LedgerHomeConfig = z.infer<typeof configSchema>;

export const roleKeys = ['ledger', 'committee', 'operator', 'moneko'] as const satisfies readonly KeyRole[];
export type RoleKey = (typeof roleKeys)[number];

export function keyPath(dir: string, role: RoleKey): string {
  return join(dir, homeFiles.keys, `${role}.key`);
}

export function tillKeyPath(dir: string, tillId: string): string {
  return join(dir, homeFiles.keys, 'tills', `${tillId}.key`);
}

export function readConfig(dir: string): LedgerHomeConfig {
  const path = join(dir, homeFiles.config);
  if (!existsSync(path)) throw ledgerError('LEDGER_NO_LEDGER', dir);
  let value: unknown;
  try {
    value = parseJsonWithoutRepeats(readFileSync(path, 'utf8'));
  } catch (e) {
    throw ledgerError('LEDGER_CONFIG_INVALID', `${path}: ${(e as Error).message}`);
  }
  const parsed = configSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw ledgerError('LEDGER_CONFIG_INVALID', `${path}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/**
 * The key a local audit checks the checkpoints with, without the ledger's secret: ledger.vkey, written
 * by `ledger init`, or for a ledger made before it the public half of keys/ledger.key (readable by its
 * owner only). Throws an Error saying which, and that --vkey pins it otherwise.
 */
export function readVerifierKey(dir: string): NoteVerifier {
  const vkeyPath = join(dir, homeFiles.verifierKey);
  if (existsSync(vkeyPath)) {
    try {
      return parseVkey(readFileSync(vkeyPath, 'utf8').trim());
    } catch (e) {
      throw new Error(`${vkeyPath}: ${(e as Error).message}`);
    }
  }
  try {
    return { name: readConfig(dir).origin, publicKey: readKeyFile(keyPath(dir, 'ledger')).publicKey };
  } catch (e) {
    throw new Error(`neither ${vkeyPath} nor the ledger key can be read (${(e as Error).message}): give the log's key with --vkey (GET /v1/log/key answers it)`);
  }
}

export interface InitResult {
  readonly origin: string;
  /** The log's verifier key, for auditors to pin (`ledger verify --vkey`); also in ledger.vkey. */
  readonly vkey: string;
  readonly keys: { readonly role: RoleKey; readonly keyId: string; readonly publicKey: string }[];
}

/**
 * Creates a ledger: keys, database, the genesis entry (registering the committee's, operator's and
 * Moneko's keys, signed by the ledger key) and the caisse's standard accounts.
 */
export function initLedger(dir: string, options: { origin?: string; clockWindowMs?: number; nowMs?: number } = {}): InitResult {
  if (existsSync(join(dir, homeFiles.database)) || existsSync(join(dir, homeFiles.config))) {
    throw ledgerError('LEDGER_ALREADY_INITIALISED', dir);
  }
  // Every option is checked before the first file is made: a refused init leaves nothing behind.
  const config: LedgerHomeConfig = { origin: options.origin ?? defaultOrigin, clockWindowMs: options.clockWindowMs ?? limits.clockWindowMsDefault };
  const parsed = configSchema.safeParse(config);
  if (!parsed.success) throw ledgerError('LEDGER_INVALID_ENTRY', `configuration: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`);
  makeDirectories(join(dir, homeFiles.keys, 'tills'), 0o700);
  const keys = Object.fromEntries(roleKeys.map((role) => [role, generateSigningKey()])) as Record<RoleKey, SigningKey>;
  for (const role of roleKeys) writeKeyFile(keyPath(dir, role), keys[role]);
  writeFileAtomic(join(dir, homeFiles.basketToken), `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  writeFileAtomic(join(dir, homeFiles.config), `${JSON.stringify(config, null, 2)}\n`);
  const verifierKey = vkey(config.origin, keys.ledger.publicKey);
  writeFileAtomic(join(dir, homeFiles.verifierKey), `${verifierKey}\n`);

  // The database is built under a name of its own and put in place only once its genesis is
  // committed: a killed init never leaves a database with an empty log that a server would serve.
  const databasePath = join(dir, homeFiles.database);
  const building = `${databasePath}.init-${randomBytes(4).toString('hex')}`;
  const store = SqliteStore.open(building, { create: true });
  try {
    const nowMs = options.nowMs ?? Date.now();
    const ledger = new Ledger(store, keys.ledger, { origin: config.origin, clockWindowMs: config.clockWindowMs, nowMs: () => nowMs });
    const registration = (role: RoleKey): KeyRegistration => ({
      keyId: keyIdOf(keys[role].publicKey),
      publicKey: Buffer.from(keys[role].publicKey).toString('base64'),
      role,
    });
    const genesis: EntryBody = {
      v: entryFormatVersion,
      id: 'genesis-0000',
      type: 'ledger.genesis',
      createdAtMs: nowMs,
      origin: config.origin,
      ...(config.clockWindowMs === limits.clockWindowMsDefault ? {} : { clockWindowMs: config.clockWindowMs }),
      keys: roleKeys.map(registration),
    };
    const opens: EntryBody[] = [
      ['fund', standardAccounts.fund, 'Caisse commune de l’alimentation — fonds'],
      ['reserve', standardAccounts.reserve, 'Moneko — réserve'],
      ['treasury', standardAccounts.treasury, 'Caisse commune de l’alimentation — trésorerie Moneko'],
      ['fees', standardAccounts.fees, 'Frais de fonctionnement'],
    ].map(([kind, id, label]) => ({
      v: entryFormatVersion,
      id: `open-${(id as string).replace(':', '-')}`,
      type: 'account.open' as const,
      createdAtMs: nowMs,
      account: { id: id as string, kind: kind as 'fund', label: label as string },
    }));
    const outcomes = ledger.appendGroup([
      { entry: signEntry(genesis, [keys.ledger]) },
      ...opens.map((body) => ({ entry: signEntry(body, [keys.operator]) })),
    ]);
    for (const o of outcomes) if (!o.ok) throw o.error;
    // Everything into the database file itself before it moves: the WAL does not move with it.
    store.db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (e) {
    store.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${building}${suffix}`, { force: true });
    throw e;
  }
  store.close();
  assert.ok(!existsSync(`${building}-wal`) || statSync(`${building}-wal`).size === 0, 'the new database is whole in its file');
  moveIntoPlace(building, databasePath, true);
  rmSync(`${building}-wal`, { force: true });
  return { origin: config.origin, vkey: verifierKey, keys: roleKeys.map((role) => ({ role, keyId: keyIdOf(keys[role].publicKey), publicKey: Buffer.from(keys[role].publicKey).toString('base64') })) };
}

export interface OpenedLedger {
  readonly ledger: Ledger;
  readonly store: SqliteStore;
  readonly config: LedgerHomeConfig;
  readonly ledgerKey: SigningKey;
  close(): void;
}

export function openLedger(dir: string, options: { nowMs?: () => number } = {}): OpenedLedger {
  const config = readConfig(dir);
  const ledgerKey = readKeyFile(keyPath(dir, 'ledger'));
  const store = SqliteStore.open(join(dir, homeFiles.database));
  const catalogs = new CatalogFiles(join(dir, homeFiles.catalogs));
  const ledger = new Ledger(store, ledgerKey, { origin: config.origin, clockWindowMs: config.clockWindowMs, catalogs, ...(options.nowMs ? { nowMs: options.nowMs } : {}) });
  return { ledger, store, config, ledgerKey, close: () => store.close() };
}

export function readRoleKey(dir: string, role: RoleKey): SigningKey {
  return readKeyFile(keyPath(dir, role));
}

export function readBasketToken(dir: string): string | undefined {
  const path = join(dir, homeFiles.basketToken);
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;
}
