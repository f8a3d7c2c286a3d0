import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey, type SigningKey } from '../../domain/ed25519.js';
import { rulesPublishBody, transferBody } from '../../domain/entry/build.js';
import { rulesDocumentHash } from '../../domain/rules/compile.js';
import type { RulesDocument } from '../../domain/rules/schema.js';
import type { EntryBody } from '../../domain/entry/schema.js';
import { signEntry } from '../../domain/entry/sign.js';
import { canonicalJson } from '../../domain/jcs.js';
import { Random } from '../../cli/demo/random.js';
import { ledgerErrors } from '../../ledger/errors.js';
import { DemoLedger, type TestServer } from '../http/demo-ledger.js';
import { toJson } from '../http/entry-json.js';
import { isErrorBody, isLedgerCode } from '../http/expect-error.js';
import { verifyLedgerDir } from '../http/integrity.js';
import { closeRawAgent, send, type RawResponse } from '../http/raw-http.js';
import { snapshot } from '../http/snapshot.js';
import { byteMutations, clone, RawNumbers, valueMutations, type Json } from './mutate.js';

/**
 * Throws thousands of random and mutated bodies at POST /v1/entries and /v1/entries/batch of a real
 * ledger over HTTP. The bodies start from valid signed entries (payments exactly as the demo's tills
 * make them, operator transfers) and are mutated: fields dropped, added, retyped, renumbered, swapped,
 * duplicated, nested deep, keys reordered, bytes flipped, bodies truncated, signatures made by wrong
 * keys. Every answer must be a JSON 4xx with a catalogued code (never a 5xx, never a hang, never a
 * success), except a replay of an entry already in the log, answered 200 with `replayed: true` and
 * only when the body is the one in the log. Afterwards nothing was written and the audit passes.
 *
 * Mutations that leave the request meaning exactly what it meant (key order, whitespace) are drawn
 * again, so every request sent is a real change: one that the ledger accepted would be a bug.
 */
const seed = 20_261_123;
const iterationsMax = 3000;
/** Every request has its own timeout (a hang fails it); this bounds the whole run on a slow machine. */
const fuzzTimeoutMs = 120_000;
const inFlight = 12;
/** The second phase: bodies mutated then signed by the right key, so the money rules are what answers. */
const signedIterationsMax = 1000;

interface Base {
  readonly json: Json;
  readonly canonical: string;
  readonly bodyCanonical: string;
  /** Already in the log: the same body again is a replay. */
  readonly submitted: boolean;
}

interface Failure {
  readonly iteration: number;
  readonly mutations: string;
  readonly why: string;
}

let d: DemoLedger;
let server: TestServer | undefined;
const bases: Base[] = [];
const wrongKeys: SigningKey[] = [];

function url(): string {
  if (server === undefined) throw new Error('no server');
  return server.url;
}

function makeBase(json: Json, submitted: boolean): Base {
  const body = (json as { entry: { body: Json } }).entry.body;
  return { json, canonical: canonicalJson(json), bodyCanonical: canonicalJson(body), submitted };
}

beforeAll(async () => {
  d = await DemoLedger.create({ households: 6, runId: 'fuzz' });
  // Two verifier threads, as served: a mutated signature goes through the threads and then inline.
  server = await d.listen({ threads: 2 });
  const household = d.world.households[0]?.accountId ?? '';
  const shop = d.world.shops[0]?.accountId ?? '';
  for (let i = 0; i < 8; i++) bases.push(makeBase(toJson(d.nextPayment()) as unknown as Json, false));
  for (let i = 0; i < 2; i++) {
    const body = transferBody({ id: `fuzz-transfer-${i}`, createdAtMs: Date.now() }, { from: household, to: shop, asset: 'CCA', amountCents: 100 + i, reason: 'essai' });
    bases.push(makeBase(toJson({ entry: signEntry(body, [d.operator]) }) as unknown as Json, false));
  }
  const submitted = [d.nextPayment(), d.nextPayment(), d.nextPayment(), d.nextPayment()];
  d.append(submitted);
  for (const s of submitted) bases.push(makeBase(toJson(s) as unknown as Json, true));
  // Signing keys to sign with where they may not (see wrongKeysFor).
  wrongKeys.push(generateSigningKey(), d.operator, d.committee, d.moneko, ...d.tillKeys.values());
});

