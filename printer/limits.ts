/**
 * Every bound of the printer module in one place. A number that can grow (a queue, a line, a byte
 * stream, a wait) has its name and its unit here; `checkPrinterLimits()` (run by the tests) keeps them
 * consistent with one another.
 */

/** Character columns of the supported paper widths in font A (12x24 dots): 58 mm, 80 mm at 180 dpi, 80 mm at 203 dpi. */
export const supportedColumns = [32, 42, 48] as const;
export type Columns = (typeof supportedColumns)[number];

/** Dots per line of the printable area that goes with each column count (at least 12 dots per character). */
export const dotsWidthByColumns: { readonly [C in Columns]: number } = { 32: 384, 42: 512, 48: 576 };

/** Product lines on one receipt: a full trolley is far below; a larger view is a caller bug. */
export const receiptLinesMax = 300;
/** Characters kept from any free text (a product name, a shop address line) before wrapping. */
export const textCharsMax = 200;
/** A long product name wraps onto at most this many printed lines; the rest is cut with an ellipsis. */
export const wrappedLinesMax = 3;
/** Shop address lines printed under the shop's name. */
export const addressLinesMax = 4;
/** Tenders on one receipt (CCA, MNK, cash, card…). */
export const tendersMax = 8;
/** Characters of the QR payload: a version 10 code at level M holds 213 bytes; stay well under. */
export const qrTextCharsMax = 200;
/** Rows of a closure report (tenders, tills) and of a settlement statement (days). */
export const reportRowsMax = 400;

/** Bytes of one encoded print job: a receipt is a few kilobytes; a raster QR adds about 10 kB. */
export const jobBytesMax = 512 * 1024;

/** Jobs waiting in the reprint queue. When full, a new job is refused (the sale itself is already recorded). */
export const queuedJobsMax = 100;
/** Receipts kept for a later reprint (DUPLICATA). The oldest are forgotten first. */
export const recentReceiptsMax = 50;
/** Retries of one queued job within one `retryQueued()` call before leaving it for later. */
export const retryAttemptsPerCallMax = 1;
/** Bytes of the queue file: read back at start, refused past this bound rather than loaded into memory. */
export const queueFileBytesMax = 32 * 1024 * 1024;

/** Waiting for a TCP connection or for a device to open. */
export const connectTimeoutMs = 3_000;
/** Waiting for the bytes of one job to be handed to the operating system. */
export const writeTimeoutMs = 10_000;
/** Waiting for the answer to one DLE EOT status request; a printer silent for longer "does not answer". */
export const statusTimeoutMs = 1_500;
/** Waiting for the printer to close its side after we end a connection; then the socket is destroyed. */
export const closeTimeoutMs = 1_000;
/** How often a non-blocking device (usblp, serial) is polled for a status byte. */
export const statusPollIntervalMs = 20;
/** How often the retry loop looks at the queue while it is not empty. */
export const retryIntervalMs = 30_000;

/** Bytes the virtual printer accepts on one connection before dropping it (a runaway client). */
export const virtualConnectionBytesMax = 4 * 1024 * 1024;
/** Tickets the virtual printer keeps in memory (the PNG files on disk stay). */
export const virtualTicketsMax = 200;
/** Text lines of one virtual ticket; past it the ticket is closed as if cut. */
export const virtualTicketLinesMax = 2_000;
/** Height in dots of one rendered ticket image. */
export const virtualImageHeightDotsMax = 20_000;
/** Simultaneous connections to the virtual printer. */
export const virtualConnectionsMax = 16;

/** Checks that the limits fit together; a failure is a programmer error. */
export function checkPrinterLimits(): void {
  for (const c of supportedColumns) {
    if (dotsWidthByColumns[c] < c * 12) throw new Error(`${c} columns of 12 dots do not fit ${dotsWidthByColumns[c]} dots`);
  }
  if (recentReceiptsMax > queuedJobsMax) throw new Error('more recent receipts than queued jobs: the queue file grows unbounded');
  if (statusPollIntervalMs * 4 > statusTimeoutMs) throw new Error('status poll too slow for its timeout');
  if (connectTimeoutMs + writeTimeoutMs + 2 * statusTimeoutMs > retryIntervalMs) throw new Error('one attempt outlasts the retry interval');
  if (qrTextCharsMax > 213) throw new Error('QR text no longer fits a small code');
  if (textCharsMax < supportedColumns[supportedColumns.length - 1]!) throw new Error('text bound below one line');
}
