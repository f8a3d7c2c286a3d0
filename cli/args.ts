import type { Command, ParsedArgs } from './command.js';
import { cliError } from './errors.js';

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
export function parseArgs(command: Command, argv: readonly string[]): ParsedArgs {
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
      if (eq !== -1) throw cliError('CLI_BAD_VALUE', `--${name} takes no value`);
      options.set(name, true);
      continue;
    }
    let raw: string | undefined;
    if (eq !== -1) raw = arg.slice(eq + 1);
    else {
      raw = argv[i + 1];
      i += 1;
    }
    if (raw === undefined) throw cliError('CLI_BAD_VALUE', `--${name} needs a value (${spec.valueName ?? 'VALUE'})`);
    let value: string | number = raw;
    if (spec.kind === 'int') {
      if (!/^-?(0|[1-9][0-9]*)$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw cliError('CLI_BAD_VALUE', `--${name} ${raw}: not an integer`);
      value = Number(raw);
      if (spec.min !== undefined && value < spec.min) throw cliError('CLI_BAD_VALUE', `--${name} ${raw}: at least ${spec.min}`);
      if (spec.max !== undefined && value > spec.max) throw cliError('CLI_BAD_VALUE', `--${name} ${raw}: at most ${spec.max}`);
    } else if (raw.length === 0) {
      throw cliError('CLI_BAD_VALUE', `--${name} is empty`);
    }
    if (spec.repeatable) {
      const list = options.get(name);
      options.set(name, [...(Array.isArray(list) ? list : []), String(value)]);
    } else {
      if (options.has(name)) throw cliError('CLI_BAD_VALUE', `--${name} given twice`);
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
    throw cliError('CLI_BAD_ARGUMENTS', `${command.words.join(' ')} takes ${min === max ? min : `${min} to ${max}`} argument(s), got ${positionals.length}`);
  }
  return { options, positionals };
}
