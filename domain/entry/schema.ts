import { z } from 'zod';
import { isCanonicalBase64 } from '../base64.js';
import { accountIdPattern, entryIdPattern, keyIdPattern, tillIdPattern } from '../ids.js';
import { amountCentsMax } from '../money.js';
import { limits } from '../limits.js';

/**
 * The entry body: what a signer authorises. Defined once here; docs/formats/entry.md describes the same
 * bytes for third parties. Every object is strict (an unknown field is refused, not ignored), every
 * number a safe integer, every string bounded.
 */
export const entryFormatVersion = 1;

const text = z.string().min(1).max(limits.textCharsMax);
export const accountIdSchema = z.string().regex(accountIdPattern, 'account id');
export const entryIdSchema = z.string().regex(entryIdPattern, 'entry id (8 to 64 of A-Z a-z 0-9 . _ : -)');
export const keyIdSchema = z.string().regex(keyIdPattern, 'key id (16 hex digits)');
export const tillIdSchema = z.string().regex(tillIdPattern, 'till id');
export const periodSchema = z.string().regex(/^20[0-9]{2}-(0[1-9]|1[0-2])$/, 'period YYYY-MM');
/**
 * Base64 of exactly `bytes` bytes, in its one canonical spelling: the unused low bits of the last
 * digit must be zero, or one signature (or key) could be written several ways and one signed entry
 * have several leaves.
 */
const base64Of = (bytes: number) => z.string().refine((s) => isCanonicalBase64(s, bytes), `canonical base64 of ${bytes} bytes`);
export const base64Sha256Schema = base64Of(32);
export const publicKeySchema = base64Of(32);
export const signatureSchema = base64Of(64);
export const positiveCents = z.int().min(1).max(amountCentsMax);
export const nonNegativeCents = z.int().min(0).max(amountCentsMax);
const timeMs = z.int().min(0).max(8_640_000_000_000_000);

export const assetSchema = z.enum(['CCA', 'MNK']);
export const postingSchema = z.strictObject({
  account: accountIdSchema,
  asset: assetSchema,
  /** Negative: the account is debited (money leaves it); positive: credited. Never zero. */
  amountCents: z.int().min(-amountCentsMax).max(amountCentsMax).refine((v) => v !== 0, 'a posting is never zero'),
});
const postings = z.array(postingSchema).min(2).max(limits.postingsMax);

export const keyRoles = ['ledger', 'committee', 'operator', 'moneko', 'till'] as const;
export const keyRoleSchema = z.enum(keyRoles);
export const keyRegistrationSchema = z.strictObject({
  keyId: keyIdSchema,
  publicKey: publicKeySchema,
  role: keyRoleSchema,
  /** A till key signs for one merchant and one till only. */
  merchant: accountIdSchema.optional(),
  tillId: tillIdSchema.optional(),
  label: text.optional(),
});

export const accountKindSchema = z.enum(['household', 'merchant', 'fund', 'reserve', 'treasury', 'fees']);
export const territorySchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'territory slug');

/** A payment's basket appears only as a salted hash; its lines are kept beside the log, erasable. */
export const basketSummarySchema = z.strictObject({
  hash: base64Sha256Schema,
  lineCount: z.int().min(1).max(limits.basketLinesMax),
  /** Price of the whole basket. */
  totalCents: nonNegativeCents,
  /** What the member paid otherwise (cash, card, Moneko notes): totalCents - amountCents. */
  otherCents: nonNegativeCents,
});

const common = {
  v: z.literal(entryFormatVersion),
  id: entryIdSchema,
  createdAtMs: timeMs,
  memo: text.optional(),
};

/**
 * A log's origin, its name in every checkpoint: a lowercase host-like name and path segments
 * (caisse.example/ledger), which is also a valid note key name. `ledger init` checks it with this.
 */
export const originSchema = z
  .string()
  .max(120)
  .regex(/^[a-z0-9][a-z0-9.-]*(\/[a-z0-9._-]+)*$/, 'lowercase letters, digits, dots and dashes, then /segments (caisse.example/ledger)');

