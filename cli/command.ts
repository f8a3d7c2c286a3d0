import type { Lang } from '../domain/error-spec.js';
import type { Texts } from '../domain/lang.js';

/**
 * One `caisse` subcommand. Commands are plain objects registered in cli/registry.ts; each lives in its
 * own file under cli/commands/. Options are declared so that the parser can refuse unknown or malformed
 * ones with a clear message before any command runs (a CLI argument is an entry point like any other).
 */
export interface OptionSpec {
  /** Long name without dashes: `data` for `--data DIR`. */
  readonly name: string;
  /** `string` options take a value; `boolean` ones are flags; `int` values must be safe integers. */
  readonly kind: 'string' | 'int' | 'boolean';
  readonly help: Texts;
  /** Shown in usage: `DIR`, `PORT`, `FILE`. */
  readonly valueName?: string;
  readonly required?: boolean;
  /** Repeatable options collect every value given. */
  readonly repeatable?: boolean;
  readonly min?: number;
  readonly max?: number;
}

export interface ParsedArgs {
  readonly options: ReadonlyMap<string, string | number | boolean | readonly string[]>;
  /** Positional arguments after the command words. */
  readonly positionals: readonly string[];
}

export interface CliIo {
  readonly lang: Lang;
  /** Standard output (results, data). */
  out(text: string): void;
  /** Standard error (progress, warnings, errors). */
  err(text: string): void;
  /** True when stderr is a terminal: progress bars are drawn only then. */
  readonly isTty: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export interface Command {
  /** The words after `caisse`: `['ledger', 'init']`. */
  readonly words: readonly string[];
  readonly summary: Texts;
  readonly options: readonly OptionSpec[];
  /** `FILE…`, `BARCODE…`: shown in usage; absent means no positionals are accepted. */
  readonly positionals?: { readonly name: string; readonly min: number; readonly max: number };
  /** Resolves to the process exit code. Operating errors are thrown as CaisseError. */
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

export function optString(args: ParsedArgs, name: string): string | undefined {
  const v = args.options.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function optInt(args: ParsedArgs, name: string): number | undefined {
  const v = args.options.get(name);
  return typeof v === 'number' ? v : undefined;
}

export function optBool(args: ParsedArgs, name: string): boolean {
  return args.options.get(name) === true;
}

export function optList(args: ParsedArgs, name: string): readonly string[] {
  const v = args.options.get(name);
  if (Array.isArray(v)) return v as readonly string[];
  return typeof v === 'string' ? [v] : [];
}
