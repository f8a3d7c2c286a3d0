import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { documentLines, type PrintDocument } from './document.js';
import { qrMatrix, qrQuietModules } from './qr-matrix.js';
import { makeDirectories } from '../domain/make-directories.js';

/**
 * A laid-out document saved as files: HTML (a page anyone opens, the QR code as inline SVG) and PDF
 * (pdfkit's built-in Courier, which covers Windows-1252: é, œ and € print right with no font file).
 * Both show exactly the lines of the paper copy, since both start from the same document.
 */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export async function documentToHtml(doc: PrintDocument, lang: 'fr' | 'en' = 'fr'): Promise<string> {
  const body: string[] = [];
  for (const block of doc.blocks) {
    if (block.kind === 'qr') {
      const svg = await QRCode.toString(block.text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, width: 160 });
      body.push(`<div class="qr">${svg}</div>`);
    } else if (block.kind === 'text') {
      const classes = [block.align, block.bold ? 'bold' : '', block.large ? 'large' : ''].filter((c) => c.length > 0).join(' ');
      body.push(`<div class="${classes}">${escapeHtml(block.text) || '&nbsp;'}</div>`);
    } else if (block.kind === 'rule') {
      body.push(`<div>${block.char.repeat(doc.columns)}</div>`);
    } else {
      for (let i = 0; i < block.lines; i++) body.push('<div>&nbsp;</div>');
    }
  }
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(doc.title)}</title>
<style>
body { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; background: #eee; }
.paper { background: #fff; width: ${doc.columns}ch; padding: 1.5em 1ch; margin: 1em auto; white-space: pre; font-size: 14px; line-height: 1.25; }
.center { text-align: center; } .right { text-align: right; } .bold { font-weight: bold; } .large { font-size: 200%; }
.qr { text-align: center; } .qr svg { width: 160px; height: 160px; }
</style></head>
<body><div class="paper">
${body.join('\n')}
</div></body></html>
`;
}

/** Courier 10 pt on 12 pt lines: 6 pt a character, so 48 columns take 288 pt of an A4 page. */
const lineHeightPt = 12;

export function documentToPdf(doc: PrintDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pdf = new PDFDocument({ size: 'A4', margin: 56, info: { Title: doc.title } });
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
    pdf.font('Courier').fontSize(10);
    const left = pdf.page.margins.left;
    for (const block of doc.blocks) {
      if (block.kind === 'qr') {
        // Drawn module by module, like the printer, so the PDF's code scans the same.
        const matrix = qrMatrix(block.text, 'M');
        const modulePt = 3;
        const side = (matrix.size + 2 * qrQuietModules) * modulePt;
        const x0 = left + (doc.columns * 6 - side) / 2; // Courier 10 pt: 6 pt a character
        if (pdf.y + side > pdf.page.height - pdf.page.margins.bottom) pdf.addPage();
        const y0 = pdf.y;
        for (let row = 0; row < matrix.size; row++) {
          for (let col = 0; col < matrix.size; col++) {
            if (matrix.isDark(row, col)) pdf.rect(x0 + (col + qrQuietModules) * modulePt, y0 + (row + qrQuietModules) * modulePt, modulePt, modulePt);
          }
        }
        pdf.fill('black');
        pdf.x = left;
        pdf.y = y0 + side;
        continue;
      }
      const lines = documentLines({ ...doc, blocks: [block] });
      pdf.font(block.kind === 'text' && block.bold ? 'Courier-Bold' : 'Courier');
      for (const line of lines) {
        if (pdf.y + lineHeightPt > pdf.page.height - pdf.page.margins.bottom) pdf.addPage();
        const y = pdf.y;
        // No-break spaces keep the columns: pdfkit would otherwise collapse runs of spaces.
        pdf.text(line.replace(/ /g, '\u00a0'), left, y, { lineBreak: false });
        pdf.y = y + lineHeightPt;
      }
    }
    pdf.end();
  });
}

async function writeAtomically(path: string, data: string | Buffer): Promise<void> {
  const temporary = `${path}.tmp`;
  await fs.writeFile(temporary, data);
  await fs.rename(temporary, path);
}

/** Saves `<baseName>.html` and `<baseName>.pdf` in `dir`; returns their paths. */
export async function saveReport(doc: PrintDocument, dir: string, baseName: string, lang: 'fr' | 'en' = 'fr'): Promise<{ htmlPath: string; pdfPath: string }> {
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(baseName)) throw new Error(`bad report file name ${baseName}`);
  makeDirectories(dir);
  const htmlPath = join(dir, `${baseName}.html`);
  const pdfPath = join(dir, `${baseName}.pdf`);
  await writeAtomically(htmlPath, await documentToHtml(doc, lang));
  await writeAtomically(pdfPath, await documentToPdf(doc));
  return { htmlPath, pdfPath };
}