export const genesisBody = z.strictObject({
  ...common,
  type: z.literal('ledger.genesis'),
  origin: originSchema,
  /**
   * The ledger's clock window, when it is not limits.clockWindowMsDefault: in the signed log, so that
   * an auditor replays the offline flags with the window the ledger applied, whoever serves the log.
   */
  clockWindowMs: z.int().min(1000).max(limits.offlineAgeMsMax).optional(),
  keys: z.array(keyRegistrationSchema).min(1).max(16),
});
export const keyRegisterBody = z.strictObject({ ...common, type: z.literal('key.register'), key: keyRegistrationSchema });
export const keyRevokeBody = z.strictObject({ ...common, type: z.literal('key.revoke'), keyId: keyIdSchema, reason: text });
export const accountOpenBody = z.strictObject({
  ...common,
  type: z.literal('account.open'),
  account: z.strictObject({
    id: accountIdSchema,
    kind: accountKindSchema,
    territory: territorySchema.optional(),
    /** Public name of a shop or fund; households never carry one (their ids are pseudonyms). */
    label: text.optional(),
  }),
});
export const accountCloseBody = z.strictObject({ ...common, type: z.literal('account.close'), accountId: accountIdSchema, reason: text });
export const allowanceIssueBody = z.strictObject({
  ...common,
  type: z.literal('allowance.issue'),
  period: periodSchema,
  postings,
});
export const paymentBody = z.strictObject({
  ...common,
  type: z.literal('payment'),
  payer: accountIdSchema,
  merchant: accountIdSchema,
  tillId: tillIdSchema,
  /** The till's own gapless ticket number (French till law asks for one). */
  ticket: z.int().min(1).max(1_000_000_000),
  amountCents: positiveCents,
  rulesVersion: z.string().min(1).max(80),
  basket: basketSummarySchema,
  /** Set by a till that took the payment while it could not reach the ledger. */
  offline: z.literal(true).optional(),
  postings,
});
export const refundBody = z.strictObject({
  ...common,
  type: z.literal('refund'),
  payment: entryIdSchema,
  tillId: tillIdSchema,
  amountCents: positiveCents,
  reason: text,
  offline: z.literal(true).optional(),
  postings,
});
export const settlementBody = z.strictObject({
  ...common,
  type: z.literal('settlement'),
  merchant: accountIdSchema,
  period: periodSchema,
  amountCents: positiveCents,
  postings,
});
export const monekoIssueBody = z.strictObject({
  ...common,
  type: z.literal('moneko.issue'),
  amountCents: positiveCents,
  /** The bank transfer that brought the euros into the guarantee fund. */
  reference: text,
  postings,
});
export const monekoRedeemBody = z.strictObject({
  ...common,
  type: z.literal('moneko.redeem'),
  amountCents: positiveCents,
  reference: text,
  postings,
});
export const contributionBody = z.strictObject({
  ...common,
  type: z.literal('contribution'),
  household: accountIdSchema,
  period: periodSchema,
  amountCents: positiveCents,
  reference: text,
  postings,
});
export const transferBody = z.strictObject({ ...common, type: z.literal('transfer'), reason: text, postings });
export const correctionBody = z.strictObject({
  ...common,
  type: z.literal('correction'),
  corrects: entryIdSchema,
  reason: text,
  postings,
});
export const rulesPublishBody = z.strictObject({
  ...common,
  type: z.literal('rules.publish'),
  territory: territorySchema,
  version: z.string().min(1).max(80),
  /** SHA-256 of the JCS bytes of the rules document, hex (domain/rules/compile.ts rulesDocumentHash). */
  documentHash: z.string().regex(/^[0-9a-f]{64}$/, 'hex SHA-256'),
  /** The whole document, so that a till that fetches the entry has everything it needs. */
  document: z.record(z.string(), z.unknown()),
});

export const entryBodySchema = z.discriminatedUnion('type', [
  genesisBody,
  keyRegisterBody,
  keyRevokeBody,
  accountOpenBody,
  accountCloseBody,
  allowanceIssueBody,
  paymentBody,
  refundBody,
  settlementBody,
  monekoIssueBody,
  monekoRedeemBody,
  contributionBody,
  transferBody,
  correctionBody,
  rulesPublishBody,
]);

export const entrySignatureSchema = z.strictObject({ keyId: keyIdSchema, signature: signatureSchema });
export const signedEntrySchema = z.strictObject({
  body: entryBodySchema,
  signatures: z.array(entrySignatureSchema).min(1).max(limits.signaturesMax),
});

export type EntryBody = z.infer<typeof entryBodySchema>;
export type EntryType = EntryBody['type'];
export type Posting = z.infer<typeof postingSchema>;
export type KeyRole = (typeof keyRoles)[number];
export type KeyRegistration = z.infer<typeof keyRegistrationSchema>;
export type EntrySignature = z.infer<typeof entrySignatureSchema>;
export type SignedEntry = z.infer<typeof signedEntrySchema>;
export type BodyOf<T extends EntryType> = Extract<EntryBody, { type: T }>;
export const entryTypes = entryBodySchema.options.map((o) => o.shape.type.value) as readonly EntryType[];
