import { writeFile } from 'node:fs/promises';
import { loadCatalogForShop } from '../../domain/catalog/catalog-file.js';
import { keyIdOf, generateSigningKey } from '../../domain/ed25519.js';
import { formatCents } from '../../domain/money.js';
import { approvedListCsv } from '../../domain/rules/approved-export.js';
import { compileRules, rulesDocumentHash, validateRulesDocument } from '../../domain/rules/compile.js';
import { rulesErrors, rulesFail } from '../../domain/rules/errors.js';
import { explainProduct } from '../../domain/rules/explain.js';
import { rulesJsonSchemaText } from '../../domain/rules/json-schema.js';
import { readKeyFile, writeKeyFile } from '../../domain/key-file.js';
import { percentText } from '../../domain/rules/reasons.js';
import { loadRulesFile, readRulesJson } from '../../domain/rules/rules-file.js';
import { isSignedRulesShape, signRulesDocument, verifySignedRules } from '../../domain/rules/signature.js';
import { resolve } from 'node:path';
import { optBool, optString, type CliIo, type Command, type ParsedArgs } from '../command.js';
import { writableFilePath } from '../output-path.js';
import { cliError } from '../errors.js';
import { catalogErrors } from '../../domain/catalog/errors.js';

/**
 * `caisse rules …`: check, sign, explain and export a conventionnement. `rules publish` (the ledger
 * entry) is the ledger's command.
 */

const jsonOption = { name: 'json', kind: 'boolean', help: { fr: 'sortie JSON', en: 'JSON output' } } as const;
const atOption = { name: 'at', kind: 'string', valueName: 'DATE', help: { fr: 'date d’évaluation (ISO 8601), maintenant par défaut', en: 'evaluation date (ISO 8601), now by default' } } as const;

/** `--at` as Unix milliseconds; refuses a date that does not parse. */
/** ISO 8601 as people type it here: a date, or a date and time with its zone (Z or ±HH:MM). */
const isoInstant = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/**
 * --at, checked as typed: Date.parse alone would take 2026-02-30 for 2 March, and words it half
 * understands. A date alone is midnight UTC.
 */
