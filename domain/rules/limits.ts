/**
 * Every bound of the rules area in one place: what a rules document may hold and what one basket may
 * be. A rules document comes from a committee's editor and a basket from a till: both are untrusted.
 */

/** A rules document file; the fixtures are about 10 KB. */
export const rulesBytesMax = 2 * 1024 * 1024;
export const rulesShopsMax = 500;
/** Products on one shop's approved list. */
export const approvedProductsMax = 20_000;
/** Entries of any other list in a document (categories, communes, departments, registry, seasons). */
export const rulesListMax = 1000;
export const tiersMax = 8;
export const contributionGridRowsMax = 32;
export const producerFloorsMax = 64;
/** Lines of one basket: a big weekly shop is under 100. */
export const basketLinesMax = 500;
/** Pieces of one product on one line. */
export const lineQuantityMax = 999;
/** Grams on one weighed line: 100 kg. */
export const lineWeightGramsMax = 100_000;
/** A whole basket; equal to money.ts amountCentsMax so that a basket total is always a valid posting. */
export const basketTotalCentsMax = 1_000_000_000;
/** 100 % in basis points. */
export const shareBasisPointsFull = 10_000;
/** Text shown to people (names, committee). */
export const rulesTextCharsMax = 200;

// The limits must fit together: the most expensive line times a full share stays an exact integer.
if (basketTotalCentsMax * shareBasisPointsFull * 2 > Number.MAX_SAFE_INTEGER) throw new Error('rules limits overflow');
if (10_000_000 * lineWeightGramsMax * 2 > Number.MAX_SAFE_INTEGER) throw new Error('weighed line price overflows');
