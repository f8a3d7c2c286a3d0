import { defineErrors, errorFactory } from '../../domain/error-spec.js';

/**
 * Errors of the shop owner's and operator's reports (`caisse report …`, `caisse settle`): the daily
 * closure (Z report) and the merchant settlement with its statement. Codes are part of the API: a
 * retired code is never reused.
 */
export const reportErrors = defineErrors({
  REPORT_BAD_DATE: { status: 400, fr: 'Date invalide : attendu AAAA-MM-JJ, une date du calendrier', en: 'Invalid date: expected YYYY-MM-DD, a calendar date' },
  REPORT_BAD_PERIOD: { status: 400, fr: 'Période invalide : attendu AAAA-MM, un mois déjà commencé', en: 'Invalid period: expected YYYY-MM, a month already begun' },
  REPORT_UNKNOWN_MERCHANT: { status: 404, fr: 'Commerce inconnu du registre', en: 'Merchant unknown to the ledger' },
  REPORT_UNKNOWN_TILL: { status: 404, fr: 'Caisse enregistreuse inconnue pour ce commerce', en: 'Till unknown for this merchant' },
  REPORT_NO_SALES: { status: 404, fr: 'Aucune vente ni remboursement ce jour-là : pas de clôture', en: 'No sale nor refund that day: nothing to close' },
  REPORT_NOTHING_TO_SETTLE: { status: 409, fr: 'Rien à régler : le solde CCA du commerce est nul', en: 'Nothing to settle: the merchant holds no CCA' },
  REPORT_NOT_SETTLED: { status: 404, fr: "Aucun règlement de ce commerce pour cette période", en: 'No settlement of this merchant for this period' },
  REPORT_TOO_MANY_ROWS: { status: 413, fr: 'Rapport trop long pour être imprimé', en: 'Report too long to print' },
});

export type ReportErrorCode = keyof typeof reportErrors;
export const reportError = errorFactory(reportErrors);
