import type { Command } from './command.js';
import { commands as catalogCommands } from './commands/catalog.js';
import { commands as demoCommands } from './commands/demo.js';
import { commands as labelsCommands } from './commands/labels.js';
import { commands as ledgerCommands } from './commands/ledger.js';
import { commands as ledgerAdminCommands } from './commands/ledger-admin.js';
import { commands as ledgerVerifyCommands } from './commands/ledger-verify.js';
import { commands as printerCommands } from './commands/printer.js';
import { commands as reportCommands } from './commands/report.js';
import { commands as rulesCommands } from './commands/rules.js';
import { commands as settleCommands } from './commands/settle.js';
import { commands as startCommands } from './commands/start.js';

/** Every `caisse` subcommand, from the file of each area. */
export const allCommands: readonly Command[] = [
  ...startCommands,
  ...ledgerCommands,
  ...ledgerVerifyCommands,
  ...ledgerAdminCommands,
  ...demoCommands,
  ...rulesCommands,
  ...catalogCommands,
  ...labelsCommands,
  ...printerCommands,
  ...reportCommands,
  ...settleCommands,
];
