import { z } from 'zod';
import { HttpJsonClient, type JsonResponse } from '../../cli/demo/http-client.js';
import { assets, type Asset } from '../../domain/money.js';
import { limits } from '../../domain/limits.js';
import { keyRoleSchema } from '../../domain/entry/schema.js';
import type { KeyState } from '../core/state.js';
import { decodeBase64Strict, parseVkey, type NoteVerifier } from '../formats/note.js';
import { verifyInclusion } from '../merkle/inclusion.js';
import { leafHash } from '../merkle/rfc6962.js';
import { CaisseError } from '../../domain/error-spec.js';
import { auditFailure } from './failure.js';
import { auditLimits } from './limits.js';
import { lookedUpFromLeaf } from './lookup.js';
import type { LookedUpEntry } from './replay-state.js';
import type { AuditSource, ReplayedCounts, SourceRow, StoredAccount, StoredState } from './source.js';

/**
 * A ledger read over its public HTTP API (/v1). Every answer is validated before use; leaves and
 * proofs are then checked by the audit like any other input.
 */
const entryJson = z.object({ index: z.int().min(0), entryId: z.string().max(200), leaf: z.string() });
const entriesPage = z.object({ entries: z.array(entryJson) });
const keyJson = z.object({ name: z.string(), publicKey: z.string(), vkey: z.string() });
const hashesJson = z.object({ hashes: z.array(z.string()).max(64) });
const accountsJson = z.object({
  accounts: z.array(z.object({ id: z.string(), kind: z.string(), territory: z.string().optional(), label: z.string().optional(), closed: z.boolean() })).max(limits.accountsPageMax),
  next: z.string().optional(),
});
const accountJson = z.object({ id: z.string(), balances: z.record(z.string(), z.int()) });
const keysJson = z.object({
  keys: z.array(
    z.object({
      keyId: z.string(),
      publicKey: z.string(),
      role: keyRoleSchema,
      merchant: z.string().optional(),
      tillId: z.string().optional(),
      registeredIndex: z.int().min(0),
      revokedIndex: z.int().min(0).optional(),
    }),
  ).max(limits.keysPageMax),
  next: z.string().optional(),
});
const paymentJson = z.object({ id: z.string(), refundedCents: z.int().min(0) });

