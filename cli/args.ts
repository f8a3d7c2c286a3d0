import type { Lang } from '../domain/error-spec.js';
import type { Command, ParsedArgs } from './command.js';
import { cliError } from './errors.js';

/** What the parser says about a value, in the user's language (the code and its message already are). */
export const said = {
  noValue: { fr: 'ne prend pas de valeur', en: 'takes no value' },
  needsValue: { fr: 'attend une valeur', en: 'needs a value' },
  notInteger: { fr: 'pas un nombre entier', en: 'not an integer' },
  atLeast: { fr: 'au moins', en: 'at least' },
  atMost: { fr: 'au plus', en: 'at most' },
  empty: { fr: 'est vide', en: 'is empty' },
  twice: { fr: 'donnée deux fois', en: 'given twice' },
  takes: { fr: 'attend', en: 'takes' },
  arguments: { fr: 'argument(s), reçu', en: 'argument(s), got' },
} as const;

/** The longest run of command words that names a registered command. */
export function findCommand(commands: readonly Command[], argv: readonly string[]): { command: Command; rest: string[] } | undefined {
  let best: Command | undefined;
  for (const command of commands) {
    const matches = command.words.every((w, i) => argv[i] === w);
    if (matches && (best === undefined || command.words.length > best.words.length)) best = command;
  }
  return best === undefined ? undefined : { command: best, rest: argv.slice(best.words.length) };
}

/** Parses `--name value`, `--name=value` and `--flag` against the command's declared options. */
export function parseArgs(command: Command, argv: readonly string[], lang: Lang = 'fr'): ParsedArgs {
  const options = new Map<string, string | number | boolean | string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = command.options.find((o) => o.name === name);
    if (spec === undefined) throw cliError('CLI_UNKNOWN_OPTION', `--${name}`);
    if (spec.kind === 'boolean') {
      if (eq !== -1) throw cliError('CLI_BAD_VALUE', `--${name} ${said.noValue[lang]}`);
      options.set(name, true);
      continue;
    }
    let raw: string | undefined;
    if (eq !== -1) raw = arg.slice(eq + 1);
    else {
      raw = argv[i + 1];
      i += 1;
    }
    // `--data --origin x`: the next option is not a value (a value that starts with "--" is written --data=--x).
    if (raw === undefined || (eq === -1 && raw.startsWith('--'))) throw cliError('CLI_BAD_VALUE', `--${name} ${said.needsValue[lang]} (${spec.valueName ?? 'VALUE'})`);
    let value: string | number = raw;
    if (spec.kind === 'int') {
      if (!/^-?(0|[1-9][0-9]*)$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw cliError('CLI_BAD_VALUE', `--${name} ${raw} : ${said.notInteger[lang]}`);
      value = Number(raw);
      if (spec.min !== undefined && value < spec.min) throw cliError('CLI_BAD_VALUE', `--${name} ${raw} : ${said.atLeast[lang]} ${spec.min}`);
      if (spec.max !== undefined && value > spec.max) throw cliError('CLI_BAD_VALUE', `--${name} ${raw} : ${said.atMost[lang]} ${spec.max}`);
    } else if (raw.length === 0) {
      throw cliError('CLI_BAD_VALUE', `--${name} ${said.empty[lang]}`);
    }
    if (spec.repeatable) {
      const list = options.get(name);
      options.set(name, [...(Array.isArray(list) ? list : []), String(value)]);
    } else {
      if (options.has(name)) throw cliError('CLI_BAD_VALUE', `--${name} ${said.twice[lang]}`);
      options.set(name, value);
    }
  }
  for (const spec of command.options) {
    if (spec.required && !options.has(spec.name)) throw cliError('CLI_MISSING_OPTION', `--${spec.name} ${spec.valueName ?? ''}`.trim());
  }
  const p = command.positionals;
  const min = p?.min ?? 0;
  const max = p?.max ?? 0;
  if (positionals.length < min || positionals.length > max) {
    throw cliError('CLI_BAD_ARGUMENTS', `${command.words.join(' ')} ${said.takes[lang]} ${min === max ? min : `${min}–${max}`} ${said.arguments[lang]} ${positionals.length}`);
  }
  return { options, positionals };
}
