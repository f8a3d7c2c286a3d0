import { defineErrors, errorFactory } from '../../domain/error-spec.js';

/**
 * Error catalogue of the transparency-log layer: Merkle proofs, tree storage, signed notes and
 * checkpoints. Codes are part of the API (docs/ERRORS.md): a retired code is never reused. The detail
 * of each error says which index, size, line or key was wrong.
 */
export const merkleErrors = defineErrors({
  LEDGER_PROOF_BAD_RANGE: {
    status: 400,
    fr: "Indice de feuille ou taille d'arbre hors limites pour cette preuve",
    en: 'Leaf index or tree size out of range for this proof',
  },
  LEDGER_PROOF_BAD_LENGTH: {
    status: 422,
    fr: "La preuve n'a pas le nombre de hachages attendu",
    en: 'The proof does not have the expected number of hashes',
  },
  LEDGER_PROOF_BAD_HASH: {
    status: 422,
    fr: "Un hachage de la preuve, de la feuille ou de la racine n'a pas 32 octets",
    en: 'A proof, leaf or root hash is not 32 bytes long',
  },
  LEDGER_PROOF_ROOT_MISMATCH: {
    status: 422,
    fr: 'La preuve ne mène pas à la racine attendue',
    en: 'The proof does not lead to the expected root',
  },
  LEDGER_TREE_NODE_MISSING: {
    status: 500,
    fr: "Un nœud de l'arbre de Merkle manque dans le stockage",
    en: 'A Merkle tree node is missing from storage',
  },
  LEDGER_NOTE_MALFORMED: {
    status: 400,
    fr: 'Note signée mal formée',
    en: 'Malformed signed note',
  },
  LEDGER_NOTE_TOO_LARGE: {
    status: 413,
    fr: 'Note signée trop grande ou avec trop de signatures',
    en: 'Signed note too large or with too many signatures',
  },
  LEDGER_NOTE_BAD_KEY_NAME: {
    status: 400,
    fr: 'Nom de clé invalide (vide, trop long, avec espace ou « + »)',
    en: "Invalid key name (empty, too long, or with a space or '+')",
  },
  LEDGER_NOTE_BAD_VKEY: {
    status: 400,
    fr: 'Clé de vérification mal formée',
    en: 'Malformed verifier key',
  },
  LEDGER_NOTE_AMBIGUOUS_KEY: {
    status: 500,
    fr: 'Deux clés de vérification différentes portent le même nom et le même identifiant',
    en: 'Two different verifier keys share a name and key id',
  },
  LEDGER_NOTE_BAD_SIGNATURE: {
    status: 422,
    fr: "La signature d'une clé connue est invalide : note refusée",
    en: 'A signature from a known key does not verify: note refused',
  },
  LEDGER_NOTE_UNVERIFIED: {
    status: 422,
    fr: "La note ne porte aucune signature d'une clé connue",
    en: 'The note carries no signature from a known key',
  },
  LEDGER_CHECKPOINT_MALFORMED: {
    status: 400,
    fr: 'Point de contrôle mal formé',
    en: 'Malformed checkpoint',
  },
  LEDGER_CHECKPOINT_WRONG_ORIGIN: {
    status: 422,
    fr: "Le point de contrôle vient d'un autre journal (origine inattendue)",
    en: 'The checkpoint comes from another log (unexpected origin)',
  },
  LEDGER_CHECKPOINT_NOT_SIGNED_BY_LOG: {
    status: 422,
    fr: "Le point de contrôle n'est pas signé par la clé du journal",
    en: "The checkpoint is not signed by the log's key",
  },
});

export type MerkleErrorCode = keyof typeof merkleErrors;
export const merkleError = errorFactory(merkleErrors);