export function atMsOption(args: ParsedArgs): number {
  const at = optString(args, 'at');
  if (at === undefined) return Date.now();
  const m = isoInstant.exec(at);
  const ms = Date.parse(at);
  const [year, month, day] = [Number(m?.[1]), Number(m?.[2]), Number(m?.[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (m === null || !Number.isSafeInteger(ms) || calendar.getUTCFullYear() !== year || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) {
    throw cliError('CLI_BAD_VALUE', `--at ${at}: YYYY-MM-DD or YYYY-MM-DDTHH:MMZ (ISO 8601), a day that exists`);
  }
  return ms;
}

function path(io: CliIo, file: string): string {
  return resolve(io.cwd, file);
}

function positional(args: ParsedArgs, index: number): string {
  const value = args.positionals[index];
  if (value === undefined) throw new Error('the parser enforces positional counts');
  return value;
}

const check: Command = {
  words: ['rules', 'check'],
  summary: { fr: 'valide un document de règles (signé ou non)', en: 'validate a rules document (signed or not)' },
  options: [{ name: 'key', kind: 'string', valueName: 'KEYFILE', help: { fr: 'clé du comité pour vérifier la signature', en: 'committee key to verify the signature' } }, jsonOption],
  positionals: { name: 'FILE', min: 1, max: 1 },
  async run(args, io) {
    const file = path(io, positional(args, 0));
    const value = await readRulesJson(file);
    const signed = isSignedRulesShape(value);
    const body = signed ? (value as { document: unknown }).document : value;
    const result = validateRulesDocument(body);
    if (!result.ok) {
      if (optBool(args, 'json')) io.out(`${JSON.stringify({ ok: false, code: 'RULES_INVALID', problems: result.problems }, null, 2)}\n`);
      else {
        // The code first, as every other refusal prints it, then every problem.
        const spec = rulesErrors.RULES_INVALID;
        io.err(io.lang === 'fr' ? `Erreur RULES_INVALID : ${spec.fr} (${file})\n` : `Error RULES_INVALID: ${spec.en} (${file})\n`);
        for (const p of result.problems) io.err(`  ${p.path}: ${p.detail}\n`);
      }
      return 1;
    }
    let signature: 'absent' | 'verified' | 'not-verified' = signed ? 'not-verified' : 'absent';
    const keyFile = optString(args, 'key');
    if (keyFile !== undefined) {
      // Asked to check a signature: the key must be readable, and an unsigned document fails the check.
      const key = readKeyFile(path(io, keyFile));
      if (!signed) throw rulesFail('RULES_BAD_SIGNATURE', `${file}: the document is not signed (--key ${keyFile})`);
      verifySignedRules(value, new Map([[keyIdOf(key.publicKey), key.publicKey]]));
      signature = 'verified';
    }
    const doc = result.document;
    const hash = rulesDocumentHash(doc);
    if (optBool(args, 'json')) {
      io.out(`${JSON.stringify({ ok: true, territory: doc.territory, version: doc.version, documentHash: hash, shops: doc.shops.length, signature }, null, 2)}\n`);
      return 0;
    }
    const sig = { absent: { fr: 'non signé', en: 'unsigned' }, verified: { fr: 'signature vérifiée', en: 'signature verified' }, 'not-verified': { fr: 'signé, signature non vérifiée (--key)', en: 'signed, signature not verified (--key)' } }[signature];
    io.out(
      io.lang === 'fr'
        ? `OK ${doc.territory} version ${doc.version} (${doc.territoryName.fr}), ${doc.shops.length} commerce(s), ${sig.fr}\nempreinte SHA-256 ${hash}\n`
        : `OK ${doc.territory} version ${doc.version} (${doc.territoryName.en}), ${doc.shops.length} shop(s), ${sig.en}\nSHA-256 ${hash}\n`,
    );
    return 0;
  },
};

const keygen: Command = {
  words: ['rules', 'keygen'],
  summary: { fr: 'crée une clé de signature du comité (fichier 0600)', en: 'create a committee signing key (file mode 0600)' },
  options: [{ name: 'out', kind: 'string', valueName: 'KEYFILE', required: true, help: { fr: 'fichier de clé à créer', en: 'key file to create' } }],
  async run(args, io) {
    const out = path(io, optString(args, 'out') ?? '');
    const key = generateSigningKey();
    writeKeyFile(out, key);
    io.out(`${keyIdOf(key.publicKey)} ${Buffer.from(key.publicKey).toString('base64')}\n`);
    return 0;
  },
};

const sign: Command = {
  words: ['rules', 'sign'],
  summary: { fr: 'signe un document de règles avec la clé du comité', en: 'sign a rules document with the committee key' },
  options: [
    { name: 'key', kind: 'string', valueName: 'KEYFILE', required: true, help: { fr: 'clé du comité', en: 'committee key' } },
    { name: 'out', kind: 'string', valueName: 'FILE', help: { fr: 'fichier signé à écrire (sinon sortie standard)', en: 'signed file to write (stdout otherwise)' } },
  ],
  positionals: { name: 'FILE', min: 1, max: 1 },
  async run(args, io) {
    const key = readKeyFile(path(io, optString(args, 'key') ?? ''));
    const value = await readRulesJson(path(io, positional(args, 0)));
    const body = isSignedRulesShape(value) ? (value as { document: unknown }).document : value;
    const signed = signRulesDocument(compileRules(body).document, key);
    const text = `${JSON.stringify(signed, null, 2)}\n`;
    const out = optString(args, 'out');
    if (out === undefined) io.out(text);
    else {
      // Never over an existing file ('wx'); what the system refuses is named by the command (SYSTEM_FILE_ERROR).
      await writeFile(path(io, out), text, { flag: 'wx' });
      io.err(io.lang === 'fr' ? `signé par ${signed.keyId} : ${out}\n` : `signed by ${signed.keyId}: ${out}\n`);
    }
    return 0;
  },
};

const catalogOption = { name: 'catalog', kind: 'string', valueName: 'FILE', required: true, help: { fr: 'catalogue (CSV ou JSON normalisé)', en: 'catalogue (CSV or normalised JSON)' } } as const;
const rulesOption = { name: 'rules', kind: 'string', valueName: 'FILE', required: true, help: { fr: 'document de règles (signé ou non)', en: 'rules document (signed or not)' } } as const;
const shopOption = { name: 'shop', kind: 'string', valueName: 'SHOP', help: { fr: 'commerce (shop:…), requis pour un CSV', en: 'shop (shop:…), required for a CSV' } } as const;

function shopIdOf(args: ParsedArgs): string | undefined {
  const shop = optString(args, 'shop');
  if (shop === undefined) return undefined;
  return shop.startsWith('shop:') ? shop : `shop:${shop}`;
}

const explain: Command = {
  words: ['rules', 'explain'],
  summary: { fr: 'explique le verdict, la part et les raisons pour des produits', en: 'explain verdict, share and reasons for products' },
  options: [rulesOption, catalogOption, shopOption, atOption, jsonOption],
  positionals: { name: 'BARCODE…', min: 1, max: 200 },
  async run(args, io) {
    const rules = compileRules((await loadRulesFile(path(io, optString(args, 'rules') ?? ''))).document);
    const catalog = await loadCatalogForShop(path(io, optString(args, 'catalog') ?? ''), shopIdOf(args));
    const atMs = atMsOption(args);
    const results = args.positionals.map((code) => explainProduct(rules, catalog, catalog.shopId, code, atMs));
    if (optBool(args, 'json')) {
      const json = results.map((r) =>
        r.found
          ? { code: r.code, found: true, productCode: r.product.code, name: r.product.name, unit: r.product.unit, priceCents: r.product.priceCents, eligible: r.eligible, policy: r.policy, reasons: r.reasons, byTier: r.byTier }
          : { code: r.code, found: false, problem: r.problem, detail: r.detail },
      );
      io.out(`${JSON.stringify({ territory: rules.territory, rulesVersion: rules.version, rulesHash: rules.documentHash, shopId: catalog.shopId, atMs, products: json }, null, 2)}\n`);
      return results.every((r) => r.found) ? 0 : 1;
    }
    const lang = io.lang;
    for (const r of results) {
      if (!r.found) {
        // The catalogue's code for the refusal, as the till shows it for the same scan.
        const refusal = r.problem === 'bad-code' ? 'CATALOG_BAD_SCAN' : 'CATALOG_UNKNOWN_CODE';
        io.out(`${r.code}  ${refusal} ${catalogErrors[refusal][lang]} (${r.detail})\n`);
        continue;
      }
      const price = `${formatCents(r.product.priceCents, lang)}${r.product.unit === 'kg' ? '/kg' : ''}`;
      const verdict = r.eligible ? (lang === 'fr' ? 'PRIS EN CHARGE' : 'ELIGIBLE') : lang === 'fr' ? 'NON PRIS EN CHARGE' : 'NOT ELIGIBLE';
      io.out(`${r.code}  ${r.product.name}  ${price}\n  ${verdict}`);
      if (r.eligible) {
        const min = percentText(r.minShareBasisPoints)[lang];
        const max = percentText(r.maxShareBasisPoints)[lang];
        io.out(min === max ? ` — ${max}` : ` — ${min} … ${max}`);
      }
      io.out('\n');
      for (const reason of r.reasons) io.out(`    ${reason.effect === 'against' ? '✗' : reason.effect === 'for' ? '✓' : '€'} ${reason[lang]}\n`);
      if (r.eligible && r.minShareBasisPoints !== r.maxShareBasisPoints) {
        for (const t of r.byTier) io.out(`    ${lang === 'fr' ? 'palier' : 'tier'} ${t.tier}: ${percentText(t.shareBasisPoints)[lang]} (${formatCents(t.caisseCents, lang)})\n`);
      }
    }
    return results.every((r) => r.found) ? 0 : 1;
  },
};

const exportApproved: Command = {
  words: ['rules', 'export-approved'],
  summary: { fr: 'exporte la liste des produits pris en charge (CSV barcode,name,share)', en: 'export the approved product list (CSV barcode,name,share)' },
  options: [rulesOption, catalogOption, { ...shopOption, required: true }, atOption, { name: 'out', kind: 'string', valueName: 'FILE', help: { fr: 'fichier CSV (sinon sortie standard)', en: 'CSV file (stdout otherwise)' } }],
  async run(args, io) {
    const rules = compileRules((await loadRulesFile(path(io, optString(args, 'rules') ?? ''))).document);
    const shopId = shopIdOf(args) ?? '';
    if (!rules.shops.has(shopId)) throw rulesFail('RULES_UNKNOWN_SHOP', `${shopId} (${rules.territory} v${rules.version})`);
    const out = optString(args, 'out');
    const outPath = out === undefined ? undefined : writableFilePath('out', path(io, out), { writes: 'in-place' });
    const catalog = await loadCatalogForShop(path(io, optString(args, 'catalog') ?? ''), shopId);
    const csv = approvedListCsv(rules, catalog, shopId, atMsOption(args));
    if (outPath === undefined) io.out(csv);
    else {
      await writeFile(outPath, csv);
      io.err(`${csv.split('\r\n').length - 2} ${io.lang === 'fr' ? 'produits' : 'products'}: ${out}\n`);
    }
    return 0;
  },
};

const schema: Command = {
  words: ['rules', 'schema'],
  summary: { fr: 'affiche le JSON Schema des documents de règles', en: 'print the JSON Schema of rules documents' },
  options: [],
  async run(_args, io) {
    io.out(rulesJsonSchemaText());
    return 0;
  },
};

export const commands: readonly Command[] = [check, keygen, sign, explain, exportApproved, schema];

