import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyIdOf, signingKeyFromSeed } from '../../domain/ed25519.js';
import { basketContentJson, basketHash, basketHashDomain, type BasketLine } from '../../domain/entry/basket.js';
import { accountOpenBody, allowanceIssueBody, keyRegisterBody, keyRegistration, paymentBody } from '../../domain/entry/build.js';
import { entryFormatVersion, type EntryBody, type SignedEntry } from '../../domain/entry/schema.js';
import { entrySignatureDomain, entrySigningMessage, signEntry } from '../../domain/entry/sign.js';
import { canonicalBytes, canonicalJson } from '../../domain/jcs.js';
import { limits } from '../../domain/limits.js';
import { Ledger, type Submission } from '../../ledger/core/ledger.js';
import { parseCheckpoint } from '../../ledger/formats/checkpoint.js';
import { decodeLeaf } from '../../ledger/formats/leaf.js';
import { openNote, vkey } from '../../ledger/formats/note.js';
import { receiptQrText, shortHash, type Receipt } from '../../ledger/formats/receipt.js';
import { inclusionProofNodes } from '../../ledger/merkle/inclusion.js';
import { leafHash, nodeHash } from '../../ledger/merkle/rfc6962.js';
import { SqliteStore } from '../../ledger/store/sqlite-store.js';

/**
 * The worked example of docs/formats/entry.md, leaf.md and receipt.md, computed by the code: a real
 * ledger on a temporary SQLite file receives seven signed entries, the last a payment, and every value
 * the pages print (bytes, hashes, signatures, the receipt) comes from here. formats-doc.test.ts checks
 * that the pages still show these values; print-examples.ts prints them for whoever updates the pages.
 *
 * Keys come from fixed seeds and are for documentation only: the ledger key is the log key of
 * docs/formats/checkpoint.md (seed 00 01 … 1f), so the two pages share one verifier key.
 */
export const exampleOrigin = 'caisse.example/cca44';
export const exampleLedgerTimeMs = Date.UTC(2026, 10, 23, 10, 0, 0);

/** Seed `first, first + 1, …, first + 31`. */
export function seedFrom(first: number): Uint8Array {
  return Uint8Array.from({ length: 32 }, (_, i) => first + i);
}

export const exampleKeys = {
  ledger: signingKeyFromSeed(seedFrom(0x00)),
  committee: signingKeyFromSeed(seedFrom(0x20)),
  operator: signingKeyFromSeed(seedFrom(0x40)),
  moneko: signingKeyFromSeed(seedFrom(0x60)),
  till: signingKeyFromSeed(seedFrom(0x80)),
} as const;

export const exampleAccounts = {
  fund: 'fund:cca44',
  merchant: 'shop:epi-chantenay',
  household: 'hh:7k2m9q4x',
} as const;

export const exampleTillId = 'epi-chantenay-1';
/** The basket's 16-byte salt: a0 a1 … af (a till draws it at random). */
export const exampleSaltBase64 = Buffer.from(Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i)).toString('base64');

/** Lines as the till's rules evaluation gives them (domain/rules/basket-lines.ts), products of fixtures/catalog/epi-chantenay.csv. */
export const exampleLines: BasketLine[] = [
  { code: '3761234000019', productCode: '3761234000019', quantity: 2, unitPriceCents: 289, priceCents: 578, eligible: true, shareBasisPoints: 10_000, caisseCents: 578, memberCents: 0 },
  { code: '3761234000088', productCode: '3761234000088', quantity: 1, unitPriceCents: 557, priceCents: 557, eligible: true, shareBasisPoints: 10_000, caisseCents: 557, memberCents: 0 },
  { code: '3761357000774', productCode: '3761357000774', quantity: 1, unitPriceCents: 590, priceCents: 590, eligible: false, shareBasisPoints: 0, caisseCents: 0, memberCents: 590 },
];
/** The member's solidarity tier the till applied (kept beside the log with the lines). */
export const exampleTier = 1;

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

