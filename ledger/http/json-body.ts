import type { NextFunction, Request, Response } from 'express';
import iconv from 'iconv-lite';
import { firstRepeatedKey, parseJsonWithoutRepeats, RepeatedKeyError } from '../../domain/json-duplicate-keys.js';
import { ledgerError } from '../errors.js';

/**
 * A body announced larger than the route takes is refused before a byte of it is read (body-parser
 * would read it all, to keep the connection, before answering); the error handler then closes the
 * connection rather than drain the rest.
 */
export function refuseOversizeBody(limitBytes: number) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const announced = req.headers['content-length'];
    if (announced !== undefined && Number(announced) > limitBytes) return next(ledgerError('LEDGER_BODY_TOO_LARGE', `limit ${limitBytes} bytes, announced ${announced}`));
    next();
  };
}

/**
 * The JSON body of a POST as tills and operators' tools send it: `Content-Type: application/json`
 * exactly, a `Content-Length` within the route's limit, no `Content-Encoding`. Read and parsed as
 * body-parser's strict mode would, without its per-request
 * machinery (content-type parsing, a streaming iconv decoder, raw-body's bookkeeping): a fifth of a
 * payment's time on the event loop went there. Every other request (another charset, compressed,
 * chunked, oversize) goes on to body-parser, which answers it as before.
 */
export function plainJsonBody(limitBytes: number) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const headers = req.headers;
    if (headers['content-type'] !== 'application/json' || headers['content-encoding'] !== undefined || headers['transfer-encoding'] !== undefined) return next();
    // node's HTTP parser accepted the header, so it is digits; the parser also never delivers more.
    const lengthBytes = Number(headers['content-length']);
    if (!Number.isSafeInteger(lengthBytes) || lengthBytes > limitBytes) return next();
    // Chunks as they come, not a buffer of the announced length: a client announcing megabytes and
    // sending nothing must not make the server hold them.
    const chunks: Buffer[] = [];
    let receivedBytes = 0;
    let settled = false;
    const settle = (error: unknown): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      next(error);
    };
    const onData = (chunk: Buffer): void => {
      if (receivedBytes + chunk.length > lengthBytes) return settle(ledgerError('LEDGER_BAD_JSON', 'body longer than its Content-Length'));
      chunks.push(chunk);
      receivedBytes += chunk.length;
    };
    req.on('data', onData);
    req.once('end', () => {
      if (receivedBytes !== lengthBytes) return settle(ledgerError('LEDGER_BAD_JSON', 'truncated body'));
      try {
        req.body = parseStrictJson(Buffer.concat(chunks, receivedBytes).toString('utf8'));
      } catch (e) {
        return settle(ledgerError('LEDGER_BAD_JSON', (e as Error).message));
      }
      settle(undefined);
    });
    req.once('close', () => {
      if (!req.complete) settle(ledgerError('LEDGER_BAD_JSON', 'truncated body'));
    });
  };
}

/**
 * body-parser's strict JSON: an object or an array, a leading byte-order mark dropped (its UTF-8
 * decoder drops it). Stricter than body-parser in two ways: an empty body is refused (it reads it as
 * `{}`, which would be answered as an entry without fields), and so is a name given twice in an object.
 */
function parseStrictJson(text: string): unknown {
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (json.trim().length === 0) throw new SyntaxError('empty body');
  const first = /\S/.exec(json)?.[0];
  if (first !== '{' && first !== '[') throw new SyntaxError(`the body is not a JSON object or array (starts with ${JSON.stringify(first ?? '')})`);
  return parseJsonWithoutRepeats(json);
}

/**
 * body-parser's `verify` hook, for the bodies it reads (another charset, compressed, chunked): the same
 * two refusals as the plain path, on the decoded text before body-parser parses it.
 */
export function verifyBodyText(_req: Request, _res: Response, body: Buffer, encoding: string): void {
  const text = iconv.decode(body, encoding);
  if (text.replace(/^\uFEFF/, '').trim().length === 0) throw ledgerError('LEDGER_BAD_JSON', 'empty body');
  const repeated = firstRepeatedKey(text.replace(/^\uFEFF/, ''));
  if (repeated !== undefined) throw ledgerError('LEDGER_BAD_JSON', new RepeatedKeyError(repeated).message);
}
