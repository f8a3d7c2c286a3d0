import { defineErrors, errorFactory } from '../../domain/error-spec.js';

/**
 * The audit's error catalogue (`caisse ledger verify`). Codes are part of the API (docs/AUDIT.md and
 * docs/ERRORS.md): a retired code is never reused. Every failure names where it was found in its detail:
 * the log index, the account, the checkpoint size.
 */
export const auditErrors = defineErrors({
  AUDIT_BAD_SIGNATURE: {
    status: 422,
    fr: "Signature invalide : l'écriture a été modifiée ou mal signée",
    en: 'Invalid signature: the entry was altered or badly signed',
  },
  AUDIT_LEAF_MALFORMED: {
    status: 422,
    fr: "Feuille du journal illisible, hors format ou pas sous forme canonique (JCS)",
    en: 'Log leaf unreadable, off format or not in canonical (JCS) form',
  },
  AUDIT_INDEX_MISMATCH: {
    status: 422,
    fr: "L'indice inscrit dans la feuille ne correspond pas à sa position dans le journal",
    en: 'The index written in the leaf does not match its position in the log',
  },
  AUDIT_ROW_MISMATCH: {
    status: 422,
    fr: "Les colonnes stockées d'une écriture (identifiant, type, heure, empreinte) ne correspondent pas à sa feuille",
    en: "An entry's stored columns (id, type, time, body hash) do not match its leaf",
  },
  AUDIT_DUPLICATE_ID: {
    status: 422,
    fr: "Un même identifiant d'écriture figure deux fois dans le journal : une demande appliquée deux fois",
    en: 'One entry id appears twice in the log: a request applied twice',
  },
  AUDIT_TEMP_UNWRITABLE: {
    status: 500,
    fr: "Impossible d'écrire les fichiers temporaires de la vérification (dossier temporaire absent, plein ou en lecture seule)",
    en: "Cannot write the audit's temporary files (temporary directory missing, full or read-only)",
  },
  AUDIT_RULE_VIOLATION: {
    status: 422,
    fr: 'Une écriture du journal enfreint une règle du registre',
    en: 'A log entry breaks a ledger rule',
  },
  AUDIT_FLAGS_MISMATCH: {
    status: 422,
    fr: "Le marqueur « hors ligne » d'une écriture ne correspond pas à ses dates",
    en: "An entry's offline flag does not match its times",
  },
  AUDIT_LOOKUP_INVALID: {
    status: 422,
    fr: "L'écriture renvoyée pour un identifiant ne correspond pas au journal",
    en: 'The entry returned for an id does not match the log',
  },
  AUDIT_LOG_TRUNCATED: {
    status: 422,
    fr: 'Le journal a moins de feuilles que son dernier point de contrôle signé',
    en: 'The log holds fewer leaves than its latest signed checkpoint',
  },
  AUDIT_ROOT_MISMATCH: {
    status: 422,
    fr: "La racine de Merkle recalculée ne correspond pas à celle du point de contrôle signé",
    en: 'The recomputed Merkle root does not match the signed checkpoint',
  },
  AUDIT_NODE_MISMATCH: {
    status: 422,
    fr: "Un nœud stocké de l'arbre de Merkle ne correspond pas aux feuilles",
    en: 'A stored Merkle tree node does not match the leaves',
  },
  AUDIT_CHECKPOINT_INVALID: {
    status: 422,
    fr: 'Point de contrôle invalide (signature, origine ou format)',
    en: 'Invalid checkpoint (signature, origin or format)',
  },
  AUDIT_CHECKPOINT_MISSING: {
    status: 422,
    fr: 'Aucun point de contrôle signé : rien à vérifier',
    en: 'No signed checkpoint: nothing to verify against',
  },
  AUDIT_INCONSISTENT_CHECKPOINT: {
    status: 422,
    fr: "Le journal n'est pas la suite du point de contrôle enregistré : l'historique a été réécrit",
    en: 'The log does not extend the saved checkpoint: history was rewritten',
  },
  AUDIT_BALANCE_MISMATCH: {
    status: 422,
    fr: 'Un solde stocké diffère du solde recalculé depuis le journal',
    en: 'A stored balance differs from the balance replayed from the log',
  },
  AUDIT_STATE_MISMATCH: {
    status: 422,
    fr: "L'état stocké (comptes, clés, remboursements) diffère de celui recalculé depuis le journal",
    en: 'The stored state (accounts, keys, refunds) differs from the state replayed from the log',
  },
  AUDIT_SOURCE_UNAVAILABLE: {
    status: 502,
    fr: 'Registre injoignable ou réponse inattendue',
    en: 'Ledger unreachable or unexpected answer',
  },
  AUDIT_LEDGER_BUSY: {
    status: 503,
    fr: "Le registre n'a cessé d'écrire pendant la comparaison des soldes ; relancez la vérification",
    en: 'The ledger kept writing while balances were compared; run the audit again',
  },
});

export type AuditErrorCode = keyof typeof auditErrors;
export const auditError = errorFactory(auditErrors);
