import { resolve } from 'node:path';
import { formatCents } from '../../domain/money.js';
import { openLedger, readRoleKey } from '../../ledger/home.js';
import { settleMerchant, type SettleResult } from '../../ledger/reports/settle.js';
import { optString, type Command } from '../command.js';
import { deliverReport, deliveryOptions, deliveryPlan, statementBaseName, statementFromDir } from './report.js';
import { dataOption, merchantOption, periodOption } from '../options.js';

/**
 * `caisse settle`: the operator settles a merchant for a month. The merchant's whole CCA balance goes
 * back to the fund and the treasury pays as much in Moneko, in one entry signed with the operator's key
 * (DIR/keys/operator.key) and appended by the ledger in this process; then the statement is shown,
 * saved and printed like `caisse report settlement`. Running it again for the same merchant and month
 * settles nothing more and says so.
 */

const settleCommand: Command = {
  words: ['settle'],
  summary: {
    fr: 'Régler un commerce : ses CCA retournent au fonds, la trésorerie lui verse autant de Moneko (une écriture signée)',
    en: 'Settle a merchant: its CCA go back to the fund, the treasury pays as much in Moneko (one signed entry)',
  },
  options: [
    dataOption,
    merchantOption,
    periodOption,
    ...deliveryOptions,
  ],
  async run(args, io) {
    const fr = io.lang === 'fr';
    const dir = resolve(io.cwd, optString(args, 'data') ?? '');
    const merchant = optString(args, 'merchant') ?? '';
    const period = optString(args, 'period') ?? '';
    // The delivery options are checked before the settlement is appended: a refusal writes nothing.
    const plan = deliveryPlan(args, io);
    const opened = openLedger(dir);
    let result: SettleResult;
    try {
      result = await settleMerchant(opened.ledger, { merchant, period, operatorKey: readRoleKey(dir, 'operator'), nowMs: Date.now() });
    } finally {
      opened.close();
    }
    const amount = formatCents(result.amountCents, io.lang, 'MNK');
    if (result.status === 'settled') {
      io.err(fr ? `Règlement inscrit au registre : ${merchant}, ${period}, ${amount} (écriture n° ${result.index})\n` : `Settlement recorded: ${merchant}, ${period}, ${amount} (entry no. ${result.index})\n`);
    } else {
      io.err(
        fr
          ? `Déjà réglé : ${merchant} a été réglé pour ${period} (${amount}, écriture n° ${result.index}). Rien de nouveau n'a été inscrit.\n`
          : `Already settled: ${merchant} was settled for ${period} (${amount}, entry no. ${result.index}). Nothing new was recorded.\n`,
      );
    }
    const view = await statementFromDir(dir, merchant, period, io.lang);
    return deliverReport(plan, io, dir, { kind: 'settlement', view, baseName: statementBaseName(merchant, period) });
  },
};

export const commands: readonly Command[] = [settleCommand];
