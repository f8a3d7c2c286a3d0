import type { NextFunction, Request, Response } from 'express';
import iconv from 'iconv-lite';
import { JsonTooDeepError, parseJsonWithoutRepeats, RepeatedKeyError, repeatedKeyPath } from '../../domain/json-duplicate-keys.js';
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
        return settle(bodyTextError(e as Error));
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

/** The decoded text of each body body-parser read, kept for the check after its parse. */
const decodedBodies = new WeakMap<Request, string>();

/**
 * body-parser's `verify` hook, for the bodies it reads (another charset, chunked): an empty one is
 * refused as on the plain path, and its text is kept for `refuseRepeatedKeys`.
 */
export function verifyBodyText(req: Request, _res: Response, body: Buffer, encoding: string): void {
  const text = iconv.decode(body, encoding).replace(/^\uFEFF/, '');
  if (text.trim().length === 0) throw ledgerError('LEDGER_BAD_JSON', 'empty body');
  decodedBodies.set(req, text);
}

/**
 * After body-parser: a name given twice, refused as on the plain path, with the same count first (the
 * text is read again only when the count says there is a repeat).
 */
export function refuseRepeatedKeys(req: Request, _res: Response, next: NextFunction): void {
  const text = decodedBodies.get(req);
  if (text === undefined) return next();
  decodedBodies.delete(req);
  let repeated: string | undefined;
  try {
    repeated = repeatedKeyPath(text, req.body);
  } catch (e) {
    return next(bodyTextError(e as Error));
  }
  next(repeated === undefined ? undefined : ledgerError('LEDGER_BAD_JSON', new RepeatedKeyError(repeated).message));
}

/** Nested past any format: the entry's shape, as the walk names it for an entry alone; else not JSON. */
function bodyTextError(e: Error) {
  return e instanceof JsonTooDeepError ? ledgerError('LEDGER_INVALID_ENTRY', `body: ${e.message}`) : ledgerError('LEDGER_BAD_JSON', e.message);
}

/**
 * A compressed body is refused: a few kilobytes of gzip inflate to megabytes of JSON (a thousand
 * entries of empty objects, brackets nested a million deep), which cost the event loop seconds to
 * refuse. Tills and the operators' tools send plain JSON.
 */
export function refuseCompressedBody(req: Request, _res: Response, next: NextFunction): void {
  const encoding = req.headers['content-encoding'];
  if (encoding === undefined || encoding.trim().toLowerCase() === 'identity') return next();
  next(ledgerError('LEDGER_UNSUPPORTED_MEDIA_TYPE', `Content-Encoding ${encoding}: send the body uncompressed`));
}
