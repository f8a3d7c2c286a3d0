import { join, resolve } from 'node:path';
import { dataOption } from '../options.js';
import type { Command, ParsedArgs } from '../command.js';
import { optString } from '../command.js';
import { keyIdOf } from '../../domain/ed25519.js';
import { readKeyFile } from '../../domain/key-file.js';
import { rulesPublishBody } from '../../domain/entry/build.js';
import { signEntry } from '../../domain/entry/sign.js';
import { loadRulesFile } from '../../domain/rules/rules-file.js';
import { ledgerError } from '../../ledger/errors.js';
import { homeFiles, keyPath, openLedger } from '../../ledger/home.js';
import { SqliteStore } from '../../ledger/store/sqlite-store.js';
import type { Submission } from '../../ledger/core/ledger.js';
import { HttpJsonClient } from '../demo/http-client.js';
import { httpPort, localPort } from '../demo/port.js';

/**
 * Operators' commands on a ledger: publishing the committee's rules, and erasing a basket's lines when
 * a member asks (GDPR). Both work on the ledger's directory; `rules publish` can also go over HTTP.
 */

function firstPositional(args: ParsedArgs): string {
  const value = args.positionals[0];
  if (value === undefined) throw new Error('the parser enforces positional counts');
  return value;
}

/** Submits one entry through the ledger in this process, or over HTTP to the one serving it. */
async function submitOne(dir: string, url: string | undefined, submission: Submission) {
  if (url !== undefined) {
    const client = new HttpJsonClient(url);
    try {
      return await httpPort(client).submitOne(submission);
    } finally {
      client.close();
    }
  }
  const opened = openLedger(dir);
  try {
    return await localPort(opened.ledger).submitOne(submission);
  } finally {
    opened.close();
  }
}

/** The last rules version published for a territory, from the ledger's directory or over HTTP. */
async function publishedRules(dir: string, url: string | undefined, territory: string): Promise<{ version: string; documentHash: string; index: number } | undefined> {
  if (url === undefined) {
    const store = SqliteStore.open(join(dir, homeFiles.database), { readonly: true });
    try {
      return store.latestRules(territory);
    } finally {
      store.close();
    }
  }
  const client = new HttpJsonClient(url);
  try {
    const res = await client.get(`/v1/rules/${encodeURIComponent(territory)}`);
    return res.status === 200 ? (res.body as { version: string; documentHash: string; index: number }) : undefined;
  } finally {
    client.close();
  }
}

export const rulesPublish: Command = {
  words: ['rules', 'publish'],
  summary: {
    fr: 'Publier un document de règles dans le registre (écriture signée par le comité)',
    en: 'Publish a rules document in the ledger (an entry signed by the committee)',
  },
  options: [
    dataOption,
    { name: 'url', kind: 'string', valueName: 'URL', help: { fr: 'registre servi depuis DIR, joint en HTTP', en: 'the ledger served from DIR, over HTTP' } },
    { name: 'key', kind: 'string', valueName: 'KEYFILE', help: { fr: 'clé du comité (défaut : DIR/keys/committee.key)', en: 'committee key (default: DIR/keys/committee.key)' } },
  ],
  positionals: { name: 'FILE', min: 1, max: 1 },
  async run(args, io) {
    const fr = io.lang === 'fr';
    const dir = resolve(io.cwd, optString(args, 'data') ?? '');
    const keyFile = optString(args, 'key');
    const committee = readKeyFile(keyFile === undefined ? keyPath(dir, 'committee') : resolve(io.cwd, keyFile));
    // A signed file must carry the committee's own signature; a bare document is signed by the entry.
    const loaded = await loadRulesFile(resolve(io.cwd, firstPositional(args)), new Map([[keyIdOf(committee.publicKey), committee.publicKey]]));
    const doc = loaded.document;
    const body = rulesPublishBody({ id: `rules-${doc.territory}-${doc.version}`, createdAtMs: Date.now() }, doc);
    const url = optString(args, 'url');
    const published = await publishedRules(dir, url, doc.territory);
    if (published !== undefined && published.version === body.version) {
      if (published.documentHash !== body.documentHash) {
        throw ledgerError('LEDGER_INVALID_ENTRY', `${doc.territory} version ${doc.version} is already published with another document: give it a new version`);
      }
      io.out(fr ? `Règles ${doc.territory} version ${doc.version} déjà publiées : écriture n° ${published.index}
` : `Rules ${doc.territory} version ${doc.version} already published: entry ${published.index}
`);
      return 0;
    }
    const outcome = await submitOne(dir, url, { entry: signEntry(body, [committee]) });
    if (!outcome.ok) throw outcome.error;
    const r = outcome.receipt;
    io.out(
      fr
        ? `Règles ${doc.territory} version ${doc.version} publiées : écriture n° ${r.index}${r.replayed ? ' (déjà publiées)' : ''}\nempreinte ${body.documentHash}\n`
        : `Rules ${doc.territory} version ${doc.version} published: entry ${r.index}${r.replayed ? ' (already published)' : ''}\nhash ${body.documentHash}\n`,
    );
    return 0;
  },
};

export const eraseBasket: Command = {
  words: ['ledger', 'erase-basket'],
  summary: {
    fr: 'Effacer le détail d’un panier (droit à l’effacement) ; le journal reste vérifiable',
    en: 'Erase a basket’s lines (right to erasure); the log stays verifiable',
  },
  options: [dataOption],
  positionals: { name: 'ENTRY_ID', min: 1, max: 1 },
  async run(args, io) {
    const fr = io.lang === 'fr';
    const dir = resolve(io.cwd, optString(args, 'data') ?? '');
    const entryId = firstPositional(args);
    const store = SqliteStore.open(join(dir, homeFiles.database));
    try {
      const basket = store.basket(entryId);
      if (basket === undefined) throw ledgerError('LEDGER_NOT_FOUND', `no basket for ${entryId}`);
      if (basket.erasedAtMs !== undefined) {
        io.out(fr ? `Panier ${entryId} déjà effacé le ${new Date(basket.erasedAtMs).toISOString()}\n` : `Basket ${entryId} already erased on ${new Date(basket.erasedAtMs).toISOString()}\n`);
        return 0;
      }
      store.transaction(() => store.eraseBasket(entryId, Date.now()));
      io.out(fr ? `Panier ${entryId} effacé ; l’écriture et son empreinte restent dans le journal.\n` : `Basket ${entryId} erased; the entry and its hash stay in the log.\n`);
      return 0;
    } finally {
      store.close();
    }
  },
};

export const commands: readonly Command[] = [rulesPublish, eraseBasket];
