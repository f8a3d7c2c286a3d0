import { CaisseError, type Lang } from '../domain/error-spec.js';
import { openConnection } from './connect.js';
import { printerErrors, type PrinterErrorCode } from './errors.js';
import { decodeStatusBytes, statusRequest, type PrinterSelfReport } from './escpos-status.js';
import { connectTimeoutMs as defaultConnectTimeoutMs, statusTimeoutMs as defaultStatusTimeoutMs } from './limits.js';
import type { PrinterTarget } from './target.js';
import type { PrinterConnection } from './transport.js';

/**
 * What a printer says of itself, read with DLE EOT 1 (printer), 2 (offline cause), 3 (error cause)
 * and 4 (paper sensor). A printer that does not answer within `statusTimeoutMs` is reported as such:
 * many cheap printers ignore these requests, which is not in itself a fault.
 */
export async function readSelfReport(connection: PrinterConnection, timeoutMs: number): Promise<PrinterSelfReport> {
  const printer = connection.canAnswer ? await connection.request(statusRequest(1), timeoutMs) : undefined;
  if (printer === undefined) return decodeStatusBytes({ printer, offline: undefined, error: undefined, paper: undefined });
  const offline = await connection.request(statusRequest(2), timeoutMs);
  const error = await connection.request(statusRequest(3), timeoutMs);
  const paper = await connection.request(statusRequest(4), timeoutMs);
  return decodeStatusBytes({ printer, offline, error, paper });
}

/** The problem a self-report shows, by the error code it is reported with; undefined when ready. */
export function problemOf(report: PrinterSelfReport): PrinterErrorCode | undefined {
  if (!report.answered) return undefined;
  if (report.paperOut) return 'PRINTER_PAPER_OUT';
  if (report.coverOpen) return 'PRINTER_COVER_OPEN';
  if (report.fault) return 'PRINTER_FAULT';
  if (!report.online) return 'PRINTER_OFFLINE';
  return undefined;
}

export type PrinterState = 'ready' | 'paper-near-end' | 'silent' | 'paper-out' | 'cover-open' | 'fault' | 'offline' | 'unreachable' | 'disconnected' | 'error';

export interface PrinterStatus {
  readonly state: PrinterState;
  /** Set when the printer cannot print now. */
  readonly code: PrinterErrorCode | null;
  /** The answer bytes decoded, when the printer could be reached. */
  readonly report: PrinterSelfReport | null;
  /** The longest wait for one answer, as configured (so "silent" says how long we waited). */
  readonly statusTimeoutMs: number;
  readonly detail: string;
}

const stateByCode: Partial<Record<PrinterErrorCode, PrinterState>> = {
  PRINTER_PAPER_OUT: 'paper-out',
  PRINTER_COVER_OPEN: 'cover-open',
  PRINTER_FAULT: 'fault',
  PRINTER_OFFLINE: 'offline',
  PRINTER_UNREACHABLE: 'unreachable',
  PRINTER_DISCONNECTED: 'disconnected',
};

export function statusFromReport(report: PrinterSelfReport, statusTimeoutMs: number): PrinterStatus {
  const code = problemOf(report) ?? null;
  const state: PrinterState = code ? (stateByCode[code] ?? 'error') : !report.answered ? 'silent' : report.paperNearEnd ? 'paper-near-end' : 'ready';
  return { state, code, report, statusTimeoutMs, detail: '' };
}

export function statusFromError(error: unknown, statusTimeoutMs: number): PrinterStatus {
  if (error instanceof CaisseError && error.code in printerErrors) {
    const code = error.code as PrinterErrorCode;
    return { state: stateByCode[code] ?? 'error', code, report: null, statusTimeoutMs, detail: error.detail };
  }
  return { state: 'error', code: 'PRINTER_IO', report: null, statusTimeoutMs, detail: error instanceof Error ? error.message : String(error) };
}

const stateTexts: Record<PrinterState, { fr: string; en: string }> = {
  ready: { fr: 'prête', en: 'ready' },
  'paper-near-end': { fr: 'prête, papier bientôt épuisé', en: 'ready, paper nearly out' },
  silent: { fr: "ne répond pas aux demandes d'état (délai {ms} ms) : impression possible, état inconnu", en: 'does not answer status requests ({ms} ms limit): can print, state unknown' },
  'paper-out': { fr: printerErrors.PRINTER_PAPER_OUT.fr, en: printerErrors.PRINTER_PAPER_OUT.en },
  'cover-open': { fr: printerErrors.PRINTER_COVER_OPEN.fr, en: printerErrors.PRINTER_COVER_OPEN.en },
  fault: { fr: printerErrors.PRINTER_FAULT.fr, en: printerErrors.PRINTER_FAULT.en },
  offline: { fr: printerErrors.PRINTER_OFFLINE.fr, en: printerErrors.PRINTER_OFFLINE.en },
  unreachable: { fr: printerErrors.PRINTER_UNREACHABLE.fr, en: printerErrors.PRINTER_UNREACHABLE.en },
  disconnected: { fr: printerErrors.PRINTER_DISCONNECTED.fr, en: printerErrors.PRINTER_DISCONNECTED.en },
  error: { fr: printerErrors.PRINTER_IO.fr, en: printerErrors.PRINTER_IO.en },
};

/** One line for a person: "imprimante : plus de papier dans l'imprimante". */
export function describeStatus(status: PrinterStatus, lang: Lang): string {
  const text = stateTexts[status.state][lang].replace('{ms}', String(status.statusTimeoutMs));
  return status.detail ? `${text} (${status.detail})` : text;
}

export interface StatusOptions {
  readonly connectTimeoutMs?: number;
  readonly statusTimeoutMs?: number;
  readonly open?: (target: PrinterTarget, timeoutMs: number) => Promise<PrinterConnection>;
}

/** Opens the printer, asks its state, closes. Never throws: an unreachable printer is a status too. */
export async function checkPrinterStatus(target: PrinterTarget, options: StatusOptions = {}): Promise<PrinterStatus> {
  const statusTimeoutMs = options.statusTimeoutMs ?? defaultStatusTimeoutMs;
  const open = options.open ?? openConnection;
  let connection: PrinterConnection | undefined;
  try {
    connection = await open(target, options.connectTimeoutMs ?? defaultConnectTimeoutMs);
    return statusFromReport(await readSelfReport(connection, statusTimeoutMs), statusTimeoutMs);
  } catch (error) {
    return statusFromError(error, statusTimeoutMs);
  } finally {
    await connection?.close();
  }
}
