import { taxonomyIdCharsMax } from './limits.js';

/**
 * Labels and categories are Open Food Facts taxonomy ids (`en:organic`, `en:wines`), so that catalogues
 * exported by other tools map cleanly. A shop's till export usually has French names instead ("Vins",
 * "AB"): the aliases below map the common ones, and any other text is slugged into an `fr:` id the way
 * Open Food Facts does. Each id is expanded at import to its parents (a wine is an alcoholic beverage),
 * so that the rules never need the taxonomy: they match plain ids against the expanded sets.
 */

export const taxonomyIdPattern = /^[a-z]{2}:[a-z0-9][a-z0-9-]*$/;

/** Parents of the ids the rules care about; a subset of the Open Food Facts hierarchies. */
const categoryParents: Readonly<Record<string, readonly string[]>> = {
  'en:alcoholic-beverages': ['en:beverages'],
  'en:wines': ['en:alcoholic-beverages'],
  'en:red-wines': ['en:wines'],
  'en:white-wines': ['en:wines'],
  'en:rose-wines': ['en:wines'],
  'en:sparkling-wines': ['en:wines'],
  'en:beers': ['en:alcoholic-beverages'],
  'en:ciders': ['en:alcoholic-beverages'],
  'en:spirits': ['en:alcoholic-beverages'],
  'en:non-alcoholic-beverages': ['en:beverages'],
  'en:juices': ['en:non-alcoholic-beverages'],
  'en:fruit-juices': ['en:juices'],
  'en:fresh-vegetables': ['en:vegetables', 'en:fresh-foods'],
  'en:fresh-fruits': ['en:fruits', 'en:fresh-foods'],
  'en:tomatoes': ['en:fresh-vegetables'],
  'en:strawberries': ['en:fresh-fruits'],
  'en:apples': ['en:fresh-fruits'],
  'en:pears': ['en:fresh-fruits'],
  'en:cherries': ['en:fresh-fruits'],
  'en:courgettes': ['en:fresh-vegetables'],
  'en:aubergines': ['en:fresh-vegetables'],
  'en:leeks': ['en:fresh-vegetables'],
  'en:carrots': ['en:fresh-vegetables'],
  'en:potatoes': ['en:fresh-vegetables'],
  'en:cabbages': ['en:fresh-vegetables'],
  'en:salads': ['en:fresh-vegetables'],
  'en:squashes': ['en:fresh-vegetables'],
  'en:asparagus': ['en:fresh-vegetables'],
  'en:green-beans': ['en:fresh-vegetables'],
  'en:onions': ['en:fresh-vegetables'],
  'en:cheeses': ['en:dairies'],
  'en:yogurts': ['en:dairies'],
  'en:milks': ['en:dairies'],
  'en:breads': ['en:cereals-and-their-products'],
  'en:pastas': ['en:cereals-and-their-products'],
  'en:rices': ['en:cereals-and-their-products'],
  'en:flours': ['en:cereals-and-their-products'],
  'en:legumes': ['en:plant-based-foods'],
  'en:nuts': ['en:plant-based-foods'],
  'en:soaps': ['en:non-food-products'],
  'en:cleaning-products': ['en:non-food-products'],
  'en:toilet-paper': ['en:non-food-products'],
  'en:hygiene-products': ['en:non-food-products'],
};

/** Label parents: every organic certification implies the generic `en:organic`. */
const labelParents: Readonly<Record<string, readonly string[]>> = {
  'en:eu-organic': ['en:organic'],
  'fr:ab-agriculture-biologique': ['en:eu-organic'],
  'en:demeter': ['en:organic'],
  'fr:nature-et-progres': ['en:organic'],
  'fr:bio-coherence': ['en:organic'],
};

/** French (and a few English) names found in till exports, keyed by their slug. */
const aliases: Readonly<Record<string, string>> = {
  ab: 'fr:ab-agriculture-biologique',
  bio: 'en:organic',
  'agriculture-biologique': 'fr:ab-agriculture-biologique',
  'eurofeuille': 'en:eu-organic',
  'bio-europeen': 'en:eu-organic',
  'nature-progres': 'fr:nature-et-progres',
  'nature-et-progres': 'fr:nature-et-progres',
  demeter: 'en:demeter',
  hve: 'fr:haute-valeur-environnementale',
  'haute-valeur-environnementale': 'fr:haute-valeur-environnementale',
  'label-rouge': 'fr:label-rouge',
  aop: 'en:pdo',
  igp: 'en:pgi',
  vin: 'en:wines',
  vins: 'en:wines',
  'vin-rouge': 'en:red-wines',
  'vin-blanc': 'en:white-wines',
  'vin-rose': 'en:rose-wines',
  biere: 'en:beers',
  bieres: 'en:beers',
  cidre: 'en:ciders',
  cidres: 'en:ciders',
  'boissons-alcoolisees': 'en:alcoholic-beverages',
  spiritueux: 'en:spirits',
  'jus-de-fruits': 'en:fruit-juices',
  'legumes-frais': 'en:fresh-vegetables',
  'fruits-frais': 'en:fresh-fruits',
  legumes: 'en:vegetables',
  fruits: 'en:fruits',
  fromages: 'en:cheeses',
  fromage: 'en:cheeses',
  yaourts: 'en:yogurts',
  lait: 'en:milks',
  pain: 'en:breads',
  pains: 'en:breads',
  pates: 'en:pastas',
  riz: 'en:rices',
  farines: 'en:flours',
  legumineuses: 'en:legumes',
  'fruits-a-coque': 'en:nuts',
  savon: 'en:soaps',
  savons: 'en:soaps',
  'produits-menagers': 'en:cleaning-products',
  entretien: 'en:cleaning-products',
  'papier-toilette': 'en:toilet-paper',
  hygiene: 'en:hygiene-products',
  'non-alimentaire': 'en:non-food-products',
};

/** Open Food Facts style slug: lower case, accents removed, runs of other characters to one dash. */
export function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' et ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * A taxonomy id from what a catalogue says: an id is kept as it is, a known name is mapped, any other
 * name becomes `fr:<slug>`. Undefined when nothing usable remains.
 */
export function taxonomyId(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const lowered = trimmed.toLowerCase();
  if (taxonomyIdPattern.test(lowered)) return lowered.length <= taxonomyIdCharsMax ? lowered : undefined;
  const s = slug(trimmed);
  if (s === '') return undefined;
  const id = aliases[s] ?? `fr:${s}`;
  return id.length <= taxonomyIdCharsMax ? id : undefined;
}

function expand(ids: readonly string[], parents: Readonly<Record<string, readonly string[]>>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string, depth: number): void => {
    // The tables above are acyclic and shallow; the depth bound guards against a future edit.
    if (depth > 8 || seen.has(id)) return;
    seen.add(id);
    out.push(id);
    for (const parent of parents[id] ?? []) visit(parent, depth + 1);
  };
  for (const id of ids) visit(id, 0);
  return out;
}

/** The categories and all their known parents, the given ones first, without duplicates. */
export function expandCategories(ids: readonly string[]): string[] {
  return expand(ids, categoryParents);
}

export function expandLabels(ids: readonly string[]): string[] {
  return expand(ids, labelParents);
}
