import type { Lang } from '../../domain/error-spec.js';
import type { CliIo, Command, ParsedArgs } from '../../cli/command.js';

/** A fake terminal for running commands in tests: collects stdout and stderr. */
export interface FakeIo extends CliIo {
  readonly stdout: string[];
  readonly stderr: string[];
  text(): string;
}

export function fakeIo(cwd: string, lang: Lang = 'fr'): FakeIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    lang,
    out: (text) => stdout.push(text),
    err: (text) => stderr.push(text),
    isTty: false,
    env: {},
    cwd,
    stdout,
    stderr,
    text: () => stdout.join(''),
  };
}

export function args(options: Record<string, string | number | boolean | readonly string[]>, positionals: readonly string[] = []): ParsedArgs {
  return { options: new Map(Object.entries(options)), positionals };
}

export function findCommand(commands: readonly Command[], words: readonly string[]): Command {
  const command = commands.find((c) => c.words.join(' ') === words.join(' '));
  if (command === undefined) throw new Error(`no command ${words.join(' ')}`);
  return command;
}
