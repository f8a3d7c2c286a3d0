import type { Outcome, Submission } from '../../ledger/core/ledger.js';
import type { Ledger } from '../../ledger/core/ledger.js';
import type { Receipt } from '../../ledger/formats/receipt.js';
import { CaisseError } from '../../domain/error-spec.js';
import { ledgerErrors, type LedgerErrorCode } from '../../ledger/errors.js';
import { limits } from '../../domain/limits.js';
import type { HttpJsonClient } from './http-client.js';

/**
 * How the demo reaches a ledger: in process (fast, for building large ledgers) or over HTTP (the real
 * path a till takes). Both answer the same outcomes.
 */
export interface LedgerPort {
  submitBatch(submissions: readonly Submission[]): Promise<Outcome[]>;
  submitOne(submission: Submission): Promise<Outcome>;
  accountExists(id: string): Promise<boolean>;
  balanceCents(id: string, asset: 'CCA' | 'MNK'): Promise<number>;
  rulesPublished(territory: string): Promise<boolean>;
}

export function localPort(ledger: Ledger): LedgerPort {
  return {
    async submitBatch(submissions) {
      const out: Outcome[] = [];
      for (let i = 0; i < submissions.length; i += limits.groupEntriesMax) out.push(...ledger.appendGroup(submissions.slice(i, i + limits.groupEntriesMax)));
      return out;
    },
    submitOne: (submission) => ledger.submit(submission),
    accountExists: async (id) => ledger.store.account(id) !== undefined,
    balanceCents: async (id, asset) => ledger.store.balanceCents(id, asset),
    rulesPublished: async (territory) => ledger.store.latestRules(territory) !== undefined,
  };
}

function toOutcome(status: number, body: unknown): Outcome {
  if (status >= 200 && status < 300) return { ok: true, receipt: body as Receipt };
  const error = (body as { error?: { code?: string; detail?: string } } | undefined)?.error;
  const code = (error?.code ?? 'LEDGER_INTERNAL') as LedgerErrorCode;
  const spec = ledgerErrors[code] ?? ledgerErrors.LEDGER_INTERNAL;
  return { ok: false, error: new CaisseError(code, spec, error?.detail ?? `HTTP ${status}`) };
}

export function httpPort(client: HttpJsonClient): LedgerPort {
  return {
    async submitBatch(submissions) {
      const out: Outcome[] = [];
      for (let i = 0; i < submissions.length; i += limits.batchEntriesMax) {
        const chunk = submissions.slice(i, i + limits.batchEntriesMax).map((s) => ({ entry: s.entry, ...(s.basket ? { basket: s.basket } : {}) }));
        const res = await client.post('/v1/entries/batch', { entries: chunk });
        if (res.status !== 200) {
          const failed = toOutcome(res.status, res.body);
          out.push(...chunk.map(() => failed));
          continue;
        }
        const results = (res.body as { results: { ok: boolean; receipt?: Receipt; error?: { code: string; detail: string } }[] }).results;
        out.push(...results.map((r) => (r.ok ? toOutcome(201, r.receipt) : toOutcome(400, r))));
      }
      return out;
    },
    async submitOne(submission) {
      const res = await client.post('/v1/entries', { entry: submission.entry, ...(submission.basket ? { basket: submission.basket } : {}) });
      return toOutcome(res.status, res.body);
    },
    async accountExists(id) {
      return (await client.get(`/v1/accounts/${encodeURIComponent(id)}`)).status === 200;
    },
    async balanceCents(id, asset) {
      const res = await client.get(`/v1/accounts/${encodeURIComponent(id)}`);
      if (res.status !== 200) return 0;
      return (res.body as { balances: Record<string, number> }).balances[asset] ?? 0;
    },
    async rulesPublished(territory) {
      return (await client.get(`/v1/rules/${encodeURIComponent(territory)}`)).status === 200;
    },
  };
}
