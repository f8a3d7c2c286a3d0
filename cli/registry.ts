import type { Command } from './command.js';
import { commands as demoCommands } from './commands/demo.js';
import { commands as ledgerCommands } from './commands/ledger.js';
import { commands as startCommands } from './commands/start.js';

/** Every `caisse` subcommand, from the file of each area. */
export const allCommands: readonly Command[] = [...startCommands, ...ledgerCommands, ...demoCommands];