afterAll(async () => {
  await server?.close();
  closeRawAgent();
  d?.close();
});

/** The body as the server parses it (UTF-8, then JSON.parse), or undefined when it does not parse. */
function parse(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Keys that may not sign this body: its own till's key signs a payment, the operator's a transfer
 * (the only types of the bases; a mutated type is refused by the schema or needs another role).
 */
function wrongKeysFor(body: Json | undefined): SigningKey[] {
  const record = body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {};
  const own = typeof record.tillId === 'string' ? d.tillKeys.get(record.tillId) : undefined;
  return wrongKeys.filter((k) => k !== own && !(k === d.operator && record.type !== 'payment'));
}

function typeOfBody(value: Json): string {
  const body = entryOf(value)?.body;
  return body !== null && typeof body === 'object' && !Array.isArray(body) && typeof body.type === 'string' ? body.type : '?';
}

/** The `entry` object of a submission, when the (mutated) value still has one. */
function entryOf(value: Json): { [key: string]: Json } | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const entry = value.entry;
  if (entry === null || entry === undefined || typeof entry !== 'object' || Array.isArray(entry)) return undefined;
  return entry;
}

/** Whether a parsed request still holds one of the fresh (never submitted) valid entries as it was. */
function sendsAnUnchangedEntry(value: unknown, batch: boolean): boolean {
  const fresh = new Set(bases.filter((b) => !b.submitted).map((b) => b.canonical));
  const unchanged = (item: unknown): boolean => {
    try {
      return fresh.has(canonicalJson(item));
    } catch {
      return false;
    }
  };
  if (!batch) return unchanged(value);
  const entries = (value as { entries?: unknown } | null | undefined)?.entries;
  return Array.isArray(entries) && entries.some(unchanged);
}

/** One mutated submission: its JSON value, the names of the mutations, and its base. */
function mutateSubmission(random: Random, raw: RawNumbers): { value: Json; base: Base; names: string[] } {
  const base = random.pick(bases);
  let value = clone(base.json);
  const names: string[] = [];
  const count = random.int(1, 3);
  const valueNames = Object.keys(valueMutations);
  for (let i = 0; i < count; i++) {
    const roll = random.next();
    const entry = entryOf(value);
    if (roll < 0.12 && entry !== undefined && entry.body !== undefined) {
      // Sign the (maybe already mutated) body with a key that may not sign it.
      const key = random.pick(wrongKeysFor(entry.body));
      try {
        entry.signatures = JSON.parse(JSON.stringify(signEntry(entry.body as unknown as EntryBody, [key]).signatures)) as Json;
        names.push('resignWrongKey');
      } catch {
        names.push('resignWrongKey(unsignable)');
      }
    } else if (roll < 0.17 && entry !== undefined) {
      entry.body = clone(entryOf(random.pick(bases).json)?.body ?? null);
      names.push('bodyOfAnother');
    } else if (roll < 0.22 && entry !== undefined && Array.isArray(entry.signatures)) {
      const first = entry.signatures[0];
      const keyId = first !== null && typeof first === 'object' && !Array.isArray(first) ? (first.keyId ?? null) : null;
      entry.signatures.push({ keyId: random.next() < 0.5 ? '0123456789abcdef' : keyId, signature: `${'A'.repeat(86)}==` });
      names.push('extraBadSignature');
    } else {
      const name = random.pick(valueNames);
      const mutation = valueMutations[name];
      if (mutation !== undefined) value = mutation(value, random, raw);
      names.push(name);
    }
  }
  return { value, base, names };
}

type Verdict = { ok: true; replay: boolean; code?: string } | { ok: false; why: string };

