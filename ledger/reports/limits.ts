import { reportRowsMax } from '../../printer/limits.js';

/**
 * Bounds of the reports. A report streams the ledger's rows (memory stays flat however long a shop's
 * history), but what it keeps and prints is bounded here.
 */
export const reportLimits = {
  /** Tills broken down in one shop's closure: the printed view holds at most `reportRowsMax` rows. */
  tillsPerClosureMax: Math.min(64, reportRowsMax),
  /** Days listed on one settlement statement (a merchant left unsettled for more is refused). */
  statementDaysMax: Math.min(400, reportRowsMax),
  /** Distinct business days with activity remembered to number closures: 100 years of trading. */
  activeDaysMax: 36_600,
} as const;

/** Checks that the limits fit together; a failure is a programmer error. */
export function checkReportLimits(): void {
  if (reportLimits.tillsPerClosureMax > reportRowsMax) throw new Error('more tills than the closure view prints');
  if (reportLimits.statementDaysMax > reportRowsMax) throw new Error('more days than the statement view prints');
  if (reportLimits.statementDaysMax < 31) throw new Error('a statement must hold a whole month');
  if (reportLimits.activeDaysMax < reportLimits.statementDaysMax) throw new Error('fewer active days than statement days');
}
