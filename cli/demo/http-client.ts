import http from 'node:http';
import { cliError } from '../errors.js';

/**
 * A small JSON client over node:http with kept-alive connections: the demo's and the bench's load
 * generator, and the audit's reader in --url mode. Every request has a timeout; a response larger than
 * `responseBytesMax` is cut off with an error rather than buffered without end.
 */
export interface JsonResponse {
  readonly status: number;
  readonly body: unknown;
  readonly text: string;
}

export const requestTimeoutMsDefault = 30_000;
export const responseBytesMax = 64 * 1024 * 1024;

/** A ledger's address as an option gives it: http://HOST:PORT (CLI_BAD_URL otherwise), checked before any work. */
export function ledgerUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw cliError('CLI_BAD_URL', text);
  }
  if (url.protocol !== 'http:') throw cliError('CLI_BAD_URL', `${text} (http: only)`);
  return url;
}

export class HttpJsonClient {
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(baseUrl: string, options: { sockets?: number } = {}) {
    this.base = ledgerUrl(baseUrl);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: options.sockets ?? 8 });
  }

  get(path: string, timeoutMs = requestTimeoutMsDefault): Promise<JsonResponse> {
    return this.request('GET', path, undefined, timeoutMs);
  }

  post(path: string, body: unknown, timeoutMs = requestTimeoutMsDefault): Promise<JsonResponse> {
    return this.request('POST', path, Buffer.from(JSON.stringify(body)), timeoutMs);
  }

  request(method: string, path: string, payload: Buffer | undefined, timeoutMs: number): Promise<JsonResponse> {
    const url = new URL(path, this.base);
    return new Promise((resolvePromise, reject) => {
      const req = http.request(
        url,
        {
          method,
          agent: this.agent,
          headers: payload === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', 'content-length': payload.length, accept: 'application/json' },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let bytes = 0;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            if (bytes > responseBytesMax) {
              req.destroy(new Error(`response larger than ${responseBytesMax} bytes`));
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () => {
            clearTimeout(deadline);
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = undefined;
            if ((res.headers['content-type'] ?? '').includes('json') && text.length > 0) {
              try {
                body = JSON.parse(text);
              } catch {
                body = undefined;
              }
            }
            resolvePromise({ status: res.statusCode ?? 0, body, text });
          });
          res.on('error', (e: NodeJS.ErrnoException) => reject(cliError('CLI_LEDGER_UNREACHABLE', `${url.host}: ${e.code ?? e.message}`)));
        },
      );
      req.on('timeout', () => req.destroy(cliError('CLI_LEDGER_UNREACHABLE', `${url.host}: > ${timeoutMs} ms`)));
      // The socket timeout above only measures silence: a server that drips a byte now and then would
      // hold an audit forever. The whole answer has the same time.
      const deadline = setTimeout(() => req.destroy(cliError('CLI_LEDGER_UNREACHABLE', `${url.host}: no whole answer within ${timeoutMs} ms`)), timeoutMs);
      req.on('close', () => clearTimeout(deadline));
      req.on('error', (e: NodeJS.ErrnoException) => reject(e.name === 'CaisseError' ? e : cliError('CLI_LEDGER_UNREACHABLE', `${url.host}: ${e.code ?? e.message}`)));
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