/** What the ledger may answer for one submission: a catalogued refusal, or a replay of an unchanged body. */
function judgeItem(result: unknown, item: unknown): Verdict {
  if (isErrorBody(result)) {
    const code = result.error.code;
    if (!isLedgerCode(code)) return { ok: false, why: `unknown code ${code}` };
    if (ledgerErrors[code].status >= 500) return { ok: false, why: `server error ${code}: ${result.error.detail}` };
    return { ok: true, replay: false, code };
  }
  const receipt = (result as { receipt?: unknown }).receipt ?? result;
  const replayed = (receipt as { replayed?: unknown } | undefined)?.replayed === true;
  if (!replayed) return { ok: false, why: `accepted and written: ${JSON.stringify(receipt).slice(0, 200)}` };
  const body = (item as { entry?: { body?: unknown } } | undefined)?.entry?.body;
  // The body may be any entry already in the log (a mutation can swap in another base's body).
  let same = false;
  try {
    const canonical = canonicalJson(body);
    same = bases.some((b) => b.submitted && b.bodyCanonical === canonical);
  } catch {
    same = false;
  }
  return same ? { ok: true, replay: true } : { ok: false, why: 'answered as a replay, but the body is not the one in the log' };
}

function judge(res: RawResponse, batch: boolean, parsed: unknown): Verdict[] {
  if (res.status >= 500) return [{ ok: false, why: `HTTP ${res.status}: ${res.text.slice(0, 200)}` }];
  if (!res.contentType.startsWith('application/json') || res.json === undefined) return [{ ok: false, why: `not JSON: HTTP ${res.status} ${res.contentType}` }];
  if (res.status >= 400) {
    const verdict = judgeItem(res.json, undefined);
    if (verdict.ok && isErrorBody(res.json) && ledgerErrors[res.json.error.code as keyof typeof ledgerErrors]?.status !== res.status) {
      return [{ ok: false, why: `${res.json.error.code} with HTTP ${res.status}` }];
    }
    return [verdict];
  }
  if (!batch) {
    return [res.status === 200 ? judgeItem(res.json, parsed) : { ok: false, why: `HTTP ${res.status}: ${res.text.slice(0, 200)}` }];
  }
  const results = (res.json as { results?: unknown }).results;
  const sent = (parsed as { entries?: unknown } | undefined)?.entries;
  if (res.status !== 200 || !Array.isArray(results) || !Array.isArray(sent) || results.length !== sent.length) {
    return [{ ok: false, why: `batch answered HTTP ${res.status} ${res.text.slice(0, 200)}` }];
  }
  return results.map((r, i) => judgeItem(r, sent[i]));
}

