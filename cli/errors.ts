import { defineErrors, errorFactory } from '../domain/error-spec.js';

/** Errors in how the `caisse` command was called. They exit with code 2, like other Unix tools. */
export const cliErrors = defineErrors({
  CLI_UNKNOWN_COMMAND: { status: 400, fr: 'Commande inconnue', en: 'Unknown command' },
  CLI_UNKNOWN_OPTION: { status: 400, fr: 'Option inconnue', en: 'Unknown option' },
  CLI_MISSING_OPTION: { status: 400, fr: 'Option obligatoire manquante', en: 'Missing required option' },
  CLI_BAD_VALUE: { status: 400, fr: 'Valeur invalide', en: 'Invalid value' },
  CLI_BAD_ARGUMENTS: { status: 400, fr: "Nombre d'arguments incorrect", en: 'Wrong number of arguments' },
  CLI_BAD_URL: { status: 400, fr: 'Adresse invalide (http://HÔTE:PORT attendu)', en: 'Invalid address (http://HOST:PORT expected)' },
  CLI_LEDGER_UNREACHABLE: { status: 503, fr: 'Registre injoignable', en: 'Ledger unreachable' },
  CLI_PORT_IN_USE: { status: 409, fr: 'Port déjà utilisé', en: 'Port already in use' },
});

export type CliErrorCode = keyof typeof cliErrors;
export const cliError = errorFactory(cliErrors);
