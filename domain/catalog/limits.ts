/**
 * Every bound of the catalogue area in one place. A catalogue comes from a shop's own till export, so
 * each dimension that can grow is capped: a file past these limits is refused with a clear error rather
 * than slowly parsed into memory.
 */

/** A real shop export is a few hundred kilobytes; 20 MiB leaves room for 50 000 long lines. */
export const catalogBytesMax = 20 * 1024 * 1024;
/** Products in one shop's catalogue. */
export const catalogProductsMax = 50_000;
/** One CSV record (a line, or several physical lines inside quotes). */
export const csvRecordCharsMax = 4096;
/** Columns in one CSV record. */
export const csvFieldsMax = 64;
/** Issues collected before an import stops listing them (the import fails anyway). */
export const importIssuesMax = 100;
/** A product name as it is shown on receipts and shelf labels. */
export const productNameCharsMax = 120;
/** Producer names and communes. */
export const placeNameCharsMax = 80;
/** Labels and categories per product, after expansion to their taxonomy parents. */
export const productLabelsMax = 16;
export const productCategoriesMax = 16;
/** A taxonomy id such as `en:alcoholic-beverages`. */
export const taxonomyIdCharsMax = 64;
/** One piece or one kilogram: 100 000 EUR is far above any food product and far below 2^53 cents. */
export const unitPriceCentsMax = 10_000_000;
/** Shop-internal codes: a letter then letters, digits and dashes. */
export const internalCodeCharsMax = 20;
/** Shelf labels per PDF. */
export const shelfLabelsMax = 5000;

// The limits must fit together: the largest catalogue of the longest records fits in the byte limit.
if (catalogProductsMax * 100 > catalogBytesMax) throw new Error('catalogue limits do not fit together');
if (productNameCharsMax >= csvRecordCharsMax) throw new Error('a product name must fit in a CSV record');