describe('fuzzing the API', () => {
  it(`answers ${iterationsMax} random and mutated bodies with catalogued 4xx codes and writes nothing`, async () => {
    const before = snapshot(d.store);
    const random = new Random(seed);
    const failures: Failure[] = [];
    const codes = new Map<string, number>();
    let replays = 0;
    let redrawn = 0;
    let sent = 0;
    const startedMs = Date.now();

    const one = async (iteration: number): Promise<void> => {
      const raw = new RawNumbers();
      const batch = random.next() < 0.25;
      const items: { base: Base; value: Json; names: string[] }[] = [];
      let bytes: Buffer;
      let names: string[];
      for (let attempt = 0; ; attempt++) {
        items.length = 0;
        const n = batch ? random.int(1, 3) : 1;
        for (let i = 0; i < n; i++) items.push(mutateSubmission(random, raw));
        let wrapper: Json = batch ? { entries: items.map((i) => i.value) } : (items[0]?.value ?? null);
        names = items.flatMap((i) => i.names);
        if (batch && random.next() < 0.1) {
          const name = random.pick(Object.keys(valueMutations));
          wrapper = valueMutations[name]?.(wrapper, random, raw) ?? wrapper;
          names.push(`batch:${name}`);
        }
        bytes = Buffer.from(raw.serialise(wrapper), 'utf8');
        if (random.next() < 0.3) {
          const name = random.pick(Object.keys(byteMutations));
          bytes = byteMutations[name]?.(bytes, random) ?? bytes;
          names.push(`bytes:${name}`);
        }
        // A change that means nothing (key order alone, a byte flip the parser undoes) is drawn again.
        if (!sendsAnUnchangedEntry(parse(bytes), batch)) break;
        if (attempt >= 20) throw new Error(`iteration ${iteration}: no real change in 20 draws`);
        redrawn += 1;
      }
      const path = batch ? '/v1/entries/batch' : '/v1/entries';
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (random.next() < 0.5) headers['accept-language'] = 'en';
      sent += 1;
      let res: RawResponse;
      try {
        res = await send(url(), { method: 'POST', path, body: bytes, headers });
      } catch (e) {
        failures.push({ iteration, mutations: names.join(' '), why: `no answer: ${(e as Error).message}` });
        return;
      }
      const parsed = parse(bytes);
      for (const verdict of judge(res, batch, parsed)) {
        if (!verdict.ok) failures.push({ iteration, mutations: `${path} ${names.join(' ')}`, why: verdict.why });
        else if (verdict.replay) replays += 1;
        else if (verdict.code !== undefined) codes.set(verdict.code, (codes.get(verdict.code) ?? 0) + 1);
      }
    };

    for (let iteration = 0; iteration < iterationsMax; iteration += inFlight) {
      const wave: Promise<void>[] = [];
      for (let k = 0; k < inFlight && iteration + k < iterationsMax; k++) wave.push(one(iteration + k));
      await Promise.all(wave);
    }

    const histogram = [...codes].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ${n}`).join(', ');
    console.info(`fuzz: ${sent} requests in ${Date.now() - startedMs} ms, ${replays} replays, ${redrawn} no-op mutations drawn again; ${histogram}`);
    expect(failures.slice(0, 10), `${failures.length} bad answers`).toEqual([]);
    expect(sent).toBe(iterationsMax);
    // The mutations reach past the parser: signatures, keys, baskets and money rules answer too.
    for (const code of ['LEDGER_BAD_JSON', 'LEDGER_INVALID_ENTRY', 'LEDGER_UNSAFE_INTEGER', 'LEDGER_BAD_SIGNATURE', 'LEDGER_UNKNOWN_KEY', 'LEDGER_NOT_AUTHORISED', 'LEDGER_BASKET_MISMATCH']) {
      expect(codes.get(code) ?? 0, `${code} never answered: ${histogram}`).toBeGreaterThan(0);
    }
    expect(replays).toBeGreaterThan(0);

    // Nothing written: same tree, same checkpoint, same balances, same rows in every table.
    expect(snapshot(d.store)).toEqual(before);
    expect((await send(url(), { path: '/v1/health' })).status).toBe(200);
    const { audit } = await verifyLedgerDir(d.dir);
    expect(audit.entries).toBe(before.treeSize);
  }, fuzzTimeoutMs);

  it('answers bodies mutated then signed by the right key with 2xx or a catalogued 4xx, and what it accepted passes the audit', async () => {
    const random = new Random(seed + 1);
    const failures: Failure[] = [];
    const codes = new Map<string, number>();
    let accepted = 0;
    const acceptedKinds = new Map<string, number>();
    let sent = 0;
    const startedMs = Date.now();
    const household = d.world.households[1]?.accountId ?? '';
    const shop = d.world.shops[1]?.accountId ?? '';
    const territories = [...d.world.rules.values()];

    /** A fresh valid entry to start from: a till's payment, an operator's transfer, or the committee's next rules. */
    const freshBase = (iteration: number): Json => {
      const roll = random.next();
      if (roll < 0.6) return toJson(d.nextPayment()) as unknown as Json;
      if (roll < 0.8) {
        const body = transferBody({ id: `fuzz-signed-${iteration}`, createdAtMs: Date.now() }, { from: household, to: shop, asset: 'CCA', amountCents: random.int(1, 500), reason: 'essai' });
        return toJson({ entry: signEntry(body, [d.operator]) }) as unknown as Json;
      }
      const rules = random.pick(territories).document;
      const document: RulesDocument = { ...rules, version: rules.version + 1 + iteration };
      return toJson({ entry: signEntry(rulesPublishBody({ id: `fuzz-rules-${iteration}`, createdAtMs: Date.now() }, document), [d.committee]) }) as unknown as Json;
    };

    /** Signs the mutated body again with the key its type needs, recomputing a rules document's hash. */
    const signRight = (value: Json): void => {
      const entry = entryOf(value);
      const body = entry?.body;
      if (entry === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) return;
      if (body.type === 'rules.publish' && body.document !== null && typeof body.document === 'object' && random.next() < 0.7) {
        try {
          body.documentHash = rulesDocumentHash(body.document as unknown as RulesDocument);
        } catch {
          // A document too broken to hash keeps the old hash, and is refused for it.
        }
      }
      const key = body.type === 'payment' && typeof body.tillId === 'string' ? d.tillKeys.get(body.tillId) : body.type === 'rules.publish' ? d.committee : d.operator;
      if (key === undefined) return;
      try {
        entry.signatures = JSON.parse(JSON.stringify(signEntry(body as unknown as EntryBody, [key]).signatures)) as Json;
      } catch {
        // Not signable (a number past 2^53, nesting too deep): sent with the old signature.
      }
    };

    for (let iteration = 0; iteration < signedIterationsMax; iteration += inFlight) {
      const wave: Promise<void>[] = [];
      for (let k = 0; k < inFlight; k++) {
        const raw = new RawNumbers();
        let value = freshBase(iteration + k);
        const names: string[] = [];
        for (let i = random.int(1, 2); i > 0; i--) {
          const name = random.pick(Object.keys(valueMutations).filter((n) => n !== 'reorderKeys'));
          value = valueMutations[name]?.(value, random, raw) ?? value;
          names.push(name);
        }
        signRight(value);
        const batch = random.next() < 0.2;
        const bytes = Buffer.from(raw.serialise(batch ? { entries: [value] } : value), 'utf8');
        const path = batch ? '/v1/entries/batch' : '/v1/entries';
        sent += 1;
        wave.push(
          send(url(), { method: 'POST', path, body: bytes, headers: { 'content-type': 'application/json' } }).then(
            (res) => {
              const results = batch && res.status === 200 ? ((res.json as { results?: unknown[] }).results ?? []) : [res.json];
              if (res.status >= 500 || res.json === undefined) {
                failures.push({ iteration: iteration + k, mutations: `${path} ${names.join(' ')}`, why: `HTTP ${res.status} ${res.text.slice(0, 200)}` });
                return;
              }
              for (const r of results) {
                if (isErrorBody(r)) {
                  const code = r.error.code;
                  if (!isLedgerCode(code) || ledgerErrors[code].status >= 500) failures.push({ iteration: iteration + k, mutations: `${path} ${names.join(' ')}`, why: `${code}: ${r.error.detail}` });
                  else codes.set(code, (codes.get(code) ?? 0) + 1);
                } else {
                  accepted += 1;
                  const kind = `${typeOfBody(value)}: ${names.join('+')}`;
                  acceptedKinds.set(kind, (acceptedKinds.get(kind) ?? 0) + 1);
                }
              }
            },
            (e: Error) => {
              failures.push({ iteration: iteration + k, mutations: `${path} ${names.join(' ')}`, why: `no answer: ${e.message}` });
            },
          ),
        );
      }
      await Promise.all(wave);
    }

    const histogram = [...codes].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ${n}`).join(', ');
    const kinds = [...acceptedKinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
    console.info(`fuzz (signed by the right keys): ${sent} requests in ${Date.now() - startedMs} ms, ${accepted} accepted (${kinds}); ${histogram}`);
    expect(failures.slice(0, 10), `${failures.length} bad answers`).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(signedIterationsMax);
    // Signed by the right key, many mutations reach the money rules rather than the signature check.
    expect(codes.get('LEDGER_BAD_SIGNATURE') ?? 0).toBeLessThan(sent / 4);
    // Whatever the ledger accepted, the audit accepts too: the ledger and its verifier agree.
    const { audit, integrity } = await verifyLedgerDir(d.dir);
    expect(audit.entries).toBe(d.ledger.treeSize());
    expect(integrity.treeSize).toBe(d.ledger.treeSize());
  }, fuzzTimeoutMs);
});
