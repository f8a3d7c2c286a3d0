import { defineErrors, errorFactory } from '../error-spec.js';

/** The rules area's error catalogue (conventionnement documents, signatures, basket evaluation). */
export const rulesErrors = defineErrors({
  RULES_INVALID: { status: 422, fr: 'document de règles invalide', en: 'invalid rules document' },
  RULES_TOO_LARGE: { status: 413, fr: 'document de règles trop volumineux', en: 'rules document too large' },
  RULES_UNREADABLE: { status: 400, fr: 'fichier de règles illisible', en: 'rules file cannot be read' },
  RULES_BAD_SIGNATURE: { status: 401, fr: 'signature du comité invalide', en: 'invalid committee signature' },
  RULES_UNTRUSTED_KEY: { status: 403, fr: 'clé de signature inconnue du comité', en: 'signing key not trusted for this committee' },
  RULES_NOT_IN_FORCE: { status: 409, fr: 'règles pas encore en vigueur à cette date', en: 'rules not yet in force at that time' },
  RULES_BAD_BASKET: { status: 400, fr: 'panier invalide', en: 'invalid basket' },
  RULES_BASKET_TOO_LARGE: { status: 413, fr: 'panier trop grand', en: 'basket too large' },
  RULES_BAD_TIER: { status: 400, fr: 'palier solidaire inconnu', en: 'unknown solidarity tier' },
  RULES_UNKNOWN_SHOP: { status: 404, fr: 'commerce absent des règles', en: 'shop not in the rules' },
});

export type RulesErrorCode = keyof typeof rulesErrors;

export const rulesFail = errorFactory(rulesErrors);
