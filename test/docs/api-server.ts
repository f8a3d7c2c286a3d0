import type { Server } from 'node:http';
import { VerifierPool } from '../../ledger/crypto/verifier-pool.js';
import { createApp } from '../../ledger/http/app.js';
import { exampleKeys, openExampleLedger, type ExampleLedger } from './example.js';

/** The bearer token of docs/API.md's examples (a real ledger draws one at `caisse ledger init`). */
export const exampleBasketToken = 'example-basket-reader-token';

export interface ExampleServer {
  readonly url: string;
  readonly example: ExampleLedger;
  close(): Promise<void>;
}

/** Serves the worked-example ledger over real HTTP on 127.0.0.1, on a free port. */
export async function serveExampleLedger(): Promise<ExampleServer> {
  const example = openExampleLedger();
  const pool = new VerifierPool(0);
  const app = createApp({ ledger: example.ledger, pool, ledgerPublicKey: exampleKeys.ledger.publicKey, basketReaderToken: exampleBasketToken });
  const server = await new Promise<Server>((done, fail) => {
    const s = app.listen(0, '127.0.0.1', (err?: Error) => (err ? fail(err) : done(s)));
  });
  const address = server.address();
  if (address === null || typeof address !== 'object') throw new Error('no address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    example,
    async close() {
      await new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      await pool.close();
      example.close();
    },
  };
}
