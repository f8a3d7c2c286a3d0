import type { Lang } from '../domain/error-spec.js';
import type { Texts } from '../domain/lang.js';
import type { TenderKind } from './views.js';

/**
 * Everything printed on paper besides the data itself, in French and English. Kept short: the longest
 * label plus an amount ("-10 000 000,00 €") must fit 32 columns.
 */
export const labels = {
  ticket: { fr: 'Ticket n°', en: 'Ticket no.' },
  till: { fr: 'Caisse', en: 'Till' },
  duplicate: { fr: 'DUPLICATA', en: 'DUPLICATE' },
  total: { fr: 'TOTAL', en: 'TOTAL' },
  caissePaid: { fr: 'Payé par la caisse', en: 'Paid by the caisse' },
  paidOtherwise: { fr: 'Payé autrement', en: 'Paid otherwise' },
  tenders: { fr: 'Règlements', en: 'Payments' },
  remaining: { fr: 'Reste du droit', en: 'Allowance left' },
  ledger: { fr: 'Journal n°', en: 'Ledger no.' },
  hash: { fr: 'Empreinte', en: 'Hash' },
  checkQr: { fr: 'Vérifiez ce ticket dans le journal public', en: 'Check this ticket in the public ledger' },
  eligibleShare: { fr: 'payé par la caisse', en: 'paid by the caisse' },
  thanks: { fr: 'Merci et à bientôt !', en: 'Thank you, see you soon!' },
  closureTill: { fr: 'CLÔTURE JOURNALIÈRE (Z) - CAISSE', en: 'DAILY CLOSURE (Z) - TILL' },
  closureShop: { fr: 'CLÔTURE JOURNALIÈRE (Z) - BOUTIQUE', en: 'DAILY CLOSURE (Z) - SHOP' },
  closureNumber: { fr: 'Clôture n°', en: 'Closure no.' },
  businessDate: { fr: 'Journée du', en: 'Business day' },
  printedAt: { fr: 'Édité le', en: 'Printed on' },
  ticketCount: { fr: 'Nombre de tickets', en: 'Tickets' },
  firstTicket: { fr: 'Premier ticket', en: 'First ticket' },
  lastTicket: { fr: 'Dernier ticket', en: 'Last ticket' },
  salesTotal: { fr: 'Total des ventes', en: 'Sales total' },
  caisseTotal: { fr: 'Dont caisse (CCA)', en: 'Of which caisse (CCA)' },
  otherTotal: { fr: 'Dont autres moyens', en: 'Of which other means' },
  byTender: { fr: 'Par moyen de paiement', en: 'By means of payment' },
  refunds: { fr: 'Remboursements', en: 'Refunds' },
  grandTotal: { fr: 'Grand total perpétuel', en: 'Perpetual grand total' },
  reprints: { fr: 'Réimpressions', en: 'Reprints' },
  byTill: { fr: 'Par caisse', en: 'By till' },
  none: { fr: 'aucun', en: 'none' },
  settlementTitle: { fr: 'RELEVÉ DE RÈGLEMENT', en: 'SETTLEMENT STATEMENT' },
  merchantAccount: { fr: 'Compte', en: 'Account' },
  period: { fr: 'Période', en: 'Period' },
  periodTo: { fr: 'au', en: 'to' },
  periodFrom: { fr: 'du', en: 'from' },
  ccaReceived: { fr: 'CCA reçus', en: 'CCA received' },
  mnkPaid: { fr: 'Moneko versés', en: 'Moneko paid' },
  settlementEntry: { fr: 'Écriture de règlement n°', en: 'Settlement entry no.' },
  perDay: { fr: 'Détail par jour', en: 'Per day' },
} as const satisfies Record<string, Texts>;

export const tenderLabels: { readonly [K in TenderKind]: Texts } = {
  cca: { fr: 'Caisse (CCA)', en: 'Caisse (CCA)' },
  mnk: { fr: 'Moneko', en: 'Moneko' },
  cash: { fr: 'Espèces', en: 'Cash' },
  card: { fr: 'Carte bancaire', en: 'Bank card' },
  cheque: { fr: 'Chèque', en: 'Cheque' },
  voucher: { fr: 'Bon', en: 'Voucher' },
  other: { fr: 'Autre', en: 'Other' },
};

export function label(key: keyof typeof labels, lang: Lang): string {
  return labels[key][lang];
}
