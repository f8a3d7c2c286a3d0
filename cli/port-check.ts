import { createServer } from 'node:net';
import { cliError } from './errors.js';

/**
 * Checks that a port can be listened on before a command does any work for it (`start` builds a demo
 * ledger first): binds it and lets it go. Port 0 (any free port) always passes. Another process may
 * still take the port in between; the listen itself then answers, as before.
 */
export async function requirePortFree(option: string, host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  try {
    await new Promise<void>((done, fail) => {
      probe.once('error', fail);
      probe.listen(port, host, done);
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw cliError('CLI_PORT_IN_USE', `--${option} ${host}:${port}`);
    throw e;
  }
  await new Promise<void>((done) => probe.close(() => done()));
}
