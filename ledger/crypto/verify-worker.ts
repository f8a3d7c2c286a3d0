import { parentPort } from 'node:worker_threads';
import { runVerifyTask, type VerifyTask } from './verify-task.js';

/** A verifier thread: answers each task with its results, transferring the result buffers. */
const port = parentPort;
if (port === null) throw new Error('verify-worker runs as a worker thread');
port.on('message', (message: { id: number; task: VerifyTask }) => {
  const result = runVerifyTask(message.task);
  port.postMessage({ id: message.id, result }, [result.valid.buffer, result.leafHashes.buffer] as ArrayBuffer[]);
});
