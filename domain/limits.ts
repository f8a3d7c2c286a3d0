/**
 * Every limit of the ledger and its entry formats, in one place. Each bounds something that could otherwise grow without end
 * (a body, a batch, a queue, a response) and is documented in docs/API.md, which
 * test/docs/api-doc.test.ts checks against these values.
 */
export const limits = {
  /** One HTTP body for POST /v1/entries: an entry with its basket lines, or a rules document. */
  bodyBytesMax: 256 * 1024,
  /** One body for POST /v1/entries/batch. */
  batchBodyBytesMax: 8 * 1024 * 1024,
  /** Entries in one batch request: a till's offline queue is flushed in chunks of this many. */
  batchEntriesMax: 1000,
  /** Postings in one entry: an allowance batch credits up to this many households at once, minus the fund. */
  postingsMax: 1001,
  /** Signatures on one entry. */
  signaturesMax: 4,
  /** Lines in one basket kept beside the log. */
  basketLinesMax: 500,
  /** Free-text fields (memo, reason, label). */
  textCharsMax: 280,
  /** Nesting of a JSON value (an entry, a rules document): our formats are a few levels deep. */
  jsonDepthMax: 32,
  /** Entries applied in one SQLite transaction and sealed under one checkpoint. */
  groupEntriesMax: 2000,
  /**
   * Longest a group commit waits for submissions still being verified on the pool's threads, so that
   * they share its transaction and fsync rather than each paying one: a bound on the latency it adds.
   */
  groupWaitMsMax: 2,
  /**
   * Longest a request may take to arrive, headers and body: a till on a slow link sends a full batch
   * well within it, and a client that drips its bytes does not hold a connection for ever.
   */
  requestMsMax: 60_000,
  /** Longest the request line and headers may take to arrive. */
  headersMsMax: 20_000,
  /** Entries waiting for a group commit; past this the ledger answers LEDGER_OVERLOADED. */
  queueEntriesMax: 50_000,
  /** Entries returned by one GET /v1/log/entries range request. */
  entriesPageMax: 1000,
  /** Accounts returned by one GET /v1/accounts page. */
  accountsPageMax: 1000,
  /** Keys returned by one GET /v1/keys page. */
  keysPageMax: 1000,
  /** Postings returned by one account statement page. */
  statementPageMax: 1000,
  /** Default half-width of the accepted window around the ledger's clock for an entry's creation time. */
  clockWindowMsDefault: 5 * 60 * 1000,
  /** Oldest offline till entry accepted (flagged as offline): a till may be cut off for a long weekend and more. */
  offlineAgeMsMax: 31 * 24 * 3600 * 1000,
} as const;

export type Limits = typeof limits;
