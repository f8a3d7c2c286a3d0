import { createServer, type RequestListener, type Server } from 'node:http';
import { limits } from '../../domain/limits.js';
import { answerUnparsableRequests } from './client-error.js';

export interface ServerLimits {
  /** Longest a whole request may take to arrive (default limits.requestMsMax). */
  readonly requestMsMax?: number;
  /** Longest its request line and headers may take (default limits.headersMsMax). */
  readonly headersMsMax?: number;
}

/** An idle keep-alive connection is kept this long: a till sends a payment every few minutes at most. */
const keepAliveMs = 30_000;

/**
 * The node HTTP server around the ledger's app, as `caisse ledger serve` runs it and the tests serve it:
 * bounded request and header times (a late request is answered 408 LEDGER_REQUEST_TIMEOUT), checked
 * every second rather than node's default 30, and a coded answer to what node cannot parse.
 */
export function createLedgerServer(app: RequestListener, options: ServerLimits = {}): Server {
  const requestMsMax = options.requestMsMax ?? limits.requestMsMax;
  const server = createServer(
    {
      requestTimeout: requestMsMax,
      headersTimeout: Math.min(options.headersMsMax ?? limits.headersMsMax, requestMsMax),
      connectionsCheckingInterval: Math.min(1000, requestMsMax),
      keepAliveTimeout: keepAliveMs,
    },
    app,
  );
  answerUnparsableRequests(server);
  return server;
}
