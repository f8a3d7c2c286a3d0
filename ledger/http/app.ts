import express, { type NextFunction, type Request, type Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { signingMessageOfBodyBytes } from '../../domain/entry/sign.js';
import { CaisseError } from '../../domain/error-spec.js';
import { territorySchema } from '../../domain/entry/schema.js';
import { canonicalJson } from '../../domain/jcs.js';
import { limits } from '../../domain/limits.js';
import { ledgerError } from '../errors.js';
import type { Ledger, Outcome, Submission } from '../core/ledger.js';
import type { VerifierPool } from '../crypto/verifier-pool.js';
import { decodeLeaf } from '../formats/leaf.js';
import { inclusionProof } from '../merkle/inclusion.js';
import { consistencyProof } from '../merkle/consistency.js';
import { vkey } from '../formats/note.js';
import { decodeBatch, decodeSubmission } from './decode.js';
import { plainJsonBody, refuseCompressedBody, refuseOversizeBody, refuseRepeatedKeys, verifyBodyText } from './json-body.js';
import { errorBody, queryIndex, queryText, requestLang, sendError } from './respond.js';
import { receiptPage } from './receipt-page.js';

export interface AppOptions {
  readonly ledger: Ledger;
  readonly pool: VerifierPool;
  readonly ledgerPublicKey: Uint8Array;
  /** Bearer token of the roles allowed to read basket lines (personal data); absent: nobody over HTTP. */
  readonly basketReaderToken?: string;
}

/**
 * The ledger's HTTP API under /v1 (docs/API.md). The log endpoints (checkpoint, key, entries, proofs)
 * are public: leaves carry no names and no basket details. Handlers stay thin; the hot path of
 * POST /v1/entries is: parse, decode, queue for the next group commit, answer.
 */
export function createApp(options: AppOptions): express.Express {
  const { ledger, pool } = options;
  const store = ledger.store;
  // Payments whose signatures are on the pool's threads join the next group commit rather than the one after.
  ledger.waitWhile(() => pool.backlog > 0);
  const app = express();
  // The routes are exactly those of docs/API.md: /V1/HEALTH or /v1/health/ is another address (404).
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  app.disable('x-powered-by');
  app.set('etag', false);

  const json = (limitBytes: number) => express.json({ limit: limitBytes, strict: true, type: () => true, verify: verifyBodyText });
  const requireJson = (req: Request, _res: Response, next: NextFunction) => {
    // The exact header every till sends is accepted without parsing it (type-is costs a few percent of
    // a payment's time); anything else goes through req.is as before.
    if (req.headers['content-type'] === 'application/json' && req.headers['content-length'] !== undefined) return next();
    // No body at all (neither a length nor chunks): req.is answers null whatever the type says.
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) return next(ledgerError('LEDGER_BAD_JSON', 'no body'));
    if (!req.is('application/json')) return next(ledgerError('LEDGER_UNSUPPORTED_MEDIA_TYPE', `got ${req.headers['content-type'] ?? 'no content type'}`));
    next();
  };

  // A path that is not valid percent-encoding is a bad address wherever it points (routes with a
  // parameter would decode it and fail; the others would only answer 404).
  app.use((req: Request, _res: Response, next: NextFunction) => {
    try {
      decodeURIComponent(req.path);
    } catch {
      return next(ledgerError('LEDGER_BAD_QUERY', 'malformed percent-encoding in the path'));
    }
    next();
  });

  // Reads see what another process appended to the same directory since the last group commit.
  app.use((req: Request, _res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'HEAD') ledger.catchUp();
    next();
  });

  app.get('/v1/health', (_req, res) => {
    res.json({ ok: true, treeSize: ledger.treeSize() });
  });

  app.get('/v1/log/checkpoint', (_req, res) => {
    const checkpoint = store.latestCheckpoint();
    if (checkpoint === undefined) throw ledgerError('LEDGER_NOT_FOUND', 'the log is empty');
    res.type('text/plain; charset=utf-8').send(checkpoint.note);
  });

  app.get('/v1/log/key', (_req, res) => {
    res.json({
      name: ledger.origin,
      publicKey: Buffer.from(options.ledgerPublicKey).toString('base64'),
      vkey: vkey(ledger.origin, options.ledgerPublicKey),
      // An auditor needs it to tell which late till entries the ledger had to flag as offline.
      clockWindowMs: ledger.clockWindowMs,
    });
  });

  app.get('/v1/log/entries/:index', (req, res) => {
    const index = queryIndex(req.params.index, 'index');
    const row = store.logAt(index);
    if (row === undefined) throw ledgerError('LEDGER_NOT_FOUND', `no entry at index ${index}`);
    res.json(entryJson(row));
  });

  app.get('/v1/log/entries', (req, res) => {
    const start = queryIndex(req.query.start, 'start');
    const end = queryIndex(req.query.end, 'end');
    if (end <= start) throw ledgerError('LEDGER_BAD_QUERY', 'end must be greater than start');
    if (end - start > limits.entriesPageMax) throw ledgerError('LEDGER_BAD_QUERY', `at most ${limits.entriesPageMax} entries per request`);
    res.json({ entries: store.logRange(start, Math.min(end, ledger.treeSize())).map(entryJson) });
  });

  app.get('/v1/log/entries-by-id/:id', (req, res) => {
    const row = store.logById(String(req.params.id));
    if (row === undefined) throw ledgerError('LEDGER_NOT_FOUND', `no entry with id ${req.params.id}`);
    res.json(entryJson(row));
  });

  const getNode = (level: number, index: number) => store.node(level, index);

  app.get('/v1/log/proof/inclusion', (req, res) => {
    const index = queryIndex(req.query.index, 'index');
    const size = queryIndex(req.query.size, 'size');
    if (size > ledger.treeSize() || index >= size) throw ledgerError('LEDGER_BAD_QUERY', `need index < size <= ${ledger.treeSize()}`);
    res.json({ hashes: inclusionProof(index, size, getNode).map(b64) });
  });

  app.get('/v1/log/proof/consistency', (req, res) => {
    const from = queryIndex(req.query.from, 'from');
    const to = queryIndex(req.query.to, 'to');
    if (to > ledger.treeSize() || from > to || from === 0) throw ledgerError('LEDGER_BAD_QUERY', `need 0 < from <= to <= ${ledger.treeSize()}`);
    res.json({ hashes: consistencyProof(from, to, getNode).map(b64) });
  });

  app.get('/v1/receipts/:index', (req, res) => {
    const index = queryIndex(req.params.index, 'index');
    const h = queryText(req.query.h, 'h');
    const receipt = ledger.receiptForIndex(index);
    const row = store.logAt(index);
    const matches = receipt !== undefined && row !== undefined && Buffer.from(receipt.leafHash, 'base64').toString('base64url') === h;
    const sealed = matches && row !== undefined ? decodeLeaf(row.leaf) : undefined;
    const result = { valid: matches, index, receipt: matches ? receipt : undefined };
    if (req.accepts(['json', 'html']) === 'html') {
      const merchant = sealed?.body.type === 'payment' ? store.account(sealed.body.merchant)?.label : undefined;
      res.status(matches ? 200 : 404).type('html').send(receiptPage(requestLang(req), index, sealed, merchant));
    } else {
      res.status(matches ? 200 : 404).json(result);
    }
  });

  app.post('/v1/entries', refuseOversizeBody(limits.bodyBytesMax), requireJson, refuseCompressedBody, plainJsonBody(limits.bodyBytesMax), json(limits.bodyBytesMax), refuseRepeatedKeys, async (req, res) => {
    const [outcome] = await submitVerified(ledger, pool, [decodeSubmission(req.body)], 'recheck');
    if (outcome === undefined) throw ledgerError('LEDGER_INTERNAL');
    if (!outcome.ok) throw outcome.error;
    res.status(outcome.receipt.replayed ? 200 : 201).json(outcome.receipt);
  });

  app.post('/v1/entries/batch', refuseOversizeBody(limits.batchBodyBytesMax), requireJson, refuseCompressedBody, plainJsonBody(limits.batchBodyBytesMax), json(limits.batchBodyBytesMax), refuseRepeatedKeys, async (req, res) => {
    const raw = decodeBatch(req.body);
    const lang = requestLang(req);
    const decoded = raw.map((item, i): Submission | Outcome => {
      try {
        return decodeSubmission(item, `entries.${i}.`);
      } catch (e) {
        return { ok: false, error: e as never };
      }
    });
    const outcomes = await submitVerified(ledger, pool, decoded, 'refuse');
    res.json({
      results: outcomes.map((o) => (o.ok ? { ok: true, receipt: o.receipt } : { ok: false, ...errorBody(o.error, lang) })),
    });
  });

  app.get('/v1/accounts', (req, res) => {
    // Paged by id so that the answer stays bounded however many households join: `next` is the
    // `after` of the following page, absent on the last one.
    const after = queryText(req.query.after, 'after');
    const limit = req.query.limit === undefined ? limits.accountsPageMax : queryIndex(req.query.limit, 'limit');
    if (limit < 1 || limit > limits.accountsPageMax) throw ledgerError('LEDGER_BAD_QUERY', `limit between 1 and ${limits.accountsPageMax}`);
    const page = store.accountsPage(after, limit + 1);
    const accounts = page.slice(0, limit).map((a) => ({ id: a.id, kind: a.kind, territory: a.territory, label: a.label, closed: a.closed }));
    res.json(page.length > limit ? { accounts, next: accounts[accounts.length - 1]?.id } : { accounts });
  });

  app.get('/v1/keys', (req, res) => {
    // The key registry as the log built it (public: every key was registered by a signed entry),
    // paged by key id like the accounts, so that an auditor over HTTP can compare it with its replay.
    const after = queryText(req.query.after, 'after');
    const limit = req.query.limit === undefined ? limits.keysPageMax : queryIndex(req.query.limit, 'limit');
    if (limit < 1 || limit > limits.keysPageMax) throw ledgerError('LEDGER_BAD_QUERY', `limit between 1 and ${limits.keysPageMax}`);
    const page = store.keysPage(after, limit + 1);
    const keys = page.slice(0, limit).map((k) => ({
      keyId: k.keyId,
      publicKey: b64(k.publicKey),
      role: k.role,
      merchant: k.merchant,
      tillId: k.tillId,
      registeredIndex: k.registeredIndex,
      revokedIndex: k.revokedIndex,
    }));
    res.json(page.length > limit ? { keys, next: keys[keys.length - 1]?.keyId } : { keys });
  });

  app.get('/v1/payments/:id', (req, res) => {
    // What the log already says of a payment (pseudonymous payer, shop, amount) and how much of it was
    // refunded: refunds name the payment they return.
    const payment = store.payment(String(req.params.id));
    if (payment === undefined) throw ledgerError('LEDGER_NOT_FOUND', `no payment ${req.params.id}`);
    res.json(payment);
  });

  app.get('/v1/accounts/:id', (req, res) => {
    const account = store.account(String(req.params.id));
    if (account === undefined) throw ledgerError('LEDGER_NOT_FOUND', `no account ${req.params.id}`);
    res.json({
      id: account.id,
      kind: account.kind,
      territory: account.territory,
      label: account.label,
      openedIndex: account.openedIndex,
      closedIndex: account.closedIndex,
      balances: { CCA: store.balanceCents(account.id, 'CCA'), MNK: store.balanceCents(account.id, 'MNK') },
    });
  });

  app.get('/v1/accounts/:id/statement', (req, res) => {
    const id = String(req.params.id);
    if (store.account(id) === undefined) throw ledgerError('LEDGER_NOT_FOUND', `no account ${id}`);
    const from = req.query.from === undefined ? 0 : queryIndex(req.query.from, 'from');
    const limit = req.query.limit === undefined ? limits.statementPageMax : queryIndex(req.query.limit, 'limit');
    if (limit < 1 || limit > limits.statementPageMax) throw ledgerError('LEDGER_BAD_QUERY', `limit between 1 and ${limits.statementPageMax}`);
    const page = store.statement(id, from, limit);
    res.json(page.next === undefined ? { account: id, lines: page.lines } : { account: id, lines: page.lines, next: page.next });
  });

  app.get('/v1/rules/:territory', (req, res) => {
    const territory = String(req.params.territory);
    // Not a territory's name: no lookup (and nothing cached) for it.
    const latest = territorySchema.safeParse(territory).success ? store.latestRules(territory) : undefined;
    if (latest === undefined) throw ledgerError('LEDGER_NOT_FOUND', `no rules published for ${req.params.territory}`);
    const row = store.logAt(latest.index);
    if (row === undefined) throw ledgerError('LEDGER_INTERNAL', 'rules entry missing');
    res.json({ ...latest, entry: entryJson(row) });
  });

  app.get('/v1/baskets/:id', (req, res) => {
    if (!authorisedBasketReader(req, options.basketReaderToken)) throw ledgerError('LEDGER_UNAUTHENTICATED', 'basket lines are personal data');
    const basket = store.basket(String(req.params.id));
    if (basket === undefined) throw ledgerError('LEDGER_NOT_FOUND', `no basket for ${req.params.id}`);
    res.json({
      entryId: req.params.id,
      erasedAtMs: basket.erasedAtMs,
      salt: basket.salt,
      ...(basket.content === undefined ? {} : (JSON.parse(basket.content) as { tier: number; lines: unknown[] })),
    });
  });

  app.use((_req: Request, _res: Response, next: NextFunction) => next(ledgerError('LEDGER_NOT_FOUND', 'no such route')));
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    // Refused before its body was read (too large, not JSON, no such route): the connection is closed
    // after the answer rather than kept, which would mean reading and dropping all the rest first.
    if (!req.complete && bodyAnnounced(req)) res.setHeader('Connection', 'close');
    const error = err instanceof URIError ? ledgerError('LEDGER_BAD_QUERY', 'malformed percent-encoding in the path') : err instanceof CaisseError ? err : (bodyParserError(err) ?? err);
    sendError(req, res, error);
  });
  return app;
}

