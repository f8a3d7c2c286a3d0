import { mkdtempSync, openSync, closeSync, ftruncateSync, readdirSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { commands } from '../../cli/commands/catalog.js';
import { withCheckDigit } from '../../domain/catalog/barcode.js';
import { catalogJson, loadCatalogFile, readFileBounded, writeCatalogAtomic } from '../../domain/catalog/catalog-file.js';
import { importCatalog, type CatalogImportResult } from '../../domain/catalog/import.js';
import { catalogBytesMax } from '../../domain/catalog/limits.js';
import { args, fakeIo, findCommand } from '../rules/cli-io.js';

const dir = mkdtempSync(join(tmpdir(), 'caisse-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const header = 'code,name,price,unit,vat,categories,labels,producer,producer_commune,producer_department,origin,abv,food';
const good = [
  '3017620422003,Pâte à tartiner,3.49,piece,5.5,en:spreads,,,,,IT,,yes',
  '96385074,Sel de Guérande 250 g,2.49,,5.5,en:salts,Nature & Progrès,Paludiers,Guérande,44,FR,,',
  '036000291452,Sirop d’érable,8.99,piece,5.5,en:maple-syrups,AB,,,,Canada,,oui',
  '2112345000008,Carottes,2.40,kg,5.5,legumes frais,AB|Demeter,Ferme,Rouans,44,FR,,',
  '4011,Bananes,2.99,kg,5.5,en:bananas,,,,,EC,,',
  'VRAC-RIZ,Riz (vrac),4.20,kg,5.5,en:rices,bio,,,,,,',
  '3760000000017,Muscadet,7.90,piece,20,Vins,HVE,Domaine,Clisson,44,FR,12,',
  'SAVON,Savon de Marseille,3.90,piece,20,savons,,,,,FR,,non',
];
const csv = (...lines: string[]): Uint8Array => Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
const shopId = 'shop:test';

function issues(result: CatalogImportResult): string[] {
  return result.ok ? [] : result.issues.map((i) => `${i.line} ${i.code}`);
}

describe('catalogue import: good files', () => {
  it('imports a comma-separated UTF-8 export and normalises every field', () => {
    const result = importCatalog(csv(header, ...good), { shopId });
    expect(issues(result)).toEqual([]);
    if (!result.ok) return;
    expect([result.format, result.encoding, result.delimiter]).toEqual(['csv', 'utf-8', ',']);
    const byCode = result.catalog.byCode;
    expect(byCode.get('3017620422003')).toMatchObject({ kind: 'ean13', priceCents: 349, unit: 'piece', vatBasisPoints: 550, originCountry: 'IT', food: true });
    expect(byCode.get('96385074')).toMatchObject({ kind: 'ean8', labels: ['fr:nature-et-progres', 'en:organic'], producer: { name: 'Paludiers', commune: 'Guérande', department: '44' } });
    expect(byCode.get('0036000291452')).toMatchObject({ kind: 'upca', originCountry: 'CA', labels: ['fr:ab-agriculture-biologique', 'en:eu-organic', 'en:organic'] });
    expect(byCode.get('2112345')).toMatchObject({ kind: 'variable-weight', unit: 'kg', categories: ['en:fresh-vegetables', 'en:vegetables', 'en:fresh-foods'], labels: ['fr:ab-agriculture-biologique', 'en:eu-organic', 'en:organic', 'en:demeter'] });
    expect(byCode.get('4011')).toMatchObject({ kind: 'plu', unit: 'kg' });
    expect(byCode.get('VRAC-RIZ')).toMatchObject({ kind: 'internal', labels: ['en:organic'] });
    expect(byCode.get('3760000000017')).toMatchObject({ abvBasisPoints: 1200, vatBasisPoints: 2000, categories: ['en:wines', 'en:alcoholic-beverages', 'en:beverages'], labels: ['fr:haute-valeur-environnementale'] });
    expect(byCode.get('SAVON')).toMatchObject({ food: false, categories: ['en:soaps', 'en:non-food-products'] });
  });

  it('imports a semicolon-separated Windows-1252 export with French headers and decimal commas', () => {
    const text = ['Code;Libellé;Prix TTC;Unité;TVA;Rayon;Alimentaire', '3017620422003;Pâte à tartiner « noisette »;3,49;pièce;5,5;Pâtes à tartiner;oui', '4011;Bananes;2,99 €;kg;5,5 %;Fruits;oui'].join('\r\n');
    const result = importCatalog(iconv.encode(text, 'win1252'), { shopId });
    expect(issues(result)).toEqual([]);
    if (!result.ok) return;
    expect([result.encoding, result.delimiter]).toEqual(['windows-1252', ';']);
    expect(result.catalog.byCode.get('3017620422003')).toMatchObject({ name: 'Pâte à tartiner « noisette »', priceCents: 349, categories: ['fr:pates-a-tartiner'] });
    expect(result.catalog.byCode.get('4011')).toMatchObject({ priceCents: 299, vatBasisPoints: 550 });
  });

  it('accepts a UTF-8 byte-order mark, quoted fields and unknown columns', () => {
    const text = `\ufeffcode,name,price,vat,stock\n"3017620422003","Pâte ""maison"", 400 g","3.49",5.5,12\n`;
    const result = importCatalog(Buffer.from(text, 'utf8'), { shopId });
    expect(result.ok && result.catalog.products[0]?.name).toBe('Pâte "maison", 400 g');
  });

  it('round-trips through the normalised JSON', () => {
    const first = importCatalog(csv(header, ...good), { shopId });
    if (!first.ok) throw new Error('fixture');
    const json = catalogJson(first.catalog);
    const second = importCatalog(Buffer.from(json), { shopId });
    expect(second.ok && second.format).toBe('json');
    expect(second.ok && catalogJson(second.catalog)).toBe(json);
  });
});

describe('catalogue import: broken files are refused whole, with line numbers', () => {
  const cases: [string, Uint8Array, string[]][] = [
    ['a bad EAN-13 check digit', csv(header, good[0]!, '3017620422004,X,1.00,piece,5.5,,,,,,,,'), ['3 CATALOG_BAD_CHECK_DIGIT']],
    ['a bad EAN-8 check digit', csv(header, '96385075,X,1.00,piece,5.5,,,,,,,,'), ['2 CATALOG_BAD_CHECK_DIGIT']],
    ['a bad UPC-A check digit', csv(header, '036000291453,X,1.00,piece,5.5,,,,,,,,'), ['2 CATALOG_BAD_CHECK_DIGIT']],
    ['a bad weight check digit', csv(header, `${withCheckDigit('241111180250')},X,1.00,kg,5.5,,,,,,,,`), ['2 CATALOG_BAD_CHECK_DIGIT']],
    ['a barcode of 11 digits', csv(header, '30176204220,X,1.00,piece,5.5,,,,,,,,'), ['2 CATALOG_BAD_BARCODE']],
    ['a weight label with a value', csv(header, `${withCheckDigit('211234501234')},X,1.00,kg,5.5,,,,,,,,`), ['2 CATALOG_BAD_BARCODE']],
    ['a weight code priced by the piece', csv(header, '2112345,X,1.00,piece,5.5,,,,,,,,'), ['2 CATALOG_BAD_UNIT']],
    ['a missing price column', csv('code,name,vat', '3017620422003,X,5.5'), ['1 CATALOG_MISSING_COLUMN']],
    ['missing code and VAT columns', csv('nom,prix', 'X,1.00'), ['1 CATALOG_MISSING_COLUMN']],
    ['a duplicate column', csv('code,name,price,prix,vat', '3017620422003,X,1.00,1.00,5.5'), ['1 CATALOG_DUPLICATE_COLUMN']],
    ['a negative price', csv(header, '3017620422003,X,-1.00,piece,5.5,,,,,,,,'), ['2 CATALOG_BAD_PRICE']],
    ['a price with three decimals', csv(header, '3017620422003,X,1.005,piece,5.5,,,,,,,,'), ['2 CATALOG_BAD_PRICE']],
    ['a price that is not a number', csv(header, '3017620422003,X,abc,piece,5.5,,,,,,,,'), ['2 CATALOG_BAD_PRICE']],
    ['an empty price', csv(header, '3017620422003,X,,piece,5.5,,,,,,,,'), ['2 CATALOG_BAD_PRICE']],
    ['an unknown unit', csv(header, '3017620422003,X,1.00,litre,5.5,,,,,,,,'), ['2 CATALOG_BAD_UNIT']],
    ['a VAT rate over 100 %', csv(header, '3017620422003,X,1.00,piece,150,,,,,,,,'), ['2 CATALOG_BAD_VAT']],
    ['a VAT rate France does not have (a typo)', csv(header, '3017620422003,X,1.00,piece,7,,,,,,,,'), ['2 CATALOG_BAD_VAT']],
    ['a VAT rate of the past (19,6 %)', csv(header, '3017620422003,X,1.00,piece,19.6,,,,,,,,'), ['2 CATALOG_BAD_VAT']],
    ['an empty name', csv(header, '3017620422003,,1.00,piece,5.5,,,,,,,,'), ['2 CATALOG_BAD_FIELD']],
    ['a bad food flag', csv(header, '3017620422003,X,1.00,piece,5.5,,,,,,,,peut-être'), ['2 CATALOG_BAD_FIELD']],
    ['a bad department', csv(header, '3017620422003,X,1.00,piece,5.5,,,P,C,445,,,'), ['2 CATALOG_BAD_FIELD']],
    ['an unknown country', csv(header, '3017620422003,X,1.00,piece,5.5,,,,,,Atlantide,,'), ['2 CATALOG_BAD_FIELD']],
    ['a duplicate barcode (UPC-A and its EAN-13 form)', csv(header, good[2]!, '0036000291452,Y,1.00,piece,5.5,,,,,,,,'), ['3 CATALOG_DUPLICATE_CODE']],
    ['a short line', csv(header, '3017620422003,X,1.00'), ['2 CATALOG_BAD_CSV']],
    ['an unterminated quote', csv(header, '3017620422003,"X,1.00,piece,5.5,,,,,,,,', good[1]!), ['2 CATALOG_BAD_CSV']],
    ['an empty file', new Uint8Array(0), ['1 CATALOG_BAD_FORMAT']],
    ['a header and no product (it would empty the shop\'s catalogue)', csv(header), ['0 CATALOG_INVALID']],
    ['printer commands in a name (ESC @, GS V)', csv(header, '3017620422003,Riz\u001b@\u001dV1,1.00,piece,5.5,,,,,,,,'), ['2 CATALOG_BAD_FIELD']],
    ['a bidirectional override in a name', csv(header, '3017620422003,Riz \u202eziR,1.00,piece,5.5,,,,,,,,'), ['2 CATALOG_BAD_FIELD']],
    ['a C1 control in a producer', csv(header, '3017620422003,Riz,1.00,piece,5.5,,,Ferme\u009b,Rouans,44,,,'), ['2 CATALOG_BAD_FIELD']],
    ['JSON with a control character in a name', Buffer.from(JSON.stringify({ format: 'caisse-catalog-v1', shopId, products: [{ code: '3017620422003', kind: 'ean13', name: 'Riz\u001b@', priceCents: 1, unit: 'piece', vatBasisPoints: 550, categories: [], labels: [], abvBasisPoints: 0, food: true }] })), ['0 CATALOG_BAD_FIELD']],
    ['JSON with no product', Buffer.from(JSON.stringify({ format: 'caisse-catalog-v1', shopId, products: [] })), ['0 CATALOG_INVALID']],
    ['JSON giving a product\'s price twice (which one a reader sees depends on its parser)', Buffer.from(JSON.stringify({ format: 'caisse-catalog-v1', shopId, products: [{ code: '3017620422003', kind: 'ean13', name: 'Riz', priceCents: 100, unit: 'piece', vatBasisPoints: 550, categories: [], labels: [], abvBasisPoints: 0, food: true }] }).replace('"priceCents":100', '"priceCents":100,"priceCents":1')), ['0 CATALOG_BAD_FORMAT']],
    ['a header of 65 fields', csv(`${header}${',x'.repeat(65 - 13)}`, good[0]!), ['1 CATALOG_BAD_CSV']],
    ['a header of 66 fields (named as such, not as an empty file)', csv(`${header}${',x'.repeat(66 - 13)}`, good[0]!), ['1 CATALOG_BAD_CSV']],
    ['UTF-16', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${header}\n`, 'utf16le')]), ['1 CATALOG_BAD_ENCODING']],
    ['binary data', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]), ['1 CATALOG_BAD_ENCODING']],
    ['JSON that is not a catalogue', Buffer.from('{"products": 3}'), ['0 CATALOG_BAD_FIELD', '0 CATALOG_BAD_FIELD', '0 CATALOG_BAD_FIELD']],
    ['JSON with a wrong key', Buffer.from(JSON.stringify({ format: 'caisse-catalog-v1', shopId, products: [{ code: '3017620422004', kind: 'ean13', name: 'X', priceCents: 1, unit: 'piece', vatBasisPoints: 550, categories: [], labels: [], abvBasisPoints: 0, food: true }] })), ['0 CATALOG_BAD_CHECK_DIGIT']],
    ['JSON of another shop', Buffer.from(JSON.stringify({ format: 'caisse-catalog-v1', shopId: 'shop:other', products: [] })), ['0 CATALOG_BAD_FIELD']],
  ];
  it.each(cases)('%s', (_name, bytes, expected) => {
    const result = importCatalog(bytes, { shopId });
    expect(result.ok).toBe(false);
    expect(issues(result)).toEqual(expected);
  });

  it('loads an installed catalogue an earlier version wrote, though a new import would refuse it', () => {
    const product = { code: '3017620422003', kind: 'ean13', name: 'Riz', priceCents: 1, unit: 'piece', vatBasisPoints: 700, categories: [], labels: [], abvBasisPoints: 0, food: true, producer: { name: 'Ferme\tdu Bois' } };
    for (const products of [[], [product]]) {
      const bytes = Buffer.from(JSON.stringify({ format: 'caisse-catalog-v1', shopId, products }));
      // The ledger reads what is installed beside it: a basket of that shop must not fail on it.
      expect(importCatalog(bytes, { shopId, format: 'json', installed: true }).ok).toBe(true);
      expect(importCatalog(bytes, { shopId, format: 'json' }).ok).toBe(false);
    }
    const refused = importCatalog(Buffer.from(JSON.stringify({ format: 'caisse-catalog-v1', shopId, products: [product] })), { shopId });
    expect(issues(refused)).toEqual(['0 CATALOG_BAD_VAT', '0 CATALOG_BAD_FIELD']);
  });

  it('takes a header of exactly 64 fields, the limit', () => {
    const wide = `${header}${',x'.repeat(64 - 13)}`;
    const result = importCatalog(csv(wide, `${good[0]!}${','.repeat(64 - 13)}`), { shopId });
    expect(result.ok, JSON.stringify(result.ok ? '' : result.issues)).toBe(true);
  });

  it('lists every bad line, not only the first', () => {
    const result = importCatalog(csv(header, '3017620422004,X,1.00,piece,5.5,,,,,,,,', good[0]!, '3017620422003,Y,-2,piece,5.5,,,,,,,,', '4011,Z,1.00,litre,5.5,,,,,,,,'), { shopId });
    expect(issues(result)).toEqual(['2 CATALOG_BAD_CHECK_DIGIT', '4 CATALOG_BAD_PRICE', '5 CATALOG_BAD_UNIT']);
  });

  it('refuses Windows-1252 bytes when told the file is UTF-8, with the line', () => {
    const bytes = iconv.encode(`${header}\r\n${good[4]}\r\n3760000000017,Muscadet Sèvre-et-Maine,7.90,piece,20,,,,,,,,\r\n`, 'win1252');
    expect(issues(importCatalog(bytes, { shopId, encoding: 'utf-8' }))).toEqual(['3 CATALOG_BAD_ENCODING']);
    expect(importCatalog(bytes, { shopId }).ok).toBe(true);
  });

  it('refuses a bad shop id', () => {
    expect(issues(importCatalog(csv(header, ...good), { shopId: 'epicerie' }))).toEqual(['0 CATALOG_BAD_FIELD']);
  });
});

describe('catalogue files', () => {
  it('refuses a 100 MB file at once, without reading it', async () => {
    const big = join(dir, 'big.csv');
    // A sparse file: 100 MB long, no disk blocks, created in a millisecond.
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 100 * 1024 * 1024);
    closeSync(fd);
    await expect(readFileBounded(big, catalogBytesMax)).rejects.toMatchObject({ code: 'CATALOG_TOO_LARGE' });
    await expect(loadCatalogFile(big, { shopId })).rejects.toMatchObject({ code: 'CATALOG_TOO_LARGE' });
    const out = join(dir, 'out-big');
    await expect(findCommand(commands, ['catalog', 'import']).run(args({ shop: 'test', out }, [big]), fakeIo(dir))).rejects.toMatchObject({ code: 'CATALOG_TOO_LARGE' });
    expect(existsSync(out)).toBe(false);
  });

  it('refuses bytes past the limit even in memory', () => {
    expect(issues(importCatalog(new Uint8Array(catalogBytesMax + 1), { shopId }))).toEqual(['0 CATALOG_TOO_LARGE']);
  });

  it('reports a missing file and a directory as unreadable', async () => {
    await expect(readFileBounded(join(dir, 'absent.csv'), 10)).rejects.toMatchObject({ code: 'CATALOG_UNREADABLE' });
    await expect(readFileBounded(dir, 10)).rejects.toMatchObject({ code: 'CATALOG_UNREADABLE' });
  });

  it('caisse catalog import writes the normalised catalogue atomically, or nothing', async () => {
    const out = join(dir, 'catalogs');
    const cmd = findCommand(commands, ['catalog', 'import']);
    const goodFile = join(dir, 'good.csv');
    writeFileSync(goodFile, csv(header, ...good));
    const io = fakeIo(dir);
    expect(await cmd.run(args({ shop: 'shop:test', out }, [goodFile]), io)).toBe(0);
    expect(io.text()).toContain('8 produits importés pour shop:test');
    const written = readFileSync(join(out, 'test.json'), 'utf8');
    expect(JSON.parse(written)).toMatchObject({ format: 'caisse-catalog-v1', shopId: 'shop:test' });

    const badFile = join(dir, 'bad.csv');
    writeFileSync(badFile, csv(header, ...good.slice(0, 3), '3017620422004,X,1.00,piece,5.5,,,,,,,,'));
    const badIo = fakeIo(dir, 'en');
    expect(await cmd.run(args({ shop: 'shop:test', out }, [badFile]), badIo)).toBe(1);
    expect(badIo.stderr.join('')).toContain('line 5: CATALOG_BAD_CHECK_DIGIT');
    expect(readFileSync(join(out, 'test.json'), 'utf8')).toBe(written);
    expect(readdirSync(out)).toEqual(['test.json']);
  });

  it('refuses an unknown --encoding', async () => {
    await expect(findCommand(commands, ['catalog', 'import']).run(args({ shop: 'x', encoding: 'latin9' }, ['f.csv']), fakeIo(dir))).rejects.toMatchObject({ code: 'CATALOG_BAD_ENCODING' });
  });

  it('writes the same bytes for the same catalogue', async () => {
    const result = importCatalog(csv(header, ...good), { shopId });
    if (!result.ok) throw new Error('fixture');
    const a = await writeCatalogAtomic(join(dir, 'a'), result.catalog);
    const b = await writeCatalogAtomic(join(dir, 'b'), result.catalog);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
  });
});

describe('bounded reads', () => {
  it('reads a file whole when it is under the limit, and refuses one byte more', async () => {
    const file = join(dir, 'exact.bin');
    writeFileSync(file, Buffer.alloc(200_000, 65));
    expect((await readFileBounded(file, 200_000)).length).toBe(200_000);
    await expect(readFileBounded(file, 199_999)).rejects.toMatchObject({ code: 'CATALOG_TOO_LARGE' });
  });
});
