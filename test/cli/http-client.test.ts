import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpJsonClient } from '../../cli/demo/http-client.js';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((done) => (server === undefined ? done() : server.close(() => done())));
  server = undefined;
});

/** A server that answers at once, then drips its body a byte at a time, never finishing in time. */
async function dripping(everyMs: number): Promise<string> {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('[');
    const timer = setInterval(() => res.write('1,'), everyMs);
    res.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((done) => server?.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the HTTP client of the audit and the demo', () => {
  it('gives up on an answer that never ends, though bytes keep coming (a slow drip is not silence)', async () => {
    const client = new HttpJsonClient(await dripping(50));
    const startedMs = performance.now();
    await expect(client.get('/v1/log/checkpoint', 600)).rejects.toMatchObject({ code: 'CLI_LEDGER_UNREACHABLE', detail: expect.stringContaining('no whole answer within 600 ms') });
    // Bounded by the deadline, not by the server: well under the drip's endless time.
    expect(performance.now() - startedMs).toBeLessThan(5000);
    client.close();
  });
});
