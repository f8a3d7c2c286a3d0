import { CaisseError, type Lang } from '../domain/error-spec.js';
import { closureReportDocument } from './closure-report.js';
import { openConnection } from './connect.js';
import type { PrintDocument } from './document.js';
import { printerError, printerErrors, type PrinterErrorCode } from './errors.js';
import { encodeDocument } from './escpos-encode.js';
import { defaultTimeZone } from './format.js';
import { queuedJobsMax, recentReceiptsMax, retryIntervalMs } from './limits.js';
import { checkPrinterStatus, type PrinterStatus } from './printer-status.js';
import { resolveProfile, type PrinterProfile } from './profile.js';
import { QueueStore, type JobKind, type QueuedJob, type QueueState } from './queue-store.js';
import { receiptDocument } from './receipt.js';
import { defaultSendTimeouts, sendJob, type SendTimeouts } from './send-job.js';
import { settlementStatementDocument } from './settlement-statement.js';
import { parseTarget, type PrinterTarget } from './target.js';
import type { OpenConnection } from './transport.js';
import { parseClosureReportView, parseReceiptView, parseSettlementStatementView, type ReceiptView } from './views.js';

/**
 * The printer as the till sees it: print a receipt, a Z report or a settlement statement, and get an
 * answer — printed, queued (will retry), or refused and why. It never throws at the sale: a printer
 * that is off, out of paper or unplugged leaves the job in a bounded queue on disk, retried in order
 * before the next job and every `retryIntervalMs`. Recent receipts are kept so that a reprint can say
 * DUPLICATA; reprints are counted.
 */

export type PrintOutcome =
  | { readonly result: 'printed'; readonly jobId: string }
  | { readonly result: 'queued'; readonly jobId: string; readonly code: PrinterErrorCode; readonly message: string }
  | { readonly result: 'refused'; readonly jobId: string | null; readonly code: PrinterErrorCode; readonly message: string };

export interface PrinterOptions {
  /** `tcp://HOST:PORT`, `serial:/dev/ttyUSB0?baud=19200`, `usb:/dev/usb/lp0`, `file:PATH`. */
  readonly target: string | PrinterTarget;
  /** Folder of the queue file. */
  readonly dataDir: string;
  readonly profile?: PrinterProfile;
  /** Language of outcome messages (receipts use their view's language). */
  readonly lang?: Lang;
  readonly timeZone?: string;
  readonly timeouts?: Partial<SendTimeouts>;
  /** Replaces the transports (tests at the OS boundary). */
  readonly open?: OpenConnection;
  readonly now?: () => number;
}

function message(code: PrinterErrorCode, detail: string, lang: Lang): string {
  const text = printerErrors[code][lang];
  return detail ? `${text} (${detail})` : text;
}

export class Printer {
  readonly target: PrinterTarget;
  readonly profile: PrinterProfile;
  /** Set when the queue file was unreadable at start and moved aside. */
  readonly corruptQueueFile: string | null;
  readonly #store: QueueStore;
  readonly #options: PrinterOptions;
  readonly #timeouts: SendTimeouts;
  readonly #lang: Lang;
  readonly #now: () => number;
  #state: QueueState;
  #chain: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;

  private constructor(options: PrinterOptions, target: PrinterTarget, store: QueueStore, state: QueueState, corrupt: string | null, readonly unreadableQueueLines: number | 'all' = 0) {
    this.#options = options;
    this.target = target;
    this.profile = options.profile ?? resolveProfile();
    this.#store = store;
    this.#state = state;
    this.corruptQueueFile = corrupt;
    this.#timeouts = { ...defaultSendTimeouts, ...options.timeouts };
    this.#lang = options.lang ?? 'fr';
    this.#now = options.now ?? Date.now;
  }

  /** Opens the queue in `dataDir` (throws PRINTER_BAD_TARGET for a malformed target: a configuration error). */
  static async open(options: PrinterOptions): Promise<Printer> {
    const target = typeof options.target === 'string' ? parseTarget(options.target) : options.target;
    const store = new QueueStore(options.dataDir);
    const loaded = await store.load();
    return new Printer(options, target, store, loaded.state, loaded.corruptFileMovedTo, loaded.unreadableLines);
  }

  /** PRINTER_QUEUE_CORRUPT when the queue file was unreadable at start (to show once to the cashier). */
  get startupWarning(): CaisseError | null {
    if (this.corruptQueueFile === null) return null;
    if (this.unreadableQueueLines === 'all') return printerError('PRINTER_QUEUE_CORRUPT', `${this.corruptQueueFile}: too large to read, set aside whole`);
    return printerError('PRINTER_QUEUE_CORRUPT', `${this.corruptQueueFile}: ${this.unreadableQueueLines} unreadable line(s) set aside, ${this.#state.jobs.length} job(s) kept`);
  }

