import type { Printer } from '../printer/index.js';
import type { CliIo } from './command.js';

/** A damaged print queue file was set aside when the printer was opened: said once, with what was kept. */
export function warnOfDamagedQueue(io: Pick<CliIo, 'err' | 'lang'>, printer: Printer): void {
  const warning = printer.startupWarning;
  if (warning === null) return;
  io.err(io.lang === 'fr' ? `Attention ${warning.code} : ${warning.localized('fr')}\n` : `Warning ${warning.code}: ${warning.localized('en')}\n`);
}
