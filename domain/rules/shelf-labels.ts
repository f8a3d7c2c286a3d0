import PDFDocument from 'pdfkit';
import { displayCode } from '../catalog/barcode.js';
import type { Catalog } from '../catalog/catalog.js';
import { shelfLabelsMax } from '../catalog/limits.js';
import type { Lang } from '../error-spec.js';
import { formatCents } from '../money.js';
import type { CompiledRules } from './compile.js';
import { explainCatalogProduct, type ProductExplanation } from './explain.js';
import { percentText } from './reasons.js';

/**
 * Printable shelf labels (A4, 3 × 7 labels of 63.5 × 38.1 mm, the common sticker sheet): each product's
 * name and price, and a band saying what the caisse pays, with hearts as in Cadenet (one heart up to
 * 30 %, two up to 70 %, three for 100 %) so that members see it before the till. Ineligible products
 * say why. Built with pdfkit's standard fonts (WinAnsi covers French). The creation date is the
 * evaluation instant, so the same inputs give the same bytes.
 */
const mm = 72 / 25.4;
const page = { width: 210 * mm, height: 297 * mm };
const grid = { columns: 3, rows: 7, labelWidth: 63.5 * mm, labelHeight: 38.1 * mm, gapX: 2.5 * mm, top: 15.15 * mm };
const left = (page.width - grid.columns * grid.labelWidth - (grid.columns - 1) * grid.gapX) / 2;
const green = '#1b7a3e';
const heartRed = '#d7263d';
const grey = '#6b6b6b';

export interface ShelfLabelsInput {
  readonly rules: CompiledRules;
  readonly catalog: Catalog;
  readonly shopId: string;
  readonly shopName: string;
  readonly atMs: number;
  readonly lang: Lang;
  /** Only these catalogue keys, in this order; all products when absent. */
  readonly codes?: readonly string[];
}

export function heartsFor(shareBasisPoints: number): number {
  if (shareBasisPoints <= 0) return 0;
  if (shareBasisPoints <= 3_000) return 1;
  if (shareBasisPoints < 10_000) return 2;
  return 3;
}

function drawHeart(doc: PDFKit.PDFDocument, cx: number, top: number, size: number, filled: boolean): void {
  const r = size / 4;
  doc.save();
  doc.circle(cx - r, top + r, r).circle(cx + r, top + r, r);
  doc.polygon([cx - 2 * r, top + r * 1.2], [cx + 2 * r, top + r * 1.2], [cx, top + size]);
  if (filled) doc.fillColor(heartRed).fill();
  else doc.fillColor('#ffffff').fillOpacity(0.35).fill();
  doc.restore();
}

function bandText(e: Extract<ProductExplanation, { found: true }>, lang: Lang): string {
  if (e.policy === 'producer-floor') {
    const member = e.byTier[0]?.memberCents ?? 0;
    return lang === 'fr' ? `Vous payez ${formatCents(member, 'fr')}/kg` : `You pay ${formatCents(member, 'en')}/kg`;
  }
  const min = percentText(e.minShareBasisPoints)[lang];
  const max = percentText(e.maxShareBasisPoints)[lang];
  const range = min === max ? max : `${min.replace(/ ?%/, '')}–${max}`;
  return lang === 'fr' ? `La caisse paie ${range}` : `The caisse pays ${range}`;
}

export function shelfLabelsPdf(input: ShelfLabelsInput): Promise<Buffer> {
  const { rules, catalog, shopId, atMs, lang } = input;
  const products = input.codes === undefined ? catalog.products : input.codes.flatMap((c) => catalog.byCode.get(c) ?? []);
  const labels = products.slice(0, shelfLabelsMax);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    autoFirstPage: false,
    info: { Title: `${input.shopName} — étiquettes caisse commune`, Producer: 'caisse', Creator: 'caisse labels', CreationDate: new Date(atMs) },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const perPage = grid.columns * grid.rows;
  labels.forEach((product, i) => {
    if (i % perPage === 0) doc.addPage();
    const slot = i % perPage;
    const x = left + (slot % grid.columns) * (grid.labelWidth + grid.gapX);
    const y = grid.top + Math.floor(slot / grid.columns) * grid.labelHeight;
    const w = grid.labelWidth;
    const h = grid.labelHeight;
    const e = explainCatalogProduct(rules, catalog, shopId, product, atMs);
    if (!e.found) return;
    doc.save().lineWidth(0.5).strokeColor('#c8c8c8').roundedRect(x + 2, y + 2, w - 4, h - 4, 4).stroke().restore();
    // Name, up to two lines.
    doc.fillColor('#111111').font('Helvetica-Bold').fontSize(9.5).text(product.name, x + 8, y + 8, { width: w - 16, height: 24, ellipsis: true, lineGap: 0 });
    // Price.
    const price = formatCents(product.priceCents, lang);
    doc.font('Helvetica-Bold').fontSize(17).fillColor('#111111').text(product.unit === 'kg' ? `${price}/kg` : price, x + 8, y + 33, { width: w - 16, lineBreak: false });
    const organic = product.labels.includes('en:organic');
    doc.font('Helvetica').fontSize(6.5).fillColor(grey).text(`${organic ? 'Bio · ' : ''}${displayCode(product.code, product.kind)}`, x + 8, y + 53, { width: w - 16, lineBreak: false });
    // The band.
    const bandY = y + h - 24;
    if (e.eligible) {
      doc.save().roundedRect(x + 4, bandY, w - 8, 18, 3).fillColor(green).fill().restore();
      // Hearts promise what every member gets at least; the text gives the range by tier.
      const hearts = heartsFor(e.minShareBasisPoints);
      for (let k = 0; k < 3; k++) drawHeart(doc, x + 13 + k * 11, bandY + 4, 9.5, k < hearts);
      doc.font('Helvetica-Bold').fontSize(8).fillColor('#ffffff').text(bandText(e, lang), x + 46, bandY + 5, { width: w - 54, lineBreak: false, ellipsis: true });
    } else {
      doc.save().roundedRect(x + 4, bandY, w - 8, 18, 3).fillColor('#e6e6e6').fill().restore();
      const why = e.reasons.find((r) => r.effect === 'against');
      const text = lang === 'fr' ? `Non pris en charge : ${why?.fr ?? 'non conventionné'}` : `Not covered: ${why?.en ?? 'not approved'}`;
      doc.font('Helvetica').fontSize(7).fillColor('#333333').text(text, x + 9, bandY + 5.5, { width: w - 18, lineBreak: false, ellipsis: true });
    }
  });
  if (labels.length === 0) doc.addPage();
  doc.end();
  return done;
}
