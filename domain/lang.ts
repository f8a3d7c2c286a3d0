import type { Lang } from './error-spec.js';

/**
 * The language of screens, receipts and CLI output. French first: English only when asked for, either
 * explicitly or by an `en*` locale in the environment (LC_ALL, LC_MESSAGES, LANG, in POSIX order).
 */
export function langFromEnv(env: NodeJS.ProcessEnv = process.env): Lang {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('en') ? 'en' : 'fr';
}

export function parseLang(value: string): Lang | undefined {
  const v = value.toLowerCase();
  if (v === 'fr' || v.startsWith('fr_') || v.startsWith('fr-')) return 'fr';
  if (v === 'en' || v.startsWith('en_') || v.startsWith('en-')) return 'en';
  return undefined;
}

export type Texts = { readonly fr: string; readonly en: string };

export function t(texts: Texts, lang: Lang): string {
  return texts[lang];
}