/** A request that carries a body (chunked, or a length above zero): unread, it would have to be drained. */
function bodyAnnounced(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

function entryJson(row: { index: number; entryId: string; leaf: Uint8Array }) {
  return { index: row.index, entryId: row.entryId, leaf: b64(row.leaf) };
}

/** Maps body-parser's failures onto the catalogue: too large, not JSON, wrong charset. */
function bodyParserError(err: unknown) {
  if (typeof err !== 'object' || err === null) return undefined;
  switch ((err as { type?: unknown }).type) {
    case 'entity.too.large':
      return ledgerError('LEDGER_BODY_TOO_LARGE', `limit ${(err as { limit?: number }).limit ?? '?'} bytes`);
    case 'entity.parse.failed':
      return ledgerError('LEDGER_BAD_JSON', (err as { message?: string }).message ?? '');
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return ledgerError('LEDGER_UNSUPPORTED_MEDIA_TYPE', (err as { message?: string }).message ?? '');
    case 'request.aborted':
    case 'request.size.invalid':
      return ledgerError('LEDGER_BAD_JSON', 'truncated body');
    default:
      // Any other body-parser failure to read the body (http-errors, `expose`d 4xx: a corrupt gzip stream…) is the client's.
      return (err as { expose?: unknown; status?: unknown }).expose === true && (err as { status?: unknown }).status === 400 ? ledgerError('LEDGER_BAD_JSON', `unreadable body: ${(err as { message?: string }).message ?? ''}`) : undefined;
  }
}

function authorisedBasketReader(req: Request, token: string | undefined): boolean {
  if (token === undefined) return false;
  const header = req.headers.authorization ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

/**
 * What to answer for an entry whose signature the threads refuse. A batch answers LEDGER_BAD_SIGNATURE
 * for it before any other check (docs/API.md); a single request has it checked again inline, so that
 * its answer is exactly the one the ledger gives without threads (an id conflict or a clock out of
 * the window named before the signature).
 */
export type BadSignatureAnswer = 'refuse' | 'recheck';

/**
 * Verifies every signature on the verifier pool, off the event loop, then queues the entries for the
 * next group commit **in the request's order** (a batch may register a till key and then carry that
 * till's payments, or a payment and then its refund). Entries whose key is not registered yet or is
 * revoked, and entries the threads could not check (a thread died), are queued unverified: the ledger
 * checks them at apply time, in order, and names an unknown or revoked key as such.
 */
export async function submitVerified(
  ledger: Ledger,
  pool: VerifierPool,
  items: readonly (Submission | Outcome)[],
  badSignature: BadSignatureAnswer,
): Promise<Outcome[]> {
  if (pool.backlog >= limits.queueEntriesMax) return items.map(() => ({ ok: false, error: ledgerError('LEDGER_OVERLOADED') }));
  const checked = await Promise.all(items.map((item, i) => ('ok' in item ? item : verifyOnPool(ledger, pool, item, badSignature, i))));
  return Promise.all(checked.map((item) => ('ok' in item ? item : ledger.submit(item))));
}

async function verifyOnPool(ledger: Ledger, pool: VerifierPool, submission: Submission, badSignature: BadSignatureAnswer, position: number): Promise<Submission | Outcome> {
  const { entry } = submission;
  const keys = entry.signatures.map((s) => ledger.store.key(s.keyId));
  if (keys.some((k) => k === undefined || k.revokedIndex !== undefined)) return submission;
  const bodyJcs = canonicalJson(entry.body);
  const message = signingMessageOfBodyBytes(Buffer.from(bodyJcs, 'utf8'));
  let valid: boolean[];
  try {
    valid = await Promise.all(
      entry.signatures.map((s, j) => pool.verifySoon({ message, publicKey: keys[j]?.publicKey ?? new Uint8Array(), signature: Buffer.from(s.signature, 'base64') })),
    );
  } catch {
    // A verifier thread died with this check: the ledger verifies it inline instead.
    return checkedSubmission(submission, bodyJcs, false);
  }
  if (valid.every(Boolean)) return checkedSubmission(submission, bodyJcs, true);
  if (badSignature === 'refuse') return { ok: false, error: ledgerError('LEDGER_BAD_SIGNATURE', `entries.${position}`) };
  return checkedSubmission(submission, bodyJcs, false);
}

/**
 * The submission with what the pool found, its fields named one by one: a spread's copy made the
 * submission itself slow to read, for every later step (a tenth of a batch entry's time in appendOne).
 */
function checkedSubmission(submission: Submission, bodyJcs: string, signaturesVerified: boolean): Submission {
  const { entry, basket } = submission;
  return basket === undefined ? { entry, bodyJcs, signaturesVerified } : { entry, basket, bodyJcs, signaturesVerified };
}
