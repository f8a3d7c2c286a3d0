/**
 * Identifiers. Branded so that an account id is not any string; each has one validating constructor.
 *
 * Account ids are pseudonymous for households ("hh:" and random characters): names and card numbers
 * never enter the log (GDPR), so the public log can be audited without learning who bought what.
 */
export type AccountId = string & { readonly __brand: 'AccountId' };
export type EntryId = string & { readonly __brand: 'EntryId' };
export type KeyId = string & { readonly __brand: 'KeyId' };

export const accountKinds = ['household', 'merchant', 'fund', 'reserve', 'treasury', 'fees'] as const;
/**
 * household: a member household's allowance (CCA). merchant: an approved shop (CCA received, MNK paid).
 * fund: the caisse fund, issuer of CCA. reserve: the Moneko reserve, issuer of MNK (its euro guarantee
 * fund sits in ethical banks). treasury: the caisse's Moneko, fed by contributions received. fees: the
 * operator's account.
 */
export type AccountKind = (typeof accountKinds)[number];

/** Each kind has a fixed prefix so that an id says what it is: `hh:`, `shop:`, `fund:`… */
export const accountPrefixByKind: { readonly [K in AccountKind]: string } = {
  household: 'hh',
  merchant: 'shop',
  fund: 'fund',
  reserve: 'reserve',
  treasury: 'treasury',
  fees: 'fees',
};

export const accountIdPattern = /^(hh|shop|fund|reserve|treasury|fees):[a-z0-9][a-z0-9-]{0,39}$/;
export const entryIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,63}$/;
export const keyIdPattern = /^[0-9a-f]{16}$/;
export const tillIdPattern = /^[a-z0-9][a-z0-9-]{0,39}$/;

export function isAccountId(value: string): value is AccountId {
  return accountIdPattern.test(value);
}

export function accountId(value: string): AccountId {
  if (!isAccountId(value)) throw new RangeError(`not an account id: ${JSON.stringify(value)}`);
  return value;
}

export function entryId(value: string): EntryId {
  if (!entryIdPattern.test(value)) throw new RangeError(`not an entry id: ${JSON.stringify(value)}`);
  return value as EntryId;
}

export function accountPrefix(id: string): string {
  return id.slice(0, id.indexOf(':'));
}
