import { parentPort, workerData } from 'node:worker_threads';
import { measureVerifies, type Ed25519Library } from './ed25519-rates.js';

/** One thread of the all-cores verify measure: waits for the start signal so all threads run together. */
const port = parentPort;
if (port === null) throw new Error('verify-rate-worker runs as a worker thread');
const { lib, durationMs } = workerData as { lib: Ed25519Library; durationMs: number };
port.once('message', () => {
  port.postMessage(measureVerifies(lib, durationMs));
});
port.postMessage('ready');