/** The entries before the payment: genesis, the fund, the shop, its till key, the household, November's allowance. */
function setupEntries(): SignedEntry[] {
  const k = exampleKeys;
  const t = exampleLedgerTimeMs - 60_000;
  const c = (id: string) => ({ id, createdAtMs: t });
  const genesis: EntryBody = {
    v: entryFormatVersion,
    id: 'genesis-0000',
    type: 'ledger.genesis',
    createdAtMs: t,
    origin: exampleOrigin,
    keys: [
      keyRegistration(k.ledger.publicKey, 'ledger'),
      keyRegistration(k.committee.publicKey, 'committee'),
      keyRegistration(k.operator.publicKey, 'operator'),
      keyRegistration(k.moneko.publicKey, 'moneko'),
    ],
  };
  return [
    signEntry(genesis, [k.ledger]),
    signEntry(accountOpenBody(c('open-fund-cca44'), { id: exampleAccounts.fund, kind: 'fund', label: 'Caisse commune de l’alimentation' }), [k.operator]),
    signEntry(accountOpenBody(c('open-shop-epi-chantenay'), { id: exampleAccounts.merchant, kind: 'merchant', territory: 'nantes-ouest', label: 'Épicerie de Chantenay' }), [k.operator]),
    signEntry(keyRegisterBody(c('key-till-epi-chantenay-1'), keyRegistration(k.till.publicKey, 'till', { merchant: exampleAccounts.merchant, tillId: exampleTillId })), [k.operator]),
    signEntry(accountOpenBody(c('open-hh-7k2m9q4x'), { id: exampleAccounts.household, kind: 'household', territory: 'nantes-ouest' }), [k.operator]),
    signEntry(allowanceIssueBody(c('alloc-2026-11-0001'), exampleAccounts.fund, '2026-11', [{ household: exampleAccounts.household, amountCents: 15_000 }]), [k.operator]),
  ];
}

/** The payment the pages follow: pasta and rice paid by the caisse, a bottle of wine paid otherwise. */
export function examplePayment() {
  const { body, basket } = paymentBody(
    { id: 'pay-epi-chantenay-1-000042', createdAtMs: exampleLedgerTimeMs - 2_000 },
    { payer: exampleAccounts.household, merchant: exampleAccounts.merchant, tillId: exampleTillId, ticket: 42, rulesVersion: 'nantes-ouest@1', tier: exampleTier, lines: exampleLines },
    exampleSaltBase64,
  );
  const entry = signEntry(body, [exampleKeys.till]);
  return { body, basket, entry };
}

export interface WorkedExample {
  readonly origin: string;
  readonly entry: {
    readonly bodyPretty: string;
    readonly bodyJcs: string;
    readonly bodyJcsBytes: number;
    readonly domain: string;
    readonly domainHex: string;
    readonly messageBytes: number;
    readonly messageSha256: string;
    readonly tillSeedHex: string;
    readonly tillPublicKeyHex: string;
    readonly tillPublicKeyBase64: string;
    readonly tillKeyId: string;
    readonly signature: string;
    readonly envelopePretty: string;
    readonly submissionPretty: string;
  };
  readonly basket: {
    readonly domain: string;
    readonly salt: string;
    readonly saltHex: string;
    /** JCS of {lines, tier}: what the basket hash covers after the domain string and the salt. */
    readonly contentJcs: string;
    readonly hash: string;
  };
  readonly leaf: {
    readonly index: number;
    readonly ledgerTimeMs: number;
    readonly bytes: string;
    readonly length: number;
    readonly hashHex: string;
    readonly hashBase64: string;
  };
  readonly receipt: {
    readonly json: Receipt;
    readonly pretty: string;
    readonly checkpoint: string;
    readonly checkpointBody: string;
    readonly rootHex: string;
    readonly ledgerPublicKeyBase64: string;
    readonly vkey: string;
    readonly keyJson: string;
    readonly proofRanges: readonly string[];
    readonly proofHex: readonly string[];
    /** nodeHash(proof[0], leafHash): the first step of the verification, the node over leaves [4, 7). */
    readonly firstStepHex: string;
    readonly qrText: string;
    readonly shortHash: string;
  };
}

export interface ExampleLedger {
  readonly ledger: Ledger;
  readonly store: SqliteStore;
  /** The receipt of the payment, as the ledger gave it. */
  readonly receipt: Receipt;
  readonly payment: ReturnType<typeof examplePayment>;
  close(): void;
}

