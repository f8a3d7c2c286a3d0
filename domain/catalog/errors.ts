import { defineErrors, errorFactory } from '../error-spec.js';

/**
 * The catalogue's error catalogue. Import problems are reported per line with one of the `CATALOG_`
 * codes below and the import as a whole fails with `CATALOG_INVALID`: a catalogue applies whole or not
 * at all.
 */
export const catalogErrors = defineErrors({
  CATALOG_INVALID: { status: 422, fr: 'catalogue refusé : aucune ligne importée', en: 'catalogue refused: nothing imported' },
  CATALOG_TOO_LARGE: { status: 413, fr: 'fichier de catalogue trop volumineux', en: 'catalogue file too large' },
  CATALOG_TOO_MANY_PRODUCTS: { status: 413, fr: 'trop de produits dans le catalogue', en: 'too many products in the catalogue' },
  CATALOG_UNREADABLE: { status: 400, fr: 'fichier de catalogue illisible', en: 'catalogue file cannot be read' },
  CATALOG_BAD_ENCODING: { status: 400, fr: 'encodage du fichier non reconnu (UTF-8 ou Windows-1252 attendu)', en: 'unrecognised file encoding (UTF-8 or Windows-1252 expected)' },
  CATALOG_BAD_FORMAT: { status: 400, fr: 'format de catalogue non reconnu', en: 'unrecognised catalogue format' },
  CATALOG_MISSING_COLUMN: { status: 400, fr: 'colonne obligatoire absente', en: 'required column missing' },
  CATALOG_DUPLICATE_COLUMN: { status: 400, fr: 'colonne en double', en: 'duplicate column' },
  CATALOG_BAD_CSV: { status: 400, fr: 'ligne CSV mal formée', en: 'malformed CSV line' },
  CATALOG_BAD_BARCODE: { status: 400, fr: 'code-barres invalide', en: 'invalid barcode' },
  CATALOG_BAD_CHECK_DIGIT: { status: 400, fr: 'clé de contrôle du code-barres fausse', en: 'wrong barcode check digit' },
  CATALOG_DUPLICATE_CODE: { status: 400, fr: 'code-barres en double', en: 'duplicate barcode' },
  CATALOG_BAD_PRICE: { status: 400, fr: 'prix invalide', en: 'invalid price' },
  CATALOG_BAD_UNIT: { status: 400, fr: 'unité invalide (pièce ou kg)', en: 'invalid unit (piece or kg)' },
  CATALOG_BAD_VAT: { status: 400, fr: 'taux de TVA invalide', en: 'invalid VAT rate' },
  CATALOG_BAD_FIELD: { status: 400, fr: 'valeur invalide', en: 'invalid value' },
  CATALOG_UNKNOWN_CODE: { status: 404, fr: 'produit inconnu dans le catalogue', en: 'product not in the catalogue' },
  CATALOG_BAD_SCAN: { status: 400, fr: 'code scanné illisible', en: 'unreadable scanned code' },
});

export type CatalogErrorCode = keyof typeof catalogErrors;

export const catalogFail = errorFactory(catalogErrors);
