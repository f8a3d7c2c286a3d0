import type { OptionSpec } from './command.js';

/** Options several commands share, declared once so that their names and help read the same everywhere. */
export const dataOption: OptionSpec = { name: 'data', kind: 'string', valueName: 'DIR', required: true, help: { fr: 'dossier des données du registre', en: 'ledger data directory' } };

export const merchantOption: OptionSpec = { name: 'merchant', kind: 'string', valueName: 'COMPTE', required: true, help: { fr: 'compte du commerce (shop:…)', en: 'merchant account (shop:…)' } };

export const periodOption: OptionSpec = { name: 'period', kind: 'string', valueName: 'AAAA-MM', required: true, help: { fr: 'mois réglé', en: 'month settled' } };
