import { defineErrors, errorFactory } from '../domain/error-spec.js';

/** Errors in how the `caisse` command was called. They exit with code 2, like other Unix tools. */
export const cliErrors = defineErrors({
  CLI_UNKNOWN_COMMAND: { status: 400, fr: 'Commande inconnue', en: 'Unknown command' },
  CLI_UNKNOWN_OPTION: { status: 400, fr: 'Option inconnue', en: 'Unknown option' },
  CLI_MISSING_OPTION: { status: 400, fr: 'Option obligatoire manquante', en: 'Missing required option' },
  CLI_BAD_VALUE: { status: 400, fr: 'Valeur invalide', en: 'Invalid value' },
  CLI_BAD_ARGUMENTS: { status: 400, fr: "Nombre d'arguments incorrect", en: 'Wrong number of arguments' },
});

export type CliErrorCode = keyof typeof cliErrors;
export const cliError = errorFactory(cliErrors);