  printReceipt(view: unknown): Promise<PrintOutcome> {
    return this.#serial(() => this.#guard(() => this.#submit('receipt', view)));
  }

  printClosureReport(view: unknown): Promise<PrintOutcome> {
    return this.#serial(() => this.#guard(() => this.#submit('closure', view)));
  }

  printSettlementStatement(view: unknown): Promise<PrintOutcome> {
    return this.#serial(() => this.#guard(() => this.#submit('settlement', view)));
  }

  /** Prints a recent receipt again, marked DUPLICATA, and counts it. */
  reprintReceipt(tillId: string, ticketNumber: number): Promise<PrintOutcome> {
    return this.#serial(() => this.#guard(async () => {
      const recent = this.#state.recent.find((r) => r.key === `${tillId}:${ticketNumber}`);
      if (!recent) return this.#refused(null, 'PRINTER_NOT_FOUND', `${tillId} ${ticketNumber}`);
      const view = recent.view as ReceiptView;
      return this.#submit('receipt', { ...view, duplicate: true });
    }));
  }

  /** Tries the queued jobs again, oldest first; stops at the first that fails (the printer is still down). */
  retryQueued(): Promise<{ readonly printed: number; readonly remaining: number }> {
    return this.#serial(async () => {
      const printed = await this.#drain();
      return { printed, remaining: this.#state.jobs.length };
    });
  }

  get queuedJobs(): readonly QueuedJob[] {
    return this.#state.jobs;
  }

  /** Reprints of one recent receipt, and of all receipts since the queue file was created. */
  reprintCount(tillId?: string, ticketNumber?: number): number {
    if (tillId === undefined) return this.#state.reprintTotal;
    return this.#state.recent.find((r) => r.key === `${tillId}:${ticketNumber}`)?.reprints ?? 0;
  }

  status(): Promise<PrinterStatus> {
    return this.#serial(() =>
      checkPrinterStatus(this.target, {
        connectTimeoutMs: this.#timeouts.connectTimeoutMs,
        statusTimeoutMs: this.#timeouts.statusTimeoutMs,
        open: this.#options.open ?? openConnection,
      }),
    );
  }

  /** Retries the queue every `intervalMs` while it is not empty. The timer does not keep the process alive. */
  startRetryLoop(intervalMs: number = retryIntervalMs): void {
    this.stopRetryLoop();
    this.#timer = setInterval(() => {
      if (this.#state.jobs.length > 0) void this.retryQueued();
    }, intervalMs);
    this.#timer.unref();
  }

  stopRetryLoop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Waits for the job in progress, then stops retrying. The queue stays on disk for the next start. */
  async close(): Promise<void> {
    this.stopRetryLoop();
    await this.#chain.catch(() => undefined);
  }

  /** Lays out a job's view for this printer (also used to export reports). Throws PRINTER_VIEW_INVALID. */
  document(kind: JobKind, view: unknown): PrintDocument {
    const timeZone = this.#options.timeZone ?? defaultTimeZone;
    const columns = this.profile.columns;
    if (kind === 'receipt') return receiptDocument(parseReceiptView(view), { columns, timeZone });
    if (kind === 'closure') return closureReportDocument(parseClosureReportView(view), columns, timeZone);
    return settlementStatementDocument(parseSettlementStatementView(view), columns, timeZone);
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(work, work);
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /** The sale must go on: an unexpected failure (disk full under the queue file) is an answer too. */
  async #guard(work: () => Promise<PrintOutcome>): Promise<PrintOutcome> {
    try {
      return await work();
    } catch (error) {
      return this.#refused(null, 'PRINTER_IO', error instanceof Error ? error.message : String(error));
    }
  }

  #refused(jobId: string | null, code: PrinterErrorCode, detail: string): PrintOutcome {
    return { result: 'refused', jobId, code, message: message(code, detail, this.#lang) };
  }

  async #submit(kind: JobKind, view: unknown): Promise<PrintOutcome> {
    let bytes: Uint8Array;
    try {
      bytes = encodeDocument(this.document(kind, view), this.profile);
    } catch (error) {
      if (error instanceof CaisseError && error.code in printerErrors) return this.#refused(null, error.code as PrinterErrorCode, error.detail);
      throw error; // a layout bug, not bad input: #guard reports it
    }
    const receipt = kind === 'receipt' ? (view as ReceiptView) : null;
    const key = receipt ? `${receipt.tillId}:${receipt.ticketNumber}` : null;
    let jobId: string;
    if (receipt && key) {
      if (receipt.duplicate) {
        await this.#countReprint(key, view);
        jobId = `receipt:${key}:dup:${this.#state.reprintTotal}`;
      } else {
        jobId = `receipt:${key}`;
        // An original prints once: a repeated request (a double tap, a retry by the caller) is dropped by id.
        if (this.#state.recent.some((r) => r.key === key)) return { result: 'printed', jobId };
        const queued = this.#state.jobs.find((j) => j.id === jobId);
        if (queued) return this.#queuedOutcome(queued);
      }
    } else {
      jobId = `${kind}:${this.#now()}:${Math.random().toString(36).slice(2, 8)}`;
    }

    // Older jobs go first so that tickets come out in order; if they still fail, this one waits too.
    await this.#drain();
    if (this.#state.jobs.length > 0) return this.#enqueue(jobId, kind, view, this.#state.jobs[0]!.lastCode as PrinterErrorCode, '');
    const result = await sendJob(this.target, bytes, this.#timeouts, this.#options.open ?? openConnection);
    if (result.ok) {
      await this.#printed(kind, view, key);
      return { result: 'printed', jobId };
    }
    return this.#enqueue(jobId, kind, view, result.code, result.detail);
  }

  async #enqueue(jobId: string, kind: JobKind, view: unknown, code: PrinterErrorCode, detail: string): Promise<PrintOutcome> {
    if (this.#state.jobs.length >= queuedJobsMax) return this.#refused(jobId, 'PRINTER_QUEUE_FULL', `${queuedJobsMax} jobs`);
    const job: QueuedJob = { id: jobId, kind, view, queuedAtMs: this.#now(), attempts: 1, lastCode: code };
    await this.#save({ ...this.#state, jobs: [...this.#state.jobs, job] });
    return { result: 'queued', jobId, code, message: message(code, detail, this.#lang) };
  }

  #queuedOutcome(job: QueuedJob): PrintOutcome {
    const code = (job.lastCode in printerErrors ? job.lastCode : 'PRINTER_IO') as PrinterErrorCode;
    return { result: 'queued', jobId: job.id, code, message: message(code, '', this.#lang) };
  }

  /** Sends queued jobs in order until one fails. Returns how many printed. */
  async #drain(): Promise<number> {
    let printed = 0;
    while (this.#state.jobs.length > 0) {
      const job = this.#state.jobs[0]!;
      let bytes: Uint8Array;
      try {
        bytes = encodeDocument(this.document(job.kind, job.view), this.profile);
      } catch {
        // A job that no longer lays out (its view was edited on disk) cannot print; drop it rather than block the queue.
        await this.#save({ ...this.#state, jobs: this.#state.jobs.slice(1) });
        continue;
      }
      const result = await sendJob(this.target, bytes, this.#timeouts, this.#options.open ?? openConnection);
      if (!result.ok) {
        const updated: QueuedJob = { ...job, attempts: job.attempts + 1, lastCode: result.code };
        await this.#save({ ...this.#state, jobs: [updated, ...this.#state.jobs.slice(1)] });
        return printed;
      }
      printed += 1;
      await this.#save({ ...this.#state, jobs: this.#state.jobs.slice(1) });
      const receipt = job.kind === 'receipt' ? (job.view as ReceiptView) : null;
      await this.#printed(job.kind, job.view, receipt ? `${receipt.tillId}:${receipt.ticketNumber}` : null);
    }
    return printed;
  }

  async #printed(kind: JobKind, view: unknown, key: string | null): Promise<void> {
    if (kind !== 'receipt' || key === null || (view as ReceiptView).duplicate) return;
    if (this.#state.recent.some((r) => r.key === key)) return;
    const recent = [...this.#state.recent, { key, view, printedAtMs: this.#now(), reprints: 0 }].slice(-recentReceiptsMax);
    await this.#save({ ...this.#state, recent });
  }

  async #countReprint(key: string, view: unknown): Promise<void> {
    const known = this.#state.recent.some((r) => r.key === key);
    const original = { ...(view as ReceiptView), duplicate: false };
    const recent = known
      ? this.#state.recent.map((r) => (r.key === key ? { ...r, reprints: r.reprints + 1 } : r))
      : [...this.#state.recent, { key, view: original, printedAtMs: this.#now(), reprints: 1 }].slice(-recentReceiptsMax);
    await this.#save({ ...this.#state, recent, reprintTotal: this.#state.reprintTotal + 1 });
  }

  async #save(state: QueueState): Promise<void> {
    await this.#store.save(state);
    this.#state = state;
  }
}
