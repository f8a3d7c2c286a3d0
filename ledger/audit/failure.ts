import { CaisseError } from '../../domain/error-spec.js';
import { auditErrors, type AuditErrorCode } from './errors.js';

/**
 * A failed audit: a catalogued code and where it was found, as fields a program can read (the log
 * index, the account, the ledger rule that applyEntry refused, the checkpoint size) and in the detail
 * that the CLI prints.
 */
export interface FailureWhere {
  readonly index?: number;
  readonly account?: string;
  /** For AUDIT_RULE_VIOLATION: the LEDGER_… code that applyEntry threw. */
  readonly ledgerCode?: string;
  /** For checkpoint failures: the tree size of the checkpoint at fault. */
  readonly size?: number;
}

export class AuditFailure extends CaisseError {
  readonly index: number | undefined;
  readonly account: string | undefined;
  readonly ledgerCode: string | undefined;
  readonly size: number | undefined;

  constructor(code: AuditErrorCode, where: FailureWhere, detail: string) {
    super(code, auditErrors[code], [placeOf(where), detail].filter((s) => s !== '').join(': '));
    this.name = 'AuditFailure';
    this.index = where.index;
    this.account = where.account;
    this.ledgerCode = where.ledgerCode;
    this.size = where.size;
  }
}

function placeOf(where: FailureWhere): string {
  const parts: string[] = [];
  if (where.index !== undefined) parts.push(`index ${where.index}`);
  if (where.account !== undefined) parts.push(`account ${where.account}`);
  if (where.size !== undefined) parts.push(`tree size ${where.size}`);
  if (where.ledgerCode !== undefined) parts.push(where.ledgerCode);
  return parts.join(', ');
}

export function auditFailure(code: AuditErrorCode, where: FailureWhere, detail = ''): AuditFailure {
  return new AuditFailure(code, where, detail);
}
