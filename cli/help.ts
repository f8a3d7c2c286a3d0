import type { Lang } from '../domain/error-spec.js';
import type { Command } from './command.js';

const texts = {
  usage: { fr: 'Utilisation', en: 'Usage' },
  commands: { fr: 'Commandes', en: 'Commands' },
  options: { fr: 'Options', en: 'Options' },
  global: {
    fr: 'Options générales : --lang fr|en (langue ; par défaut celle de l’environnement, sinon français), --help',
    en: 'Global options: --lang fr|en (language; default from the environment, else French), --help',
  },
  more: { fr: 'Aide d’une commande : caisse COMMANDE --help', en: 'Help on a command: caisse COMMAND --help' },
  intro: {
    fr: 'caisse — la caisse commune de l’alimentation : registre signé, caisse enregistreuse, tickets.',
    en: 'caisse — the food solidarity fund: signed ledger, till, receipts.',
  },
  required: { fr: 'obligatoire', en: 'required' },
} as const;

/** Summaries are sentences: each starts with a capital, whoever wrote it. */
function sentence(text: string): string {
  return text.charAt(0).toLocaleUpperCase('fr') + text.slice(1);
}

export function globalHelp(commands: readonly Command[], lang: Lang): string {
  const width = Math.max(...commands.map((c) => c.words.join(' ').length));
  const lines = [
    texts.intro[lang],
    '',
    `${texts.usage[lang]}: caisse [--lang fr|en] ${lang === 'fr' ? 'COMMANDE' : 'COMMAND'} [options]`,
    '',
    `${texts.commands[lang]}:`,
    ...[...commands].sort((a, b) => a.words.join(' ').localeCompare(b.words.join(' '))).map((c) => `  ${c.words.join(' ').padEnd(width)}  ${sentence(c.summary[lang])}`),
    '',
    texts.global[lang],
    texts.more[lang],
  ];
  return `${lines.join('\n')}\n`;
}

export function commandHelp(command: Command, lang: Lang): string {
  const usage = [
    'caisse',
    ...command.words,
    ...command.options.map((o) => {
      const part = o.kind === 'boolean' ? `--${o.name}` : `--${o.name} ${o.valueName ?? 'VALUE'}`;
      return o.required ? part : `[${part}]`;
    }),
    ...(command.positionals ? [`${command.positionals.name}${command.positionals.max > 1 ? '…' : ''}`] : []),
  ].join(' ');
  const lines = [sentence(command.summary[lang]), '', `${texts.usage[lang]}: ${usage}`];
  if (command.options.length > 0) {
    lines.push('', `${texts.options[lang]}:`);
    for (const o of command.options) {
      const name = o.kind === 'boolean' ? `--${o.name}` : `--${o.name} ${o.valueName ?? 'VALUE'}`;
      lines.push(`  ${name.padEnd(24)} ${o.help[lang]}${o.required ? ` (${texts.required[lang]})` : ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
