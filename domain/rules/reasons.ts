import type { Texts } from '../lang.js';

/**
 * Why a product is or is not paid by the caisse, in words a shopkeeper and a member understand. Codes
 * are stable (tests, receipts and `caisse rules explain --json` use them); the text is French first.
 * A reason is `for` (it makes the product eligible or describes its share) or `against` (any one of
 * these makes it ineligible).
 */
export interface Reason {
  readonly code: ReasonCode;
  readonly effect: 'for' | 'against' | 'pricing';
  readonly fr: string;
  readonly en: string;
}

export const reasonCodes = [
  'SHOP_NOT_APPROVED',
  'NOT_APPROVED',
  'ALCOHOL',
  'NON_FOOD',
  'OUT_OF_SEASON',
  'SHOP_DENIED',
  'WHOLE_SHOP',
  'APPROVED_LIST',
  'SHOP_ALLOWED',
  'ORGANIC',
  'LOCAL',
  'PEASANT',
  'IN_SEASON',
  'PRICING_WHOLE',
  'PRICING_SHARE',
  'PRICING_TIER',
  'PRICING_PRODUCER_FLOOR',
  'BALANCE_EXHAUSTED',
] as const;
export type ReasonCode = (typeof reasonCodes)[number];

const monthNames: Texts[] = [
  { fr: 'janvier', en: 'January' }, { fr: 'février', en: 'February' }, { fr: 'mars', en: 'March' },
  { fr: 'avril', en: 'April' }, { fr: 'mai', en: 'May' }, { fr: 'juin', en: 'June' },
  { fr: 'juillet', en: 'July' }, { fr: 'août', en: 'August' }, { fr: 'septembre', en: 'September' },
  { fr: 'octobre', en: 'October' }, { fr: 'novembre', en: 'November' }, { fr: 'décembre', en: 'December' },
];

export function monthName(month: number): Texts {
  const name = monthNames[month - 1];
  if (name === undefined) throw new RangeError(`month ${month}`);
  return name;
}

/** "70 %" / "70%", with up to two decimals when the share is not a whole percent. */
export function percentText(shareBasisPoints: number): Texts {
  const whole = Math.trunc(shareBasisPoints / 100);
  const frac = shareBasisPoints % 100;
  const fr = frac === 0 ? `${whole}` : `${whole},${String(frac).padStart(2, '0').replace(/0$/, '')}`;
  return { fr: `${fr} %`, en: `${fr.replace(',', '.')}%` };
}

function euros(cents: number): Texts {
  const e = `${Math.trunc(cents / 100)}`;
  const c = String(cents % 100).padStart(2, '0');
  return { fr: `${e},${c} €`, en: `€${e}.${c}` };
}

const against = (code: ReasonCode, fr: string, en: string): Reason => ({ code, effect: 'against', fr, en });
const forReason = (code: ReasonCode, fr: string, en: string): Reason => ({ code, effect: 'for', fr, en });
const pricing = (code: ReasonCode, fr: string, en: string): Reason => ({ code, effect: 'pricing', fr, en });

/** Builders of every reason; the only place their words are written. */
export const reasons = {
  shopNotApproved: (): Reason => against('SHOP_NOT_APPROVED', 'commerce non conventionné', 'shop not approved'),
  notApproved: (): Reason => against('NOT_APPROVED', 'non conventionné', 'product not approved'),
  alcoholAbv: (abvBasisPoints: number): Reason => {
    const p = percentText(abvBasisPoints);
    return against('ALCOHOL', `boisson alcoolisée (${p.fr.replace(' %', ' % vol.')})`, `alcoholic drink (${p.en} ABV)`);
  },
  alcoholCategory: (category: string): Reason => against('ALCOHOL', `boisson alcoolisée (${category})`, `alcoholic drink (${category})`),
  nonFood: (): Reason => against('NON_FOOD', 'produit non alimentaire', 'non-food product'),
  outOfSeason: (month: number): Reason => {
    const m = monthName(month);
    return against('OUT_OF_SEASON', `hors saison (${m.fr})`, `out of season (${m.en})`);
  },
  shopDeniedCode: (): Reason => against('SHOP_DENIED', 'exclu pour ce commerce', 'excluded for this shop'),
  shopDeniedCategory: (category: string): Reason => against('SHOP_DENIED', `catégorie exclue pour ce commerce (${category})`, `category excluded for this shop (${category})`),
  wholeShop: (): Reason => forReason('WHOLE_SHOP', 'commerce entièrement conventionné', 'whole shop approved'),
  approvedList: (): Reason => forReason('APPROVED_LIST', 'produit conventionné', 'approved product'),
  shopAllowedCode: (): Reason => forReason('SHOP_ALLOWED', 'autorisé pour ce commerce', 'allowed for this shop'),
  shopAllowedCategory: (category: string): Reason => forReason('SHOP_ALLOWED', `catégorie autorisée pour ce commerce (${category})`, `category allowed for this shop (${category})`),
  organic: (label: string): Reason => forReason('ORGANIC', `bio (${label})`, `organic (${label})`),
  localDepartment: (department: string): Reason => forReason('LOCAL', `local (département ${department})`, `local (département ${department})`),
  localCommune: (commune: string): Reason => forReason('LOCAL', `local (${commune})`, `local (${commune})`),
  localDistance: (km: number): Reason => forReason('LOCAL', `local (à ${km} km)`, `local (${km} km away)`),
  peasant: (name: string): Reason => forReason('PEASANT', `producteur paysan (${name})`, `peasant producer (${name})`),
  inSeason: (month: number): Reason => {
    const m = monthName(month);
    return forReason('IN_SEASON', `de saison (${m.fr})`, `in season (${m.en})`);
  },
  pricingWhole: (): Reason => pricing('PRICING_WHOLE', 'prix entier payé par la caisse', 'whole price paid by the caisse'),
  pricingShare: (shareBasisPoints: number): Reason => {
    const p = percentText(shareBasisPoints);
    return pricing('PRICING_SHARE', `la caisse paie ${p.fr}`, `the caisse pays ${p.en}`);
  },
  pricingTier: (tier: number, shareBasisPoints: number): Reason => {
    const p = percentText(shareBasisPoints);
    return pricing('PRICING_TIER', `palier ${tier} : la caisse paie ${p.fr}`, `tier ${tier}: the caisse pays ${p.en}`);
  },
  pricingFloor: (floorCentsPerKg: number, memberCentsPerKg: number): Reason => {
    const f = euros(floorCentsPerKg);
    const m = euros(memberCentsPerKg);
    return pricing('PRICING_PRODUCER_FLOOR', `prix plancher producteur ${f.fr}/kg, vous payez ${m.fr}/kg`, `producer floor price ${f.en}/kg, you pay ${m.en}/kg`);
  },
  balanceExhausted: (): Reason => pricing('BALANCE_EXHAUSTED', 'solde de la caisse épuisé', 'caisse balance used up'),
} as const;
