import { maxHeaderSize, STATUS_CODES, type Server } from 'node:http';
import { ledgerError } from '../errors.js';
import { errorBody } from './respond.js';

/**
 * A request Node cannot even parse (a body shorter than its Content-Length, bad framing, a request line
 * and headers past node's limit) still gets a JSON answer with a stable code rather than Node's bare
 * 400 or 431. Its Accept-Language was never read: the answer is in French, the default.
 */
/** llhttp's codes for a request line it cannot read: an unknown method, bytes an address cannot hold. */
const badRequestLine = new Set(['HPE_INVALID_METHOD', 'HPE_INVALID_URL']);

export function answerUnparsableRequests(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // As node's own handler: an answer only on a connection that has written nothing yet (a response
    // under way must not get a second one spliced into it), and the connection closed either way.
    const written = 'bytesWritten' in socket && typeof socket.bytesWritten === 'number' ? socket.bytesWritten : 0;
    if (!socket.writable || written > 0) {
      socket.destroy();
      return;
    }
    const error = clientErrorOf(err.code);
    const body = JSON.stringify(errorBody(error, 'fr'));
    socket.end(`HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ''}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });
}

function clientErrorOf(code: string | undefined) {
  if (code === 'HPE_HEADER_OVERFLOW') return ledgerError('LEDGER_HEADERS_TOO_LARGE', `at most ${maxHeaderSize} bytes of request line and headers`);
  // node's requestTimeout or headersTimeout ran out (createLedgerServer sets both).
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return ledgerError('LEDGER_REQUEST_TIMEOUT', 'the request did not arrive in time');
  if (badRequestLine.has(code ?? '')) return ledgerError('LEDGER_BAD_QUERY', 'malformed request line (method or address)');
  return ledgerError('LEDGER_BAD_JSON', 'malformed HTTP request');
}
