import { defineErrors, errorFactory } from '../domain/error-spec.js';

/**
 * The ledger's error catalogue. Codes are part of the API (docs/ERRORS.md): a retired code is never
 * reused. Each answer names what was wrong in its detail (a field path, an account, an index).
 */
export const ledgerErrors = defineErrors({
  LEDGER_BAD_JSON: { status: 400, fr: 'Corps de requête JSON illisible', en: 'Request body is not valid JSON' },
  LEDGER_BODY_TOO_LARGE: { status: 413, fr: 'Corps de requête trop volumineux', en: 'Request body too large' },
  LEDGER_HEADERS_TOO_LARGE: { status: 431, fr: 'Adresse ou en-têtes de requête trop longs', en: 'Request line or headers too large' },
  LEDGER_REQUEST_TIMEOUT: { status: 408, fr: 'Requête arrivée trop lentement : connexion fermée', en: 'The request took too long to arrive: connection closed' },
  LEDGER_UNSUPPORTED_MEDIA_TYPE: { status: 415, fr: 'Le corps doit être du JSON (application/json)', en: 'Body must be JSON (application/json)' },
  LEDGER_INVALID_ENTRY: { status: 400, fr: 'Écriture mal formée', en: 'Malformed entry' },
  LEDGER_UNSAFE_INTEGER: { status: 400, fr: 'Nombre non entier ou au-delà de 2^53', en: 'Number is not an integer or is past 2^53' },
  LEDGER_AMOUNT_OUT_OF_RANGE: { status: 400, fr: 'Montant hors limites', en: 'Amount out of range' },
  LEDGER_BAD_SIGNATURE: { status: 400, fr: 'Signature invalide', en: 'Invalid signature' },
  LEDGER_UNKNOWN_KEY: { status: 403, fr: 'Clé de signature inconnue', en: 'Unknown signing key' },
  LEDGER_KEY_REVOKED: { status: 403, fr: 'Clé de signature révoquée', en: 'Signing key has been revoked' },
  LEDGER_NOT_AUTHORISED: { status: 403, fr: "Cette clé n'est pas autorisée à signer cette opération", en: 'This key may not sign this operation' },
  LEDGER_TILL_MISMATCH: { status: 403, fr: "La caisse enregistreuse n'appartient pas à ce commerce", en: 'The till does not belong to this merchant' },
  LEDGER_UNBALANCED: { status: 400, fr: 'Écriture déséquilibrée : la somme par actif doit être nulle', en: 'Unbalanced entry: postings must sum to zero per asset' },
  LEDGER_BAD_POSTINGS: { status: 400, fr: "Imputations incompatibles avec le type d'opération", en: 'Postings do not match the operation type' },
  LEDGER_DUPLICATE_POSTING: { status: 400, fr: 'Compte imputé deux fois pour le même actif', en: 'Account posted twice for the same asset' },
  LEDGER_ASSET_NOT_HELD: { status: 400, fr: 'Ce type de compte ne détient pas cet actif', en: 'This kind of account does not hold this asset' },
  LEDGER_OVERDRAFT: { status: 409, fr: 'Solde insuffisant', en: 'Insufficient balance' },
  LEDGER_UNKNOWN_ACCOUNT: { status: 409, fr: 'Compte inconnu', en: 'Unknown account' },
  LEDGER_ACCOUNT_EXISTS: { status: 409, fr: 'Ce compte existe déjà', en: 'Account already exists' },
  LEDGER_ACCOUNT_CLOSED: { status: 409, fr: 'Compte clôturé', en: 'Account is closed' },
  LEDGER_ACCOUNT_NOT_EMPTY: { status: 409, fr: "Le compte n'est pas à zéro", en: 'Account balance is not zero' },
  LEDGER_ID_CONFLICT: { status: 409, fr: 'Identifiant déjà utilisé pour une autre écriture', en: 'Entry id already used for a different entry' },
  LEDGER_CLOCK_SKEW: { status: 400, fr: "Date de création hors de la fenêtre d'horloge acceptée", en: 'Creation time outside the accepted clock window' },
  LEDGER_ALLOWANCE_ALREADY_ISSUED: { status: 409, fr: 'Allocation déjà versée à ce foyer pour ce mois', en: 'Allowance already issued to this household for this period' },
  LEDGER_UNKNOWN_PAYMENT: { status: 409, fr: 'Paiement à rembourser introuvable', en: 'Payment to refund not found' },
  LEDGER_REFUND_EXCEEDS_PAYMENT: { status: 409, fr: 'Le remboursement dépasse le paiement', en: 'Refund exceeds the payment' },
  LEDGER_BASKET_MISMATCH: { status: 400, fr: "Le panier ne correspond pas à l'empreinte ou aux montants déclarés", en: 'Basket does not match its hash or the declared amounts' },
  LEDGER_UNKNOWN_CORRECTED_ENTRY: { status: 409, fr: 'Écriture corrigée introuvable', en: 'Corrected entry not found' },
  LEDGER_CONFIG_MISMATCH: {
    status: 500,
    fr: "La configuration (ledger.json) n'est pas celle que l'écriture de genèse du journal a fixée (origine, fenêtre d'horloge)",
    en: "The configuration (ledger.json) is not what the log's genesis entry set (origin, clock window)",
  },
  LEDGER_CONFIG_INVALID: {
    status: 500,
    fr: "La configuration du registre (ledger.json) est illisible ou invalide",
    en: "The ledger's configuration (ledger.json) is unreadable or invalid",
  },
  LEDGER_DATABASE_UNREADABLE: {
    status: 500,
    fr: "La base de données du registre ne peut pas être ouverte (fichier endommagé, d'un autre format, ou droits insuffisants) : restaurez-la depuis une sauvegarde",
    en: "The ledger's database cannot be opened (a damaged file, another format, or missing permissions): restore it from a backup",
  },
  LEDGER_SCHEMA_MISMATCH: {
    status: 500,
    fr: "La base de données a été écrite par une autre version du programme (schéma différent) : utilisez cette version-là",
    en: 'The database was written by another version of the program (another schema): use that version',
  },
  LEDGER_GENESIS: { status: 409, fr: "L'écriture de genèse n'est admise qu'en tête du journal", en: 'The genesis entry is only allowed as the first entry' },
  LEDGER_BATCH_TOO_LARGE: { status: 413, fr: 'Lot trop grand', en: 'Batch too large' },
  LEDGER_NOT_FOUND: { status: 404, fr: 'Introuvable', en: 'Not found' },
  LEDGER_NO_LEDGER: { status: 404, fr: 'Aucun registre dans ce dossier (caisse ledger init --data DOSSIER pour en créer un)', en: 'No ledger in this directory (caisse ledger init --data DIR creates one)' },
  LEDGER_ALREADY_INITIALISED: { status: 409, fr: 'Ce dossier contient déjà un registre', en: 'This directory already holds a ledger' },
  LEDGER_BAD_QUERY: { status: 400, fr: 'Paramètres de requête invalides', en: 'Invalid query parameters' },
  LEDGER_UNAUTHENTICATED: { status: 401, fr: 'Authentification requise', en: 'Authentication required' },
  LEDGER_OVERLOADED: { status: 503, fr: 'Registre surchargé, réessayez', en: 'Ledger overloaded, retry' },
  LEDGER_INTERNAL: { status: 500, fr: 'Erreur interne du registre', en: 'Internal ledger error' },
});

export type LedgerErrorCode = keyof typeof ledgerErrors;
export const ledgerError = errorFactory(ledgerErrors);