export function openHttpSource(baseUrl: string, options: { vkey?: string } = {}): AuditSource {
  let client: HttpJsonClient;
  try {
    client = new HttpJsonClient(baseUrl, { sockets: auditLimits.lookupsInFlight });
  } catch (e) {
    throw auditFailure('AUDIT_SOURCE_UNAVAILABLE', {}, `${baseUrl}: ${(e as Error).message}`);
  }
  const label = baseUrl;

  async function getJson<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    const found = await getJsonIfFound(path, schema, false);
    if (found === undefined) throw auditFailure('AUDIT_SOURCE_UNAVAILABLE', {}, `${path}: HTTP 404`);
    return found;
  }

  /** The answer of a read; undefined on 404 when `missingOk` (a record the server may not have). */
  async function getJsonIfFound<T>(path: string, schema: z.ZodType<T>, missingOk = true): Promise<T | undefined> {
    let response: JsonResponse;
    try {
      response = await client.get(path);
    } catch (e) {
      throw auditFailure('AUDIT_SOURCE_UNAVAILABLE', {}, `${path}: ${(e as Error).message}`);
    }
    if (missingOk && response.status === 404) return undefined;
    if (response.status !== 200) throw auditFailure('AUDIT_SOURCE_UNAVAILABLE', {}, `${path}: HTTP ${response.status}`);
    const parsed = schema.safeParse(response.body);
    if (!parsed.success) throw auditFailure('AUDIT_SOURCE_UNAVAILABLE', {}, `${path}: unexpected answer (${parsed.error.issues[0]?.message ?? ''})`);
    return parsed.data;
  }

  function hashes(list: readonly string[], what: string): Uint8Array[] {
    return list.map((h) => {
      const bytes = decodeBase64Strict(h);
      if (bytes === undefined) throw auditFailure('AUDIT_SOURCE_UNAVAILABLE', {}, `${what}: a hash is not base64`);
      return bytes;
    });
  }

  async function page(start: number, end: number): Promise<SourceRow[]> {
    const body = await getJson(`/v1/log/entries?start=${start}&end=${end}`, entriesPage);
    return body.entries.map((e) => {
      const leaf = decodeBase64Strict(e.leaf);
      if (leaf === undefined) throw auditFailure('AUDIT_LEAF_MALFORMED', { index: e.index }, 'leaf is not base64');
      return { index: e.index, leaf, entryId: e.entryId };
    });
  }

  /**
   * Reads a listing paged by id (`after`, `next`), page after page, holding the server to the format:
   * ids strictly increasing, `next` the last id of a non-empty page, and never more items than the
   * log made (`countMax`, from the replay): a server cannot keep the audit reading forever.
   */
  async function eachPage<P extends { next?: string | undefined }>(
    path: string,
    schema: z.ZodType<P>,
    idsOf: (page: P) => string[],
    countMax: number,
    what: string,
    use: (page: P) => void,
  ): Promise<void> {
    let count = 0;
    for (let after: string | undefined = ''; after !== undefined; ) {
      const page: P = await getJson(`${path}?after=${encodeURIComponent(after)}`, schema);
      const ids = idsOf(page);
      let previous: string = after;
      for (const id of ids) {
        if (id <= previous) throw auditFailure('AUDIT_SOURCE_UNAVAILABLE', {}, `${path}: ${id} listed after ${previous}`);
        previous = id;
      }
      if (page.next !== undefined && (ids.length === 0 || page.next !== previous)) throw auditFailure('AUDIT_SOURCE_UNAVAILABLE', {}, `${path}: next ${page.next} is not the last id of its page`);
      count += ids.length;
      if (count > countMax) throw auditFailure('AUDIT_STATE_MISMATCH', {}, `the server lists more ${what} than the log made (${countMax})`);
      use(page);
      after = page.next;
    }
  }

  /** Runs `fn` over `items` with at most `width` calls pending. */
  async function eachBounded<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const lanes = Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await fn(item);
      }
    });
    await Promise.all(lanes);
  }

  return {
    label,
    mode: 'url',
    async verifier(): Promise<NoteVerifier> {
      if (options.vkey !== undefined) return parseVkey(options.vkey);
      const key = await getJson('/v1/log/key', keyJson);
      return parseVkey(key.vkey);
    },
    async latestCheckpoint(): Promise<string | undefined> {
      let response: JsonResponse;
      try {
        response = await client.get('/v1/log/checkpoint');
      } catch (e) {
        throw auditFailure('AUDIT_SOURCE_UNAVAILABLE', {}, `/v1/log/checkpoint: ${(e as Error).message}`);
      }
      if (response.status === 404) return undefined;
      if (response.status !== 200) throw auditFailure('AUDIT_SOURCE_UNAVAILABLE', {}, `/v1/log/checkpoint: HTTP ${response.status}`);
      return response.text;
    },
    async *rows(start: number, end: number): AsyncIterable<readonly SourceRow[]> {
      // Pages are requested ahead, a bounded number at a time, and handed over in order.
      const ahead: Promise<SourceRow[]>[] = [];
      let requested = start;
      const fill = () => {
        while (ahead.length < auditLimits.pagesInFlight && requested < end) {
          const to = Math.min(requested + auditLimits.pageEntries, end);
          const p = page(requested, to);
          p.catch(() => undefined); // awaited below, in order; this only keeps an early failure from going unhandled
          ahead.push(p);
          requested = to;
        }
      };
      fill();
      while (ahead.length > 0) {
        const rows = await (ahead.shift() as Promise<SourceRow[]>);
        fill();
        yield rows;
      }
    },
    async lookup(ids: readonly string[], size: number, root: Uint8Array): Promise<Map<string, LookedUpEntry>> {
      const found = new Map<string, LookedUpEntry>();
      await eachBounded(ids, auditLimits.lookupsInFlight, async (id) => {
        let response: JsonResponse;
        try {
          response = await client.get(`/v1/log/entries-by-id/${encodeURIComponent(id)}`);
        } catch (e) {
          throw auditFailure('AUDIT_SOURCE_UNAVAILABLE', {}, `entries-by-id/${id}: ${(e as Error).message}`);
        }
        if (response.status === 404) return;
        const parsed = entryJson.safeParse(response.body);
        if (response.status !== 200 || !parsed.success) throw auditFailure('AUDIT_SOURCE_UNAVAILABLE', {}, `entries-by-id/${id}: HTTP ${response.status}`);
        const leaf = decodeBase64Strict(parsed.data.leaf);
        if (leaf === undefined) throw auditFailure('AUDIT_LOOKUP_INVALID', { index: parsed.data.index }, `entry ${id}: leaf is not base64`);
        const entry = lookedUpFromLeaf(id, parsed.data.index, leaf);
        // An entry past the audited tree cannot be the one a refund in it names.
        if (entry.index >= size) return;
        const proof = await getJson(`/v1/log/proof/inclusion?index=${entry.index}&size=${size}`, hashesJson);
        try {
          verifyInclusion(leafHash(leaf), entry.index, size, hashes(proof.hashes, 'inclusion proof'), root);
        } catch (e) {
          if (e instanceof CaisseError) throw auditFailure('AUDIT_LOOKUP_INVALID', { index: entry.index }, `entry ${id} is not in the audited tree: ${e.code}`);
          throw e;
        }
        found.set(id, entry);
      });
      return found;
    },
    async storedState(replayed: ReplayedCounts): Promise<StoredState> {
      // The list comes in pages (limits.accountsPageMax accounts each), in id order: follow `next`.
      const accounts: StoredAccount[] = [];
      await eachPage('/v1/accounts', accountsJson, (page) => page.accounts.map((a) => a.id), replayed.accounts, 'accounts', (page) => {
        for (const a of page.accounts) accounts.push({ id: a.id, kind: a.kind, closed: a.closed, territory: a.territory, label: a.label });
      });
      const balances: { account: string; asset: Asset; balanceCents: number }[] = [];
      await eachBounded(accounts, auditLimits.lookupsInFlight, async (a) => {
        const one = await getJson(`/v1/accounts/${encodeURIComponent(a.id)}`, accountJson);
        for (const asset of assets) balances.push({ account: a.id, asset, balanceCents: one.balances[asset] ?? 0 });
      });
      const keys: KeyState[] = [];
      await eachPage('/v1/keys', keysJson, (page) => page.keys.map((k) => k.keyId), replayed.keys, 'keys', (page) => {
        for (const k of page.keys) {
          const publicKey = decodeBase64Strict(k.publicKey);
          if (publicKey === undefined) throw auditFailure('AUDIT_SOURCE_UNAVAILABLE', {}, `/v1/keys: key ${k.keyId} is not base64`);
          keys.push({ keyId: k.keyId, publicKey, role: k.role, merchant: k.merchant, tillId: k.tillId, registeredIndex: k.registeredIndex, revokedIndex: k.revokedIndex });
        }
      });
      const refunded = new Map<string, number>();
      await eachBounded(replayed.refundedPayments, auditLimits.lookupsInFlight, async (id) => {
        // A payment the server does not know is left out: the comparison then names it.
        const payment = await getJsonIfFound(`/v1/payments/${encodeURIComponent(id)}`, paymentJson);
        if (payment !== undefined) refunded.set(id, payment.refundedCents);
      });
      return { accounts, balances, keys, refundedCents: (id) => refunded.get(id) };
    },
    async consistencyProof(from: number, to: number): Promise<Uint8Array[]> {
      const proof = await getJson(`/v1/log/proof/consistency?from=${from}&to=${to}`, hashesJson);
      return hashes(proof.hashes, 'consistency proof');
    },
    async close() {
      client.close();
    },
  };
}