/** The example ledger on a temporary SQLite file, left open (docs/API.md's examples are served from it). */
export function openExampleLedger(): ExampleLedger {
  const dir = mkdtempSync(join(tmpdir(), 'caisse-docs-'));
  const store = SqliteStore.open(join(dir, 'ledger.sqlite'), { create: true });
  const close = () => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ledger = new Ledger(store, exampleKeys.ledger, { origin: exampleOrigin, clockWindowMs: limits.clockWindowMsDefault, nowMs: () => exampleLedgerTimeMs });
    for (const outcome of ledger.appendGroup(setupEntries().map((entry): Submission => ({ entry })))) {
      if (!outcome.ok) throw outcome.error;
    }
    const payment = examplePayment();
    const [outcome] = ledger.appendGroup([{ entry: payment.entry, basket: payment.basket }]);
    if (outcome === undefined || !outcome.ok) throw outcome?.error ?? new Error('no outcome');
    return { ledger, store, receipt: outcome.receipt, payment, close };
  } catch (e) {
    close();
    throw e;
  }
}

/** Builds the example ledger and returns every value the pages print. */
export function workedExample(): WorkedExample {
  const { store, receipt, payment, close } = openExampleLedger();
  try {
    const row = store.logAt(receipt.index);
    if (row === undefined) throw new Error('payment leaf missing');
    const sealed = decodeLeaf(row.leaf);
    const message = entrySigningMessage(payment.body);
    const opened = openNote(receipt.checkpoint, [{ name: exampleOrigin, publicKey: exampleKeys.ledger.publicKey }]);
    const checkpoint = parseCheckpoint(opened.text);
    const hash = leafHash(row.leaf);
    const signature = payment.entry.signatures[0]?.signature ?? '';
    return {
      origin: exampleOrigin,
      entry: {
        bodyPretty: JSON.stringify(payment.body, null, 2),
        bodyJcs: canonicalJson(payment.body),
        bodyJcsBytes: canonicalBytes(payment.body).length,
        domain: entrySignatureDomain,
        domainHex: hex(new TextEncoder().encode(entrySignatureDomain)),
        messageBytes: message.length,
        messageSha256: createHash('sha256').update(message).digest('hex'),
        tillSeedHex: hex(exampleKeys.till.seed),
        tillPublicKeyHex: hex(exampleKeys.till.publicKey),
        tillPublicKeyBase64: b64(exampleKeys.till.publicKey),
        tillKeyId: keyIdOf(exampleKeys.till.publicKey),
        signature,
        envelopePretty: JSON.stringify(payment.entry, null, 2),
        submissionPretty: JSON.stringify({ entry: payment.entry, basket: payment.basket }, null, 2),
      },
      basket: {
        domain: basketHashDomain,
        salt: exampleSaltBase64,
        saltHex: hex(Buffer.from(exampleSaltBase64, 'base64')),
        contentJcs: basketContentJson({ tier: exampleTier, lines: exampleLines }),
        hash: basketHash(exampleSaltBase64, { tier: exampleTier, lines: exampleLines }),
      },
      leaf: {
        index: sealed.index,
        ledgerTimeMs: sealed.ledgerTimeMs,
        bytes: Buffer.from(row.leaf).toString('utf8'),
        length: row.leaf.length,
        hashHex: hex(hash),
        hashBase64: b64(hash),
      },
      receipt: {
        json: receipt,
        pretty: JSON.stringify(receipt, null, 2),
        checkpoint: receipt.checkpoint,
        checkpointBody: opened.text,
        rootHex: hex(checkpoint.rootHash),
        ledgerPublicKeyBase64: b64(exampleKeys.ledger.publicKey),
        vkey: vkey(exampleOrigin, exampleKeys.ledger.publicKey),
        keyJson: JSON.stringify({ name: exampleOrigin, publicKey: b64(exampleKeys.ledger.publicKey), vkey: vkey(exampleOrigin, exampleKeys.ledger.publicKey) }),
        proofRanges: inclusionProofNodes(receipt.index, receipt.treeSize).map((r) => `[${r.begin},${r.end})`),
        proofHex: receipt.inclusionProof.map((h) => hex(Buffer.from(h, 'base64'))),
        firstStepHex: hex(nodeHash(Buffer.from(receipt.inclusionProof[0] ?? '', 'base64'), hash)),
        qrText: receiptQrText(exampleOrigin, receipt.index, receipt.leafHash),
        shortHash: shortHash(receipt.leafHash),
      },
    };
  } finally {
    close();
  }
}
