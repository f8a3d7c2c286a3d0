import type { Lang } from '../../domain/error-spec.js';
import { formatCents } from '../../domain/money.js';
import type { SealedEntry } from '../formats/leaf.js';

/**
 * The page a phone opens from a receipt's QR code: whether the ticket is in the public log, when, at
 * which shop and for how much the caisse paid. Nothing about the member: the log holds no names.
 */
export function receiptPage(lang: Lang, index: number, sealed: SealedEntry | undefined, merchantLabel: string | undefined): string {
  const fr = lang === 'fr';
  const title = fr ? 'Vérification du ticket' : 'Receipt check';
  let body: string;
  if (sealed === undefined) {
    body = `<p class="bad">${fr ? `Aucun ticket ne correspond à ce code (écriture n° ${index}).` : `No receipt matches this code (entry ${index}).`}</p>`;
  } else {
    const when = new Date(sealed.ledgerTimeMs).toLocaleString(fr ? 'fr-FR' : 'en-GB', { timeZone: 'Europe/Paris' });
    const rows: [string, string][] = [
      [fr ? 'Écriture' : 'Entry', `n° ${sealed.index}`],
      [fr ? 'Inscrite le' : 'Recorded', when],
    ];
    if (sealed.body.type === 'payment') {
      rows.push([fr ? 'Commerce' : 'Shop', escapeHtml(merchantLabel ?? sealed.body.merchant)]);
      rows.push([fr ? 'Payé par la caisse' : 'Paid by the caisse', formatCents(sealed.body.amountCents, lang)]);
      rows.push([fr ? 'Payé autrement' : 'Paid otherwise', formatCents(sealed.body.basket.otherCents, lang)]);
    }
    body = `<p class="ok">${fr ? 'Ce ticket est bien inscrit au registre public de la caisse.' : 'This receipt is in the caisse’s public log.'}</p>
<table>${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</table>`;
  }
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title><style>body{font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}
.ok{color:#0a6b2d;font-weight:bold}.bad{color:#a40000;font-weight:bold}th{text-align:left;padding-right:1rem}</style></head>
<body><h1>${title}</h1>${body}</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
