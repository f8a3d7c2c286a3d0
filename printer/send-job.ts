import { CaisseError } from '../domain/error-spec.js';
import { openConnection } from './connect.js';
import { printerErrors, type PrinterErrorCode } from './errors.js';
import { statusRequest, type PrinterSelfReport } from './escpos-status.js';
import {
  connectTimeoutMs as defaultConnectTimeoutMs,
  statusTimeoutMs as defaultStatusTimeoutMs,
  writeTimeoutMs as defaultWriteTimeoutMs,
} from './limits.js';
import { problemOf, readSelfReport } from './printer-status.js';
import type { PrinterTarget } from './target.js';
import type { OpenConnection, PrinterConnection } from './transport.js';

export interface SendTimeouts {
  readonly connectTimeoutMs: number;
  readonly writeTimeoutMs: number;
  readonly statusTimeoutMs: number;
}

export const defaultSendTimeouts: SendTimeouts = {
  connectTimeoutMs: defaultConnectTimeoutMs,
  writeTimeoutMs: defaultWriteTimeoutMs,
  statusTimeoutMs: defaultStatusTimeoutMs,
};

export type SendResult =
  | { readonly ok: true; readonly report: PrinterSelfReport }
  /** `sent`: whether bytes reached the printer (a retry may then print part of the ticket twice). */
  | { readonly ok: false; readonly code: PrinterErrorCode; readonly detail: string; readonly sent: boolean };

function failure(error: unknown, sent: boolean): SendResult {
  if (error instanceof CaisseError && error.code in printerErrors) {
    return { ok: false, code: error.code as PrinterErrorCode, detail: error.detail, sent };
  }
  return { ok: false, code: 'PRINTER_IO', detail: error instanceof Error ? error.message : String(error), sent };
}

/**
 * Sends one job's bytes, and says whether it printed. Never throws.
 *
 * 1. Ask the printer's state first: out of paper, cover open or offline means "do not send" (the job
 *    waits in the queue rather than in a printer buffer that may be lost).
 * 2. Send the bytes.
 * 3. Ask again: the answer (or the link breaking while we wait for it) tells whether the printer took
 *    the whole job. A printer that closes the connection mid-job is caught here, since raw-port
 *    printers never close first. A printer that never answers status is trusted once the bytes left.
 */
export async function sendJob(
  target: PrinterTarget,
  bytes: Uint8Array,
  timeouts: SendTimeouts = defaultSendTimeouts,
  open: OpenConnection = openConnection,
): Promise<SendResult> {
  let connection: PrinterConnection | undefined;
  let sent = false;
  try {
    connection = await open(target, timeouts.connectTimeoutMs);
    const before = await readSelfReport(connection, timeouts.statusTimeoutMs);
    const problem = problemOf(before);
    if (problem) return { ok: false, code: problem, detail: '', sent: false };
    sent = true;
    await connection.write(bytes, timeouts.writeTimeoutMs);
    if (!connection.canAnswer) return { ok: true, report: before };
    const answer = await connection.request(statusRequest(1), timeouts.statusTimeoutMs);
    if (answer === undefined) return { ok: true, report: before };
    const after = await readSelfReport(connection, timeouts.statusTimeoutMs);
    const problemAfter = problemOf(after);
    if (problemAfter) return { ok: false, code: problemAfter, detail: 'after sending', sent: true };
    return { ok: true, report: after };
  } catch (error) {
    return failure(error, sent);
  } finally {
    await connection?.close().catch(() => undefined);
  }
}
