import type { Lang } from '../domain/error-spec.js';
import { formatCents } from '../domain/money.js';

/** Receipts print local time in the shop's time zone, whatever the till's system clock zone is. */
export const defaultTimeZone = 'Europe/Paris';

export { formatCents };

/** "1,250 kg" in French, "1.250 kg" in English. */
export function formatWeight(weightGrams: number, lang: Lang): string {
  const negative = weightGrams < 0;
  const abs = Math.abs(weightGrams);
  const kg = Math.trunc(abs / 1000);
  const g = String(abs % 1000).padStart(3, '0');
  return `${negative ? '-' : ''}${kg}${lang === 'fr' ? ',' : '.'}${g} kg`;
}

/** "23/11/2026 20:30" (fr) or "2026-11-23 20:30" (en), in the given time zone. */
export function formatDateTime(timeMs: number, lang: Lang, timeZone: string = defaultTimeZone): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(timeMs));
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  const day = `${part('day')}/${part('month')}/${part('year')}`;
  const iso = `${part('year')}-${part('month')}-${part('day')}`;
  return `${lang === 'fr' ? day : iso} ${part('hour')}:${part('minute')}`;
}

/** A business date "2026-11-23" as "23/11/2026" in French; unchanged in English. */
export function formatDate(isoDate: string, lang: Lang): string {
  if (lang === 'en') return isoDate;
  const [y, m, d] = isoDate.split('-');
  return `${d}/${m}/${y}`;
}
