import { CaisseError, type Lang } from '../domain/error-spec.js';
import { langFromEnv, parseLang } from '../domain/lang.js';
import { findCommand, parseArgs, said } from './args.js';
import type { CliIo, Command } from './command.js';
import { cliError } from './errors.js';
import { systemErrorOf } from './system-errors.js';
import { commandHelp, globalHelp } from './help.js';

/**
 * Runs `caisse` with the given arguments and resolves to its exit code: 0 success, 1 an operating
 * error (bad file, refused entry, failed audit), 2 a usage error. Errors are printed with their stable
 * code and never with a stack trace, and so are what the system refused (a file, an address, a damaged
 * database: cli/system-errors.ts); any other exception is a programmer error and keeps its stack.
 */
export async function runCli(commands: readonly Command[], argv: readonly string[], io: Omit<CliIo, 'lang'>): Promise<number> {
  let lang: Lang = langFromEnv(io.env);
  const rest: string[] = [];
  let help = false;
  let langGiven = false;
  try {
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i] ?? '';
      if (arg === '--lang' || arg.startsWith('--lang=')) {
        const value = arg === '--lang' ? argv[++i] : arg.slice('--lang='.length);
        const parsed = value === undefined ? undefined : parseLang(value);
        if (parsed === undefined) throw cliError('CLI_BAD_VALUE', `--lang ${value ?? ''}: fr or en`);
        lang = parsed;
        if (langGiven) throw cliError('CLI_BAD_VALUE', `--lang ${said.twice[lang]}`);
        langGiven = true;
      } else if (arg === '--help' || arg === '-h') help = true;
      else rest.push(arg);
    }
    const withLang: CliIo = { ...io, lang };
    const found = findCommand(commands, rest);
    if (found === undefined) {
      if (rest.length === 0 || (rest.length === 1 && rest[0] === 'help')) {
        io.out(globalHelp(commands, lang));
        return 0;
      }
      // `caisse ledger` alone, or with --help: the help of that group of commands.
      const group = commands.filter((c) => c.words[0] === rest[0]);
      if (help || (group.length > 0 && rest.length === 1)) {
        io.out(globalHelp(group.length > 0 ? group : commands, lang));
        return help ? 0 : 2;
      }
      // An option before the command's words (`caisse --bogus ledger verify`) is that option's error.
      const words = rest.filter((a) => !a.startsWith('-'));
      const option = rest.find((a) => a.startsWith('-'));
      if (option !== undefined && findCommand(commands, words) !== undefined) throw cliError('CLI_UNKNOWN_OPTION', option);
      throw cliError('CLI_UNKNOWN_COMMAND', words.slice(0, 2).join(' '));
    }
    if (help) {
      io.out(commandHelp(found.command, lang));
      return 0;
    }
    const args = parseArgs(found.command, found.rest, lang);
    return await found.command.run(args, withLang);
  } catch (caught) {
    const e = caught instanceof CaisseError ? caught : systemErrorOf(caught);
    if (e !== undefined) {
      io.err(lang === 'fr' ? `Erreur ${e.code} : ${e.localized(lang)}\n` : `Error ${e.code}: ${e.localized(lang)}\n`);
      return e.code.startsWith('CLI_') ? 2 : 1;
    }
    throw caught;
  }
}
