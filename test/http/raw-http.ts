import http from 'node:http';
import net from 'node:net';

/**
 * A bare HTTP client for tests that must send exactly the bytes and headers they choose (no JSON
 * encoding, no default content type), and read back status, content type and body. Every request has
 * a timeout, so a server that hangs fails the test instead of stalling it.
 */
export interface RawResponse {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  /** The body parsed as JSON when the server said it is JSON; undefined otherwise. */
  readonly json: unknown;
}

export interface RawRequest {
  readonly method?: string;
  readonly path: string;
  readonly body?: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

export const rawTimeoutMsDefault = 10_000;

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

export function send(baseUrl: string, request: RawRequest): Promise<RawResponse> {
  const url = new URL(request.path, baseUrl);
  const payload = request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, 'utf8');
  const timeoutMs = request.timeoutMs ?? rawTimeoutMsDefault;
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: request.method ?? (payload === undefined ? 'GET' : 'POST'),
        agent,
        headers: { ...(payload !== undefined ? { 'content-length': String(payload.length) } : {}), ...request.headers },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const contentType = String(res.headers['content-type'] ?? '');
          let json: unknown;
          if (contentType.startsWith('application/json')) {
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
          }
          resolve({ status: res.statusCode ?? 0, contentType, text, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer to ${request.path} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** POSTs a JSON text as is (it may be malformed on purpose), with application/json unless told otherwise. */
export function postText(baseUrl: string, path: string, text: string | Buffer, headers: Readonly<Record<string, string>> = {}): Promise<RawResponse> {
  return send(baseUrl, { method: 'POST', path, body: text, headers: { 'content-type': 'application/json', ...headers } });
}

/**
 * Writes raw bytes on a fresh TCP connection and collects whatever comes back until the server closes
 * the connection or `timeoutMs` passes. For requests that no HTTP client would send (a body shorter
 * than its Content-Length, then the client's half of the connection closed). With `halfClose` false the
 * client's half stays open, as a client still meaning to send the rest would keep it.
 */
export function rawExchange(port: number, bytes: string, timeoutMs = 3000, halfClose = true): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('connect', () => (halfClose ? socket.end(bytes) : socket.write(bytes)));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

export function closeRawAgent(): void {
  agent.destroy();
}
